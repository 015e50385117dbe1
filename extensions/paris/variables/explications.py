"""Ce que les messages du simulateur citent, sans changer aucun droit.

Chiffres lus dans les paramètres (taux d'effort minimum, seuil de versement, montant de l'AAH), pour
que les raisons d'un refus les écrivent, et une lecture du règlement à signaler : le plancher de
ressources de Paris Solidarité pour un couple dont l'un des membres est handicapé (Titre III 1.1,
art. b/4). Aucune aide ne lit ces variables.
"""

from numpy import abs as absolute
from numpy import maximum, where
from openfisca_france.model.base import MONTH, Famille, Variable

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)
# Below a cent, two amounts are the same amount.
CENTIME = 0.005


class paris_logement_taux_effort_minimum(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "/1"
    label = "Taux d'effort minimum de Paris Logement (pour le message d'un refus)"
    reference = f"{REGLEMENT}, Titre II 2.1, Titre III 2.1, Titre IV 2.3, Titre V 3.1, art. b/3"

    def formula(famille, period, parameters):
        return famille.filled_array(parameters(period).paris.paris_logement.taux_effort_minimum)


class paris_solidarite_seuil_versement(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant mensuel en dessous duquel Paris Solidarité n'est pas versé (pour le message d'un refus)"
    reference = f"{REGLEMENT}, Titre II 1.1 et Titre III 1.1, art. d/2 ; annexes II 1.1 et III 1.1"

    def formula(famille, period, parameters):
        return famille.filled_array(parameters(period).paris.paris_solidarite.seuil_versement)


class paris_montant_aah(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant mensuel de l'allocation aux adultes handicapés (AAH) à taux plein, servie à l'échelon national"
    reference = f"{REGLEMENT}, Titre III 1.1, art. b/4"

    def formula(famille, period, parameters):
        aah = parameters(period).prestations_sociales.prestations_etat_de_sante.invalidite.aah
        return famille.filled_array(aah.montant)


class paris_solidarite_montant_plancher_couple(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = (
        "Paris Solidarité si, pour un couple, les ressources étaient réputées au moins égales au minimum "
        "vieillesse d'un couple plutôt qu'à l'AAH (autre lecture de l'article III 1.1 b/4)"
    )
    reference = f"{REGLEMENT}, Titre III 1.1, art. b/3, b/4 et d/2"
    documentation = (
        "Le règlement répute les ressources d'une personne handicapée au moins égales à « l'Allocation aux "
        "Adultes Handicapés servie à l'échelon national » : le montant d'une personne, faute d'AAH de "
        "couple. Le simulateur applique cette lettre (paris_solidarite). Une autre lecture, celle de "
        "l'ancien paquet openfisca-paris, retient pour un couple le minimum vieillesse d'un couple : "
        "c'est ce montant-là, calculé comme paris_solidarite avec cet autre plancher."
    )

    def formula(famille, period, parameters):
        ressources = famille("paris_ressources_couple", period)
        en_couple = famille("paris_en_couple", period)
        minimum_vieillesse = famille("paris_minimum_vieillesse", period)
        plancher_handicap = where(en_couple, minimum_vieillesse, famille("paris_montant_aah", period))
        montant_agee = famille("paris_personne_agee_dans_couple", period) * maximum(
            famille("paris_solidarite_plafond_personne_agee", period) - maximum(ressources, minimum_vieillesse), 0
        )
        montant_handicapee = famille("paris_personne_handicapee_dans_couple", period) * maximum(
            famille("paris_solidarite_plafond_personne_handicapee", period) - maximum(ressources, plancher_handicap),
            0,
        )
        montant = maximum(montant_agee, montant_handicapee)
        eligible = (
            famille.demandeur.menage("paris_condition_residence", period)
            * famille("paris_solidarite_condition_public", period)
            * (montant > famille("paris_solidarite_seuil_versement", period))
        )
        return eligible * montant


class paris_solidarite_plancher_aah_couple_en_question(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = (
        "Paris Solidarité d'un couple dont l'un est handicapé : le montant dépend de la lecture du plancher "
        "de ressources « AAH servie à l'échelon national » (art. III 1.1 b/4)"
    )
    reference = f"{REGLEMENT}, Titre III 1.1, art. b/4"
    documentation = (
        "Vrai pour un couple quand le plancher de ressources change le montant de Paris Solidarité selon "
        "qu'on lit l'AAH d'une personne (la lettre, appliquée) ou le minimum vieillesse d'un couple : "
        "les ressources du couple sont sous ce second plancher et le titre des personnes handicapées "
        "décide du montant."
    )

    def formula(famille, period):
        ecart = famille("paris_solidarite", period) - famille("paris_solidarite_montant_plancher_couple", period)
        return (
            famille("paris_en_couple", period)
            * famille("paris_personne_handicapee_dans_couple", period)
            * (absolute(ecart) > CENTIME)
        )
