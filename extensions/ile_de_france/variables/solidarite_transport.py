"""Tarification Solidarité Transport d'Île-de-France Mobilités (IDFM).

Trois tarifications (page IDFM « Qu'est-ce que la Tarification Solidarité Transport ? », CGU de la TST) :

- Solidarité Gratuité (forfait Navigo Gratuité, droits de 3 mois renouvelables) : les membres d'un foyer
  allocataire du RSA dont le montant forfaitaire + la prime d'activité est sous le plafond d'IDFM ; ou la
  personne sans emploi qui a à la fois l'ASS et la Complémentaire santé solidaire (CSS) sans participation.
- Réduction Solidarité 75 % (droits de 1 à 12 mois) : les bénéficiaires de la CSS sans participation et les
  membres de leur foyer ; les demandeurs d'emploi allocataires de l'ASS.
- Réduction 50 % : les bénéficiaires de l'Aide médicale de l'État (AME), fait déclaré (OpenFisca-France ne la
  calcule pas).

Chaque personne reçoit la meilleure tarification à laquelle elle a droit ; l'économie mensuelle du foyer est
la somme, pour chaque personne couverte de 4 ans ou plus, du prix du Navigo Mois plein tarif multiplié par la
part prise en charge.
"""

from numpy import char, maximum, where
from openfisca_core.indexed_enums import Enum
from openfisca_france.model.base import (
    MONTH,
    Famille,
    Individu,
    Menage,
    Variable,
    set_input_dispatch_by_period,
)

PAGE_IDFM = (
    "https://www.iledefrance-mobilites.fr/aide-et-contacts/reductions-et-gratuite/"
    "quest-ce-que-la-tarification-solidarite-transport"
)
CGU_TST = "https://www.iledefrance-mobilites.fr/en/cgu-tst"
PAGE_GRATUITE = "https://www.iledefrance-mobilites.fr/en/titres-et-tarifs/detail/le-forfait-navigo-gratuite"

# Les huit départements d'Île-de-France (codes officiels géographiques : les deux premiers caractères).
DEPARTEMENTS_ILE_DE_FRANCE = ("75", "77", "78", "91", "92", "93", "94", "95")


class idf_residence(Variable):
    value_type = bool
    entity = Menage
    definition_period = MONTH
    label = "Le logement est en Île-de-France (départements 75, 77, 78, 91, 92, 93, 94, 95)"
    reference = PAGE_IDFM

    def formula(menage, period):
        depcom = menage("depcom", period).astype(str)
        resultat = char.startswith(depcom, DEPARTEMENTS_ILE_DE_FRANCE[0])
        for departement in DEPARTEMENTS_ILE_DE_FRANCE[1:]:
            resultat = resultat + char.startswith(depcom, departement)
        return resultat


class idf_aide_medicale_etat(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "Bénéficie de l'Aide médicale de l'État (AME)"
    reference = PAGE_IDFM


class idf_tst_foyer_rsa(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Foyer allocataire du RSA"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille("rsa", period) > 0


class idf_tst_montant_forfaitaire_ppa(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant forfaitaire du RSA + prime d'activité du foyer (comparé au plafond d'IDFM)"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille("rsa_socle", period) + famille("ppa", period)


class idf_tst_plafond_gratuite(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond d'IDFM de la Solidarité Gratuité pour un foyer RSA, selon le nombre de personnes du foyer"
    reference = PAGE_GRATUITE

    def formula(famille, period, parameters):
        plafonds = parameters(period).ile_de_france.solidarite_transport.plafond_gratuite
        nb_personnes = famille("nb_parents", period) + famille("rsa_nb_enfants", period)
        return where(
            nb_personnes <= 1, plafonds.foyer_1_personnes,
            where(nb_personnes == 2, plafonds.foyer_2_personnes,
                  where(nb_personnes == 3, plafonds.foyer_3_personnes,
                        where(nb_personnes == 4, plafonds.foyer_4_personnes,
                              plafonds.foyer_5_personnes
                              + maximum(nb_personnes - 5, 0) * plafonds.par_personne_supplementaire))))


class idf_tst_gratuite_rsa(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Foyer RSA dont le montant forfaitaire + la prime d'activité est sous le plafond d'IDFM"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille("idf_tst_foyer_rsa", period) * (
            famille("idf_tst_montant_forfaitaire_ppa", period) < famille("idf_tst_plafond_gratuite", period))


class idf_tst_css_sans_participation(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Le foyer a la Complémentaire santé solidaire sans participation financière (ex-CMU-C)"
    reference = PAGE_IDFM
    documentation = "OpenFisca-France : cmu_c, la CSS sans participation depuis le 1er novembre 2019."

    def formula(famille, period):
        return famille("cmu_c", period)


class idf_tst_taux(Variable):
    value_type = float
    entity = Individu
    definition_period = MONTH
    unit = "/1"
    label = "Part du Navigo Mois prise en charge pour cette personne (1 : gratuité, 0,75, 0,5 ou 0)"
    reference = [PAGE_IDFM, CGU_TST]

    def formula(individu, period, parameters):
        taux = parameters(period).ile_de_france.solidarite_transport.taux_reduction
        css = individu.famille("idf_tst_css_sans_participation", period)
        ass = individu("ass", period) > 0
        gratuite = individu.famille("idf_tst_gratuite_rsa", period) + ass * css
        reduction_75 = css + ass
        reduction_50 = individu("idf_aide_medicale_etat", period)
        resultat = where(gratuite, taux.gratuite,
                         where(reduction_75, taux.reduction_75, where(reduction_50, taux.reduction_50, 0)))
        return resultat * individu.menage("idf_residence", period)


class idf_tst_personne_couverte(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Personne couverte par une tarification Solidarité Transport, d'âge à payer un forfait (4 ans ou plus)"
    reference = PAGE_IDFM

    def formula(individu, period, parameters):
        age_minimum = parameters(period).ile_de_france.solidarite_transport.age_minimum_payant
        return (individu("idf_tst_taux", period) > 0) * (individu("age", period) >= age_minimum)


class idf_tst_navigo_mois_plein_tarif(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Prix du forfait Navigo Mois toutes zones, plein tarif"
    reference = "https://www.iledefrance-mobilites.fr/tarifs-titre-de-transport-en-commun-2026"

    def formula(famille, period, parameters):
        return famille.filled_array(parameters(period).ile_de_france.solidarite_transport.navigo_mois_plein_tarif)


class idf_tst_navigo_mois_prix_reduit(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Prix du forfait Navigo Mois que paie le demandeur avec sa tarification Solidarité Transport"
    reference = PAGE_IDFM

    def formula(famille, period):
        taux = famille.demandeur("idf_tst_taux", period)
        return famille("idf_tst_navigo_mois_plein_tarif", period) * (1 - taux)


class idf_tst_nb_personnes_couvertes(Variable):
    value_type = int
    entity = Famille
    definition_period = MONTH
    label = "Nombre de personnes du foyer (4 ans ou plus) couvertes par une tarification Solidarité Transport"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille.sum(famille.members("idf_tst_personne_couverte", period))


class idf_solidarite_transport(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Tarification Solidarité Transport : économie mensuelle du foyer sur le forfait Navigo Mois"
    reference = [PAGE_IDFM, CGU_TST]
    documentation = (
        "Somme, pour chaque personne couverte de 4 ans ou plus, du prix du Navigo Mois plein tarif multiplié par "
        "la part prise en charge (100 %, 75 % ou 50 %)."
    )

    def formula(famille, period):
        prix = famille("idf_tst_navigo_mois_plein_tarif", period)
        par_personne = famille.members("idf_tst_taux", period) * famille.members("idf_tst_personne_couverte", period)
        return famille.sum(par_personne) * prix


class TarificationSolidariteTransport(Enum):
    aucune = "Pas de tarification Solidarité Transport"
    reduction_50 = "Réduction 50 %"
    reduction_75 = "Réduction Solidarité 75 %"
    gratuite = "Solidarité Gratuité"


class idf_tst_tarification(Variable):
    value_type = Enum
    possible_values = TarificationSolidariteTransport
    default_value = TarificationSolidariteTransport.aucune
    entity = Famille
    definition_period = MONTH
    label = "Meilleure tarification Solidarité Transport d'une personne du foyer"
    reference = [PAGE_IDFM, CGU_TST]

    def formula(famille, period):
        meilleur = famille.max(famille.members("idf_tst_taux", period))
        return where(meilleur >= 1, TarificationSolidariteTransport.gratuite,
                     where(meilleur >= 0.75, TarificationSolidariteTransport.reduction_75,
                           where(meilleur >= 0.5, TarificationSolidariteTransport.reduction_50,
                                 TarificationSolidariteTransport.aucune)))


class idf_tst_gratuite(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Au moins une personne du foyer a la Solidarité Gratuité"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille("idf_tst_tarification", period) == TarificationSolidariteTransport.gratuite


class idf_tst_reduction_75(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "La meilleure tarification du foyer est la Réduction Solidarité 75 %"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille("idf_tst_tarification", period) == TarificationSolidariteTransport.reduction_75


class idf_tst_reduction_50(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "La meilleure tarification du foyer est la Réduction 50 %"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille("idf_tst_tarification", period) == TarificationSolidariteTransport.reduction_50


class idf_tst_condition_sociale(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Une personne du foyer remplit une condition sociale de la Solidarité Transport (RSA sous plafond, CSS "\
        "sans participation, ASS, AME)"
    reference = PAGE_IDFM

    def formula(famille, period):
        css = famille("idf_tst_css_sans_participation", period)
        ass = famille.sum(famille.members("ass", period)) > 0
        ame = famille.any(famille.members("idf_aide_medicale_etat", period))
        return famille("idf_tst_gratuite_rsa", period) + css + ass + ame


class idf_tst_condition_residence(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Le foyer réside en Île-de-France"
    reference = PAGE_IDFM

    def formula(famille, period):
        return famille.demandeur.menage("idf_residence", period)
