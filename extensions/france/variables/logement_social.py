"""Logement social : le plafond de ressources des logements HLM ordinaires (PLUS), et celui des logements
très sociaux (PLAI) à part.

OpenFisca-France 176 compare le revenu fiscal de référence du foyer aux plafonds PLAI (annexe II de
l'arrêté du 29 juillet 1987), arrêtés en 2022, alors que le droit de demander un logement social se juge
sur les plafonds de l'annexe I (PLUS, près de deux fois plus hauts) : une personne seule à Paris
gagnant 1 300 € net par mois s'entendait dire qu'elle dépassait le plafond. Ici :

- `logement_social_plafond_ressources` et `logement_social_eligible` (remplacées) lisent les plafonds
  PLUS ; `logement_social_condition_ressources`, `logement_social_condition_majeur` et les valeurs
  citées dans les messages (`logement_social_revenu_fiscal_reference`, `…_annee_revenus`,
  `…_categorie_texte`, `…_zone_texte`) disent pourquoi une demande est refusée ;
- `logement_tres_social_plafond_ressources`, `…_condition_ressources` et `logement_tres_social_eligible`
  gardent le niveau très social (PLAI) comme une information distincte, plafonds mis à jour ;
- `zone_logement_social` (remplacée) range en « Paris et communes limitrophes » les arrondissements de
  Paris et Boulogne-Billancourt, qu'OpenFisca-France classait en « reste de l'Île-de-France ».

La logique d'OpenFisca-France est gardée telle quelle (catégorie de ménage, revenus n-2, n-1 ou de
l'année s'ils ont baissé d'au moins 10 %, un parent majeur) : seuls les plafonds et la zone changent.
Les plafonds sont des paramètres datés (`parameters/plafonds_logement_social`) à partir de 2021 ; avant,
les formules lisent ceux d'OpenFisca-France.

Les variables remplacées sont des classes de `CorrectionsLogementSocial` (une réforme OpenFisca) et
non du module : OpenFisca-Core refuse qu'une extension ajoute une variable qui existe déjà, il faut la
remplacer (`replace_variable`). Voir `simulator/overrides.py` et `extensions/france/README.md`.
"""

from __future__ import annotations

from numpy import isin, maximum, select
from openfisca_core.indexed_enums import Enum
from openfisca_core.reforms import Reform
from openfisca_france.model.base import (
    MONTH,
    Famille,
    Menage,
    Variable,
    set_input_dispatch_by_period,
    set_input_divide_by_period,
)
from openfisca_france.model.prestations.logement_social import (
    CategorieMenageLogementSocial,
    ZoneLogementSocial,
)

ARRETE = (
    "Arrêté du 29 juillet 1987 modifié relatif aux plafonds de ressources des bénéficiaires de la législation"
    " sur les habitations à loyer modéré et des nouvelles aides de l'État en secteur locatif"
)
ARRETE_URL = "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000294318"
CCH = "Code de la construction et de l'habitation, art. L. 441-1 et R. 441-1"

# How the refusal message names the household's category and zone (arrêté du 29 juillet 1987, art. 2).
CATEGORIES_TEXTE = {
    CategorieMenageLogementSocial.categorie_1: "une personne seule",
    CategorieMenageLogementSocial.categorie_2: "deux personnes sans personne à charge",
    CategorieMenageLogementSocial.categorie_3: (
        "trois personnes, une personne seule avec une personne à charge ou un jeune couple sans personne à charge"),
    CategorieMenageLogementSocial.categorie_4: "quatre personnes ou une personne seule avec deux personnes à charge",
    CategorieMenageLogementSocial.categorie_5: "cinq personnes ou une personne seule avec trois personnes à charge",
    CategorieMenageLogementSocial.categorie_6: (
        "six personnes ou plus, ou une personne seule avec quatre personnes à charge ou plus"),
}
ZONES_TEXTE = {
    ZoneLogementSocial.paris_communes_limitrophes: "à Paris ou dans une commune limitrophe de Paris",
    ZoneLogementSocial.ile_de_france: "en Île-de-France (hors Paris et communes limitrophes)",
    ZoneLogementSocial.autres_regions: "hors Île-de-France",
}


def plafond_ressources(famille, period, parameters, bareme):
    """The ceiling of the household's category and zone in `bareme` (one annex of the arrêté): the
    category's amount, plus one increment per dependant beyond those of category 6."""
    categorie = famille("logement_social_categorie_menage", period)
    zone = famille.demandeur.menage("zone_logement_social", period)
    personnes_a_charge = famille("al_nb_personnes_a_charge", period)
    personnes_a_charge_categorie_6 = parameters(period).plafonds_logement_social.personnes_a_charge_categorie_6
    supplementaires = maximum(personnes_a_charge - personnes_a_charge_categorie_6, 0)
    return (bareme.par_categorie_de_menage[categorie][zone]
            + supplementaires * bareme.par_personne_supplementaire[zone])


def ressources_sous_plafond(famille, period, parameters, plafond):
    """OpenFisca-France's test, unchanged: the revenu fiscal de référence of year n-2 is at most the
    ceiling, or that of n-1 (or of the current year) is below it after falling at least 10 % from n-2."""
    foyer_fiscal = famille.demandeur.foyer_fiscal
    rfr_n2 = foyer_fiscal("rfr", period.n_2)
    rfr_n1 = foyer_fiscal("rfr", period.last_year)
    rfr_n0 = foyer_fiscal("rfr", period.this_year)
    part_retenue = 1 - parameters(period).plafonds_logement_social.baisse_ressources_minimale
    return ((rfr_n2 <= plafond)
            + (rfr_n1 < part_retenue * rfr_n2) * (rfr_n1 < plafond)
            + (rfr_n0 < part_retenue * rfr_n2) * (rfr_n0 < plafond))


class logement_social_condition_majeur(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Logement social : au moins un parent du foyer est majeur"
    reference = [CCH, "comme la formule d'OpenFisca-France (logement_social_eligible)"]

    def formula(famille, period):
        return famille.any(famille.members("majeur", period), role=Famille.PARENT)


class logement_social_revenu_fiscal_reference(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Logement social : revenu fiscal de référence de l'avant-dernière année (n-2) du foyer du demandeur"
    reference = [ARRETE, ARRETE_URL]
    documentation = (
        "Le revenu comparé aux plafonds. La règle additionne les revenus fiscaux de référence de toutes les"
        " personnes qui vivront au foyer ; comme OpenFisca-France, seul celui du foyer fiscal du demandeur"
        " est lu (un concubin qui déclare seul n'est pas compté).")

    def formula(famille, period):
        return famille.demandeur.foyer_fiscal("rfr", period.n_2)


class logement_social_annee_revenus(Variable):
    value_type = int
    entity = Famille
    definition_period = MONTH
    label = "Logement social : année des revenus comparés aux plafonds (n-2)"
    reference = [ARRETE, ARRETE_URL]

    def formula(famille, period):
        return famille.filled_array(period.n_2.start.year)


class logement_social_categorie_texte(Variable):
    value_type = str
    entity = Famille
    definition_period = MONTH
    label = "Logement social : la catégorie de ménage, en mots (pour les messages)"
    reference = [f"{ARRETE}, art. 2", ARRETE_URL]

    def formula(famille, period):
        categorie = famille("logement_social_categorie_menage", period)
        return select([categorie == valeur for valeur in CATEGORIES_TEXTE], list(CATEGORIES_TEXTE.values()), "")


class logement_social_zone_texte(Variable):
    value_type = str
    entity = Famille
    definition_period = MONTH
    label = "Logement social : la zone des plafonds, en mots (pour les messages)"
    reference = [f"{ARRETE}, annexes I et II", ARRETE_URL]

    def formula(famille, period):
        zone = famille.demandeur.menage("zone_logement_social", period)
        return select([zone == valeur for valeur in ZONES_TEXTE], list(ZONES_TEXTE.values()), "")


class logement_social_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Logement social : les ressources du foyer ne dépassent pas le plafond PLUS (logement HLM ordinaire)"
    reference = [f"{ARRETE}, annexe I", ARRETE_URL, CCH]

    def formula_2017_01_01(famille, period, parameters):
        plafond = famille("logement_social_plafond_ressources", period)
        return ressources_sous_plafond(famille, period, parameters, plafond)


class logement_tres_social_plafond_ressources(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    set_input = set_input_divide_by_period
    unit = "currency"
    label = "Logement très social (PLAI) : plafond de ressources annuelles du foyer"
    reference = [f"{ARRETE}, annexe II", ARRETE_URL]
    documentation = (
        "Plafond des logements financés par un prêt locatif aidé d'intégration (PLAI), pour les ménages aux"
        " ressources les plus modestes. Avant 2021, plafonds d'OpenFisca-France.")

    def formula_2017_01_01(famille, period, parameters):
        bareme = parameters(period).prestations_sociales.aides_logement.logement_social.plai.plafond_ressources
        return plafond_ressources(famille, period, parameters, bareme)

    def formula_2021_01_01(famille, period, parameters):
        return plafond_ressources(famille, period, parameters, parameters(period).plafonds_logement_social.plai)


class logement_tres_social_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Logement très social (PLAI) : les ressources du foyer ne dépassent pas le plafond PLAI"
    reference = [f"{ARRETE}, annexe II", ARRETE_URL]

    def formula_2017_01_01(famille, period, parameters):
        plafond = famille("logement_tres_social_plafond_ressources", period)
        return ressources_sous_plafond(famille, period, parameters, plafond)


class logement_tres_social_eligible(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "Logement très social (PLAI) : les ressources permettent d'y prétendre"
    reference = [f"{ARRETE}, annexe II", ARRETE_URL]

    def formula_2017_01_01(famille, period):
        return (famille("logement_social_condition_majeur", period)
                * famille("logement_tres_social_condition_ressources", period))


class CorrectionsLogementSocial(Reform):
    """The OpenFisca-France variables this extension redefines (nested here, so that OpenFisca's
    extension loader, which adds a module's top-level variables only, does not try to add them twice).

    The engine and the YAML test runner apply them in place (`simulator.overrides.replace_variables`);
    `openfisca test … --extensions extensions.france --reforms
    extensions.france.variables.logement_social.CorrectionsLogementSocial` applies them as a reform.
    """

    name = "Logement social : plafonds PLUS et zone de Paris corrigés"

    class logement_social_plafond_ressources(Variable):
        value_type = float
        entity = Famille
        definition_period = MONTH
        set_input = set_input_divide_by_period
        unit = "currency"
        label = "Logement social (HLM, PLUS) : plafond de ressources annuelles du foyer"
        reference = [f"{ARRETE}, annexe I", ARRETE_URL]
        documentation = (
            "Plafond des logements HLM ordinaires (prêt locatif à usage social, PLUS), selon la catégorie de"
            " ménage et la zone. Avant 2021, plafonds PLUS d'OpenFisca-France.")

        def formula_2017_01_01(famille, period, parameters):
            bareme = parameters(period).prestations_sociales.aides_logement.logement_social.plu
            return plafond_ressources(famille, period, parameters, bareme)

        def formula_2021_01_01(famille, period, parameters):
            return plafond_ressources(famille, period, parameters, parameters(period).plafonds_logement_social.plus)

    class logement_social_eligible(Variable):
        value_type = bool
        entity = Famille
        definition_period = MONTH
        set_input = set_input_dispatch_by_period
        label = "Logement social - Éligibilité (plafonds PLUS)"
        reference = [f"{ARRETE}, annexe I", ARRETE_URL, CCH]

        def formula_2017_01_01(famille, period):
            return (famille("logement_social_condition_majeur", period)
                    * famille("logement_social_condition_ressources", period))

    class zone_logement_social(Variable):
        value_type = Enum
        possible_values = ZoneLogementSocial
        default_value = ZoneLogementSocial.autres_regions
        entity = Menage
        definition_period = MONTH
        set_input = set_input_dispatch_by_period
        label = "Zone logement social"
        reference = [f"{ARRETE}, annexes I et II", ARRETE_URL]

        def formula(menage, period, parameters):
            depcom = menage("depcom", period).astype(str)
            paris = isin(depcom, parameters(period).plafonds_logement_social.communes_paris_et_limitrophes)
            return select(
                [paris, menage("residence_ile_de_france", period)],
                [ZoneLogementSocial.paris_communes_limitrophes, ZoneLogementSocial.ile_de_france],
                default=ZoneLogementSocial.autres_regions,
            )

    @classmethod
    def remplacements(cls) -> list[type[Variable]]:
        return [value for value in vars(cls).values() if isinstance(value, type) and issubclass(value, Variable)]

    def apply(self) -> None:
        for variable in self.remplacements():
            self.replace_variable(variable)
