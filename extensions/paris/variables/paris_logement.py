"""Paris Logement : aide mensuelle au loyer des personnes isolées et des couples sans enfant ou avec un
enfant.

Le règlement la décline aux Titres II (personnes âgées), III (personnes handicapées), IV 2.3 (couples
avec un enfant à charge) et V 3.1 (Parisiens en difficulté, sans enfant). Montants et plafonds sont
les mêmes ; seules les personnes âgées et handicapées voient leurs ressources réputées au moins égales
au minimum vieillesse pour le calcul du taux d'effort.
"""

from numpy import logical_not, maximum, minimum, select, where
from openfisca_france.model.base import MONTH, Famille, Variable

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)
ARTICLES = "Titre II 2.1, Titre III 2.1, Titre IV 2.3, Titre V 3.1"


class paris_logement_couple_avec_enfant(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Couple avec un enfant à charge (variante de Paris Logement du Titre IV 2.3)"
    reference = f"{REGLEMENT}, Titre IV 2.3, art. a/1"

    def formula(famille, period):
        return famille("paris_en_couple", period) * (famille("paris_nb_enfants_a_charge", period) == 1)


class paris_logement_condition_composition(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement : personne isolée ou couple, sans enfant ou (pour un couple) avec un seul enfant à charge"
    reference = f"{REGLEMENT}, {ARTICLES}, art. a/1"

    def formula(famille, period):
        sans_enfant = famille("paris_nb_enfants_a_charge", period) == 0
        return sans_enfant + famille("paris_logement_couple_avec_enfant", period)


class paris_logement_condition_locataire(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement : le demandeur est locataire de son logement"
    reference = f"{REGLEMENT}, {ARTICLES}, art. a/1 et b/1"

    def formula(famille, period):
        return famille.demandeur.menage("paris_locataire", period)


class paris_logement_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de ressources mensuelles de Paris Logement"
    reference = f"{REGLEMENT}, {ARTICLES}, art. b/2 ; annexes II 2.1, III 2.1, IV 2.3, V 3.1"

    def formula(famille, period, parameters):
        plafond = parameters(period).paris.paris_logement.plafond_ressources
        return select(
            [famille("paris_logement_couple_avec_enfant", period), famille("paris_en_couple", period)],
            [plafond.couple_un_enfant, famille("paris_logement_plafond_couple_sans_enfant", period)],
            famille("paris_logement_plafond_personne_isolee", period),
        )


class paris_logement_plafond_publie(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = (
        "Le plafond de Paris Logement d'une personne isolée ou d'un couple sans enfant est, ce mois, un montant "
        "publié par la Ville (et non le SMIC net arrondi à la dizaine supérieure)"
    )
    reference = f"{REGLEMENT}, {ARTICLES}, art. b/2 ; annexes II 2.1, III 2.1, V 3.1"
    documentation = "Sert au motif de refus : « plafond publié » plutôt que « SMIC net » quand un montant publié prime."

    def formula(famille, period, parameters):
        plafonds = parameters(period).paris.paris_logement.plafond_ressources
        isolee_publie = getattr(plafonds, "personne_isolee", None) is not None
        couple_publie = getattr(plafonds, "couple_sans_enfant", None) is not None
        en_couple = famille("paris_en_couple", period)
        return logical_not(famille("paris_logement_couple_avec_enfant", period)) * where(
            en_couple, couple_publie, isolee_publie
        )


class paris_logement_montant_forfaitaire(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant mensuel de Paris Logement selon la composition du foyer, avant plafonnement à la charge nette"
    reference = f"{REGLEMENT}, {ARTICLES}, art. a/2 ; annexes II 2.1, III 2.1, IV 2.3, V 3.1"

    def formula(famille, period, parameters):
        montant = parameters(period).paris.paris_logement.montant
        return select(
            [famille("paris_logement_couple_avec_enfant", period), famille("paris_en_couple", period)],
            [montant.couple_un_enfant, montant.couple_sans_enfant],
            montant.personne_isolee,
        )


class paris_logement_charges_forfaitaires(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Charges forfaitaires mensuelles de logement retenues dans le taux d'effort"
    reference = f"{REGLEMENT}, {ARTICLES}, art. b/3"
    documentation = (
        "Réputées égales à la majoration forfaitaire pour charges de l'allocation de logement (CNAF) : "
        "cas général, ou cas des colocataires pour une personne isolée en colocation, plus la majoration "
        "par enfant à charge."
    )

    def formula(famille, period, parameters):
        forfait = parameters(
            period
        ).prestations_sociales.aides_logement.allocations_logement.locatif.formule.c_forfait_charges
        colocation = famille.demandeur.menage("coloc", period)
        isole = logical_not(famille("paris_en_couple", period))
        nb_enfants = famille("paris_nb_enfants_a_charge", period)
        general = forfait.cas_general.cas_general + forfait.cas_general.majoration_par_enfant * nb_enfants
        return where(colocation * isole, forfait.cas_colocataires.beneficiaire_isole, general)


class paris_logement_ressources_taux_effort(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Ressources retenues au dénominateur du taux d'effort de Paris Logement"
    reference = f"{REGLEMENT}, Titre II 2.1 et Titre III 2.1, art. b/3"
    documentation = (
        "Ressources du foyer hors aides au logement ; pour les personnes âgées ou handicapées, elles sont "
        "réputées au moins égales au minimum vieillesse."
    )

    def formula(famille, period):
        ressources = famille("paris_base_ressources", period)
        agee_ou_handicapee = famille("paris_personne_agee_dans_couple", period) + famille(
            "paris_personne_handicapee_dans_couple", period
        )
        plancher = famille("paris_minimum_vieillesse", period)
        return where(agee_ou_handicapee, maximum(ressources, plancher), ressources)


class paris_taux_effort(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "/1"
    label = "Taux d'effort de logement net des aides au logement (Paris Logement)"
    reference = f"{REGLEMENT}, {ARTICLES}, art. b/3"
    documentation = "(loyer hors charges + charges forfaitaires − aides au logement) / ressources du foyer."

    def formula(famille, period):
        loyer = famille.demandeur.menage("loyer", period)
        depense = loyer + famille("paris_logement_charges_forfaitaires", period) - famille("aide_logement", period)
        ressources = famille("paris_logement_ressources_taux_effort", period)
        return where(ressources > 0, depense / maximum(ressources, 1), depense > 0)


class paris_logement_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement : ressources inférieures ou égales au plafond"
    reference = f"{REGLEMENT}, {ARTICLES}, art. b/2"

    def formula(famille, period):
        return famille("paris_base_ressources", period) <= famille("paris_logement_plafond", period)


class paris_logement_condition_taux_effort(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement : taux d'effort au moins égal à 30 %"
    reference = f"{REGLEMENT}, {ARTICLES}, art. b/3"

    def formula(famille, period, parameters):
        taux_minimum = parameters(period).paris.paris_logement.taux_effort_minimum
        return famille("paris_taux_effort", period) >= taux_minimum


class paris_logement_montant_theorique(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Logement avant la règle de non-cumul avec Paris Logement Familles et PLFM"
    reference = f"{REGLEMENT}, {ARTICLES}, art. a/2 et b/4"

    def formula(famille, period):
        eligible = (
            famille.demandeur.menage("paris_condition_residence", period)
            * famille("paris_logement_condition_composition", period)
            * famille("paris_logement_condition_locataire", period)
            * famille("paris_logement_condition_ressources", period)
            * famille("paris_logement_condition_taux_effort", period)
        )
        montant = minimum(
            famille("paris_logement_montant_forfaitaire", period),
            famille("paris_charge_logement_nette", period),
        )
        return eligible * montant


class paris_logement_condition_non_cumul(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement n'est pas écarté au profit de Paris Logement Familles ou de PLFM, plus favorables"
    reference = f"{REGLEMENT}, {ARTICLES}, art. c/4"

    def formula(famille, period):
        montant = famille("paris_logement_montant_theorique", period)
        return (montant > famille("paris_logement_familles_montant_theorique", period)) * (
            montant > famille("paris_logement_plfm_montant_theorique", period)
        )


class paris_logement(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Logement"
    reference = f"{REGLEMENT}, {ARTICLES}"
    documentation = (
        "Aide mensuelle au loyer des personnes isolées et des couples sans enfant ou avec un enfant à "
        "charge, locataires, dont le taux d'effort atteint 30 %. Non cumulable avec Paris Logement "
        "Familles ni avec Paris Logement Familles Monoparentales : la plus favorable est retenue."
    )

    def formula(famille, period):
        return famille("paris_logement_montant_theorique", period) * famille(
            "paris_logement_condition_non_cumul", period
        )
