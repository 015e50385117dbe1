"""Paris Solidarité et Complément Santé Paris (Titres II et III du règlement municipal, chapitre 1).

Paris Solidarité complète les ressources des personnes âgées et des personnes handicapées jusqu'à un
plafond ; le Complément Santé Paris aide à payer leur complémentaire santé sous les mêmes plafonds.
"""

from numpy import logical_not, maximum, minimum, select, where
from openfisca_france.model.base import MONTH, Famille, Individu, Variable, set_input_dispatch_by_period

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)


class paris_complementaire_sante_payante(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "La personne adhère, à titre payant, à une complémentaire santé (mutuelle ou organisme analogue)"
    reference = f"{REGLEMENT}, Titre II 1.2 et Titre III 1.2, art. b/2"


class paris_solidarite_condition_public(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Le demandeur ou son conjoint est une personne âgée ou une personne handicapée adulte"
    reference = f"{REGLEMENT}, Titre II/A, art. 2 ; Titre III/A, art. 2"

    def formula(famille, period):
        return famille("paris_personne_agee_dans_couple", period) + famille(
            "paris_personne_handicapee_dans_couple", period
        )


class paris_solidarite_plafond_personne_agee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de ressources mensuelles de Paris Solidarité (personnes âgées), selon la situation de couple"
    reference = f"{REGLEMENT}, Titre II 1.1, art. b/3 et b/5 ; annexe II 1.1"

    def formula(famille, period):
        return where(
            famille("paris_en_couple", period),
            famille("paris_solidarite_plafond_couple_personnes_agees", period),
            famille("paris_solidarite_plafond_personne_agee_isolee", period),
        )


class paris_solidarite_plafond_personne_handicapee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de ressources mensuelles de Paris Solidarité (personnes handicapées), selon la situation de couple"
    reference = f"{REGLEMENT}, Titre III 1.1, art. b/3 et b/5 ; annexe III 1.1"

    def formula(famille, period):
        return where(
            famille("paris_en_couple", period),
            famille("paris_solidarite_plafond_couple_personnes_handicapees", period),
            famille("paris_solidarite_plafond_personne_handicapee_isolee", period),
        )


class paris_solidarite_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de ressources mensuelles de Paris Solidarité et du Complément Santé Paris applicable au foyer"
    reference = f"{REGLEMENT}, Titre II 1.1 et 1.2, Titre III 1.1 et 1.2 ; annexes II et III"
    documentation = "Pour une personne à la fois âgée et handicapée, le plafond le plus favorable."

    def formula(famille, period):
        agee = famille("paris_personne_agee_dans_couple", period)
        handicapee = famille("paris_personne_handicapee_dans_couple", period)
        plafond_agee = famille("paris_solidarite_plafond_personne_agee", period)
        plafond_handicapee = famille("paris_solidarite_plafond_personne_handicapee", period)
        return select(
            [agee * handicapee, handicapee],
            [maximum(plafond_agee, plafond_handicapee), plafond_handicapee],
            plafond_agee,
        )


class paris_solidarite_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Solidarité : ressources inférieures au plafond"
    reference = f"{REGLEMENT}, Titre II 1.1 et Titre III 1.1, art. b/3"

    def formula(famille, period):
        return famille("paris_ressources_couple", period) < famille("paris_solidarite_plafond", period)


class paris_solidarite_montant_differentiel(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Solidarité : plafond moins ressources, ressources réputées au moins égales au minimum national"
    reference = f"{REGLEMENT}, Titre II 1.1, art. b/3 et b/4 ; Titre III 1.1, art. b/3 et b/4"
    documentation = (
        "Les ressources d'une personne âgée sont réputées au moins égales au minimum vieillesse (ASPA), "
        "celles d'une personne handicapée au montant de l'AAH. Pour une personne relevant des deux titres, "
        "le calcul le plus favorable est retenu."
    )

    def formula(famille, period, parameters):
        montant_aah = parameters(period).prestations_sociales.prestations_etat_de_sante.invalidite.aah.montant
        ressources = famille("paris_ressources_couple", period)
        ressources_agee = maximum(ressources, famille("paris_minimum_vieillesse", period))
        ressources_handicapee = maximum(ressources, montant_aah)
        montant_agee = famille("paris_personne_agee_dans_couple", period) * maximum(
            famille("paris_solidarite_plafond_personne_agee", period) - ressources_agee, 0
        )
        montant_handicapee = famille("paris_personne_handicapee_dans_couple", period) * maximum(
            famille("paris_solidarite_plafond_personne_handicapee", period) - ressources_handicapee, 0
        )
        return maximum(montant_agee, montant_handicapee)


class paris_solidarite_condition_seuil(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Solidarité : le complément dépasse le seuil de versement"
    reference = f"{REGLEMENT}, Titre II 1.1 et Titre III 1.1, art. d/2 ; annexes II 1.1 et III 1.1"

    def formula(famille, period, parameters):
        seuil = parameters(period).paris.paris_solidarite.seuil_versement
        return famille("paris_solidarite_montant_differentiel", period) > seuil


class paris_solidarite(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Solidarité"
    reference = f"{REGLEMENT}, Titre II 1.1 et Titre III 1.1"
    documentation = "Complément mensuel de ressources des personnes âgées et des personnes handicapées parisiennes."

    def formula(famille, period):
        eligible = (
            famille.demandeur.menage("paris_condition_residence", period)
            * famille("paris_solidarite_condition_public", period)
            * famille("paris_solidarite_condition_seuil", period)
        )
        return eligible * famille("paris_solidarite_montant_differentiel", period)


class paris_complement_sante_condition_complementaire(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Complément Santé Paris : adhésion à titre payant à une complémentaire santé"
    reference = f"{REGLEMENT}, Titre II 1.2 et Titre III 1.2, art. b/2"

    def formula(famille, period):
        return famille.any(famille.members("paris_complementaire_sante_payante", period), role=Famille.PARENT)


class paris_complement_sante_plafond_personne_handicapee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = (
        "Complément Santé Paris (personnes handicapées) : plafond des ressources du demandeur, le plus bas du "
        "plafond fixé par le Conseil de Paris et de l'AAH plus la majoration pour la vie autonome"
    )
    reference = f"{REGLEMENT}, Titre III 1.2, art. b/3 ; annexe III 1.2"
    documentation = (
        "L'article b/3 pose deux plafonds à la fois : celui de l'annexe III 1.2, et « la somme des montants "
        "mensuels de l'Allocation aux Adultes Handicapés et de la Majoration pour Vie Autonome, qui "
        "peuvent être servis à l'échelon national » (paramètres d'OpenFisca-France)."
    )

    def formula(famille, period, parameters):
        invalidite = parameters(period).prestations_sociales.prestations_etat_de_sante.invalidite
        aah_et_mva = invalidite.aah.montant + invalidite.caah.majoration_vie_autonome
        return minimum(famille("paris_solidarite_plafond_personne_handicapee", period), aah_et_mva)


class paris_complement_sante_ressources_demandeur_handicape(Variable):
    value_type = float
    entity = Individu
    definition_period = MONTH
    unit = "currency"
    label = "Complément Santé Paris (personnes handicapées) : ressources mensuelles du demandeur seul"
    reference = f"{REGLEMENT}, Titre III 1.2, art. b/3 (« Toutes les ressources du demandeur sont prises en compte »)"
    documentation = (
        "Les ressources personnelles de la personne handicapée, sans celles de son conjoint ; pour une "
        "personne seule, le RSA et l'ASPA de sa famille s'y ajoutent (pour un couple, ces allocations "
        "communes ne sont pas imputées à l'un des deux)."
    )

    def formula(individu, period):
        famille = individu.famille
        seule = logical_not(famille("paris_en_couple", period))
        minima_familiaux = famille("rsa", period) + famille("aspa", period)
        return individu("paris_ressources_individu", period) + seule * minima_familiaux


class paris_complement_sante_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Complément Santé Paris : ressources inférieures ou égales au plafond"
    reference = f"{REGLEMENT}, Titre II 1.2, art. b/3 ; Titre III 1.2, art. b/3"
    documentation = (
        "Personne âgée (Titre II 1.2 b/3) : les ressources du demandeur et de son conjoint, au plus le "
        "plafond de l'annexe II 1.2. Personne handicapée (Titre III 1.2 b/3) : les ressources du demandeur "
        "seul, au plus le plafond de l'annexe III 1.2 et au plus l'AAH plus la majoration pour la vie "
        "autonome. L'une ou l'autre suffit."
    )

    def formula(famille, period):
        agee = famille("paris_personne_agee_dans_couple", period) * (
            famille("paris_ressources_couple", period) <= famille("paris_solidarite_plafond_personne_agee", period)
        )
        plafond_handicap = famille("paris_complement_sante_plafond_personne_handicapee", period)
        ressources = famille.members("paris_complement_sante_ressources_demandeur_handicape", period)
        handicapee = famille.members("paris_personne_handicapee", period)
        handicap = famille.any(
            handicapee * (ressources <= famille.project(plafond_handicap)), role=Famille.PARENT
        )
        return agee + handicap


class paris_complement_sante(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Complément Santé Paris (montant annuel)"
    reference = f"{REGLEMENT}, Titre II 1.2 et Titre III 1.2 ; annexes II 1.2 et III 1.2"
    documentation = "Participation annuelle aux frais d'adhésion à une complémentaire santé."

    def formula(famille, period, parameters):
        eligible = (
            famille.demandeur.menage("paris_condition_residence", period)
            * famille("paris_solidarite_condition_public", period)
            * famille("paris_complement_sante_condition_complementaire", period)
            * famille("paris_complement_sante_condition_ressources", period)
        )
        return eligible * parameters(period).paris.complement_sante_paris.montant_annuel
