"""Pass Paris Seniors et Pass Paris Access' (Titres II et III du règlement municipal, 3.1).

Gratuité des transports en commun d'Île-de-France sous condition d'impôt sur le revenu.
"""

from numpy import maximum, where
from openfisca_france.model.base import MONTH, Individu, Variable, set_input_dispatch_by_period

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)


class paris_impot_revenu(Variable):
    value_type = float
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    unit = "currency"
    label = (
        "Montant de l'impôt sur le revenu (soumis au barème, avant réductions d'impôt) du foyer "
        "fiscal, dernier avis d'imposition"
    )
    reference = f"{REGLEMENT}, Titre I/A, art. 5 ; Titre II 3.1 et Titre III 3.1, art. b/1"
    documentation = (
        "Répondu par le foyer (ligne de l'avis d'imposition). À défaut, calculé par OpenFisca-France : "
        "impôt net avant réductions (ip_net) sur les revenus de l'année N-2."
    )

    def formula(individu, period):
        annee_revenus = period.this_year.offset(-2)
        return maximum(individu.foyer_fiscal("ip_net", annee_revenus), 0)


class paris_pass_renouvellement(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = (
        "La demande de Pass Paris Seniors ou Pass Paris Access' est un renouvellement, déposé dans "
        "les 3 mois suivant la fin du précédent"
    )
    reference = f"{REGLEMENT}, Titre II 3.1 et Titre III 3.1, art. b/1"


class paris_pass_plafond_impot(Variable):
    value_type = float
    entity = Individu
    definition_period = MONTH
    unit = "currency"
    label = "Plafond d'impôt sur le revenu du Pass Paris Seniors et du Pass Paris Access'"
    reference = f"{REGLEMENT}, Titre II 3.1 et Titre III 3.1, art. b/1 ; annexes II 3.1 et III 3.1"

    def formula(individu, period, parameters):
        p = parameters(period).paris.pass_paris
        return where(
            individu("paris_pass_renouvellement", period),
            p.plafond_impot_renouvellement,
            p.plafond_impot_premiere_demande,
        )


class paris_pass_condition_impot(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Pass Paris : impôt sur le revenu inférieur ou égal au plafond"
    reference = f"{REGLEMENT}, Titre II 3.1 et Titre III 3.1, art. b/1"

    def formula(individu, period):
        return individu("paris_impot_revenu", period) <= individu("paris_pass_plafond_impot", period)


class paris_pass_seniors(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Pass Paris Seniors"
    reference = f"{REGLEMENT}, Titre II 3.1"
    documentation = "Gratuité des transports en commun d'Île-de-France pour les personnes âgées parisiennes."

    def formula(individu, period):
        return (
            individu.menage("paris_condition_residence", period)
            * individu("paris_personne_agee", period)
            * individu("paris_pass_condition_impot", period)
        )


class paris_pass_access(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Pass Paris Access'"
    reference = f"{REGLEMENT}, Titre III 3.1"
    documentation = (
        "Gratuité des transports en commun d'Île-de-France pour les personnes handicapées adultes parisiennes."
    )

    def formula(individu, period):
        return (
            individu.menage("paris_condition_residence", period)
            * individu("paris_personne_handicapee", period)
            * individu("paris_pass_condition_impot", period)
        )
