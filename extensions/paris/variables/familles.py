"""Aides de la Ville de Paris aux familles (Titre IV du règlement municipal).

Paris Logement Familles, Paris Logement Familles Monoparentales, Paris Énergie Familles, Paris Forfait
Familles et allocation de soutien aux parents d'enfant(s) handicapé(s).
"""

from numpy import maximum, minimum, select, where
from openfisca_france.model.base import MONTH, Famille, Variable

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)


# Paris Logement Familles (Titre IV 2.1)


class paris_logement_familles_condition_enfants(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement Familles : au moins 2 enfants à charge, ou au moins un enfant handicapé à charge"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. a/1"

    def formula(famille, period, parameters):
        nombre_minimum = parameters(period).paris.paris_logement_familles.nombre_enfants_minimum
        return (famille("paris_nb_enfants_a_charge", period) >= nombre_minimum) + (
            famille("paris_nb_enfants_handicapes", period) > 0
        )


class paris_logement_familles_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de revenus mensuels le plus élevé de Paris Logement Familles pour cette famille"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. b/1 ; annexe IV 2.1"

    def formula(famille, period, parameters):
        p = parameters(period).paris.paris_logement_familles
        nb_enfants = famille("paris_nb_enfants_a_charge", period)
        famille_nombreuse_ou_handicap = (nb_enfants >= p.famille_nombreuse.nombre_enfants) + (
            famille("paris_nb_enfants_handicapes", period) > 0
        )
        return where(
            famille_nombreuse_ou_handicap,
            maximum(p.famille_nombreuse.tranche_2.plafond, p.enfant_handicape.plafond),
            p.deux_enfants.plafond,
        )


class paris_logement_familles_bareme(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant mensuel de Paris Logement Familles selon le barème, avant plafonnement à la charge nette"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. a/2 et b/1 ; annexe IV 2.1"

    def formula(famille, period, parameters):
        p = parameters(period).paris.paris_logement_familles
        nombreuse = p.famille_nombreuse
        nb_enfants = famille("paris_nb_enfants_a_charge", period)
        revenus = famille("paris_base_ressources", period)
        enfants_supplementaires = maximum(nb_enfants - nombreuse.nombre_enfants, 0)
        montant_tranche_1 = (
            nombreuse.tranche_1.montant + nombreuse.tranche_1.majoration_par_enfant * enfants_supplementaires
        )
        montant_tranche_2 = (
            nombreuse.tranche_2.montant + nombreuse.tranche_2.majoration_par_enfant * enfants_supplementaires
        )

        deux_enfants = (
            (nb_enfants >= p.nombre_enfants_minimum)
            * (nb_enfants < nombreuse.nombre_enfants)
            * (revenus <= p.deux_enfants.plafond)
            * p.deux_enfants.montant
        )
        famille_nombreuse = (nb_enfants >= nombreuse.nombre_enfants) * select(
            [revenus <= nombreuse.tranche_1.plafond, revenus <= nombreuse.tranche_2.plafond],
            [montant_tranche_1, montant_tranche_2],
            0,
        )
        enfant_handicape = (
            (famille("paris_nb_enfants_handicapes", period) > 0)
            * (revenus <= p.enfant_handicape.plafond)
            * montant_tranche_1
        )
        return maximum(maximum(deux_enfants, famille_nombreuse), enfant_handicape)


class paris_logement_familles_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement Familles : revenus mensuels inférieurs ou égaux au plafond"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. b/1"

    def formula(famille, period):
        return famille("paris_base_ressources", period) <= famille("paris_logement_familles_plafond", period)


class paris_logement_familles_montant_theorique(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Logement Familles avant la règle de non-cumul"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. a/2 et b/2 ; Titre IV/A, art. 3"

    def formula(famille, period):
        eligible = famille.demandeur.menage("paris_condition_residence", period) * famille(
            "paris_logement_familles_condition_enfants", period
        )
        montant = minimum(
            famille("paris_logement_familles_bareme", period), famille("paris_charge_logement_nette", period)
        )
        return eligible * montant * famille("paris_coefficient_garde_alternee", period)


class paris_logement_familles_condition_non_cumul(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement Familles n'est pas écarté au profit de PLFM ou de Paris Logement, plus favorables"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. d/2 ; Titre IV 2.2, art. d/2"
    documentation = (
        "Un parent seul reçoit PLFM, sauf si Paris Logement Familles lui est plus favorable (option de l'art. d/2)."
    )

    def formula(famille, period):
        montant = famille("paris_logement_familles_montant_theorique", period)
        return (montant > famille("paris_logement_plfm_montant_theorique", period)) * (
            montant >= famille("paris_logement_montant_theorique", period)
        )


class paris_logement_familles(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Logement Familles"
    reference = f"{REGLEMENT}, Titre IV 2.1"
    documentation = (
        "Aide mensuelle au logement des familles d'au moins 2 enfants ou ayant un enfant handicapé à charge."
    )

    def formula(famille, period):
        return famille("paris_logement_familles_montant_theorique", period) * famille(
            "paris_logement_familles_condition_non_cumul", period
        )


# Paris Logement Familles Monoparentales (Titre IV 2.2)


class paris_logement_plfm_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de revenus mensuels de Paris Logement Familles Monoparentales"
    reference = f"{REGLEMENT}, Titre IV 2.2, art. b/1 ; annexe IV 2.2"

    def formula(famille, period, parameters):
        return parameters(period).paris.paris_logement_plfm.plafond_2


class paris_logement_plfm_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Logement Familles Monoparentales : revenus mensuels inférieurs ou égaux au plafond"
    reference = f"{REGLEMENT}, Titre IV 2.2, art. b/1"

    def formula(famille, period):
        return famille("paris_base_ressources", period) <= famille("paris_logement_plfm_plafond", period)


class paris_logement_plfm_montant_theorique(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Logement Familles Monoparentales avant la règle de non-cumul"
    reference = f"{REGLEMENT}, Titre IV 2.2, art. a/2 et b/2 ; annexe IV 2.2 ; Titre IV/A, art. 3"

    def formula(famille, period, parameters):
        p = parameters(period).paris.paris_logement_plfm
        revenus = famille("paris_base_ressources", period)
        plafond_1 = famille("paris_logement_plfm_plafond_1", period)
        bareme = select([revenus <= plafond_1, revenus <= p.plafond_2], [p.montant_1, p.montant_2], 0)
        eligible = famille.demandeur.menage("paris_condition_residence", period) * famille(
            "paris_famille_monoparentale", period
        )
        montant = minimum(bareme, famille("paris_charge_logement_nette", period))
        return eligible * montant * famille("paris_coefficient_garde_alternee", period)


class paris_logement_plfm_condition_non_cumul(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "PLFM n'est pas écarté au profit de Paris Logement Familles, plus favorable"
    reference = f"{REGLEMENT}, Titre IV 2.2, art. d/2 et d/3"

    def formula(famille, period):
        montant = famille("paris_logement_plfm_montant_theorique", period)
        return (montant >= famille("paris_logement_familles_montant_theorique", period)) * (
            montant >= famille("paris_logement_montant_theorique", period)
        )


class paris_logement_plfm(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Logement Familles Monoparentales"
    reference = f"{REGLEMENT}, Titre IV 2.2"

    def formula(famille, period):
        return famille("paris_logement_plfm_montant_theorique", period) * famille(
            "paris_logement_plfm_condition_non_cumul", period
        )


# Paris Énergie Familles (Titre IV 2.4)


class paris_energie_familles_famille_nombreuse_ou_handicap(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Énergie Familles : famille de 3 enfants et plus ou ayant un enfant handicapé à charge"
    reference = f"{REGLEMENT}, Titre IV 2.4 ; annexe IV 2.4"

    def formula(famille, period, parameters):
        nombre = parameters(period).paris.paris_energie_familles.nombre_enfants_famille_nombreuse
        return (famille("paris_nb_enfants_a_charge", period) >= nombre) + (
            famille("paris_nb_enfants_handicapes", period) > 0
        )


class paris_energie_familles_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de revenus mensuels de Paris Énergie Familles"
    reference = f"{REGLEMENT}, Titre IV 2.4, art. b/1 ; annexe IV 2.4"

    def formula(famille, period, parameters):
        p = parameters(period).paris.paris_energie_familles
        nb_enfants = famille("paris_nb_enfants_a_charge", period)
        return select(
            [
                famille("paris_energie_familles_famille_nombreuse_ou_handicap", period),
                nb_enfants >= p.nombre_enfants_deuxieme_plafond,
            ],
            [p.plafond.famille_nombreuse_ou_enfant_handicape, p.plafond.deux_enfants],
            p.plafond.un_enfant,
        )


class paris_energie_familles_condition_enfants(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Énergie Familles : au moins un enfant à charge"
    reference = f"{REGLEMENT}, Titre IV 2.4, art. a/2"

    def formula(famille, period):
        return famille("paris_nb_enfants_a_charge", period) > 0


class paris_energie_familles_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Énergie Familles : revenus mensuels inférieurs ou égaux au plafond"
    reference = f"{REGLEMENT}, Titre IV 2.4, art. b/1"

    def formula(famille, period):
        return famille("paris_ressources_couple", period) <= famille("paris_energie_familles_plafond", period)


class paris_energie_familles(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Énergie Familles (montant annuel, versé une fois par période de 12 mois)"
    reference = f"{REGLEMENT}, Titre IV 2.4"
    documentation = "Le montant est annuel : il est versé en une fois au fournisseur d'énergie (art. c/2 et c/3)."

    def formula(famille, period, parameters):
        montant = parameters(period).paris.paris_energie_familles.montant
        bareme = where(
            famille("paris_energie_familles_famille_nombreuse_ou_handicap", period),
            montant.famille_nombreuse_ou_enfant_handicape,
            montant.un_ou_deux_enfants,
        )
        eligible = (
            famille.demandeur.menage("paris_condition_residence", period)
            * famille("paris_energie_familles_condition_enfants", period)
            * famille("paris_energie_familles_condition_ressources", period)
        )
        return eligible * bareme * famille("paris_coefficient_garde_alternee", period)


# Paris Forfait Familles (Titre IV 1.2)


class paris_forfait_familles_condition_enfants(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Forfait Familles : au moins 3 enfants à charge"
    reference = f"{REGLEMENT}, Titre IV 1.2, art. a/1"

    def formula(famille, period, parameters):
        nombre_minimum = parameters(period).paris.paris_forfait_familles.nombre_enfants_minimum
        return famille("paris_nb_enfants_a_charge", period) >= nombre_minimum


class paris_forfait_familles_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de revenus mensuels de Paris Forfait Familles"
    reference = f"{REGLEMENT}, Titre IV 1.2, art. b/1 ; annexe IV 1.2"

    def formula(famille, period, parameters):
        return parameters(period).paris.paris_forfait_familles.plafond_2


class paris_forfait_familles_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Paris Forfait Familles : revenus mensuels inférieurs ou égaux au plafond"
    reference = f"{REGLEMENT}, Titre IV 1.2, art. b/1"

    def formula(famille, period):
        return famille("paris_ressources_couple", period) <= famille("paris_forfait_familles_plafond", period)


class paris_forfait_familles(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Paris Forfait Familles (montant annuel, versé une fois par période de 12 mois)"
    reference = f"{REGLEMENT}, Titre IV 1.2 ; annexe IV 1.2"

    def formula(famille, period, parameters):
        p = parameters(period).paris.paris_forfait_familles
        revenus = famille("paris_ressources_couple", period)
        bareme = select([revenus <= p.plafond_1, revenus <= p.plafond_2], [p.montant_1, p.montant_2], 0)
        eligible = famille.demandeur.menage("paris_condition_residence", period) * famille(
            "paris_forfait_familles_condition_enfants", period
        )
        return eligible * bareme * famille("paris_coefficient_garde_alternee", period)


# Allocation de soutien aux parents d'enfant(s) handicapé(s) (Titre IV 1.3)


class paris_aspeh_condition_enfant_handicape(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "ASPEH : au moins un enfant handicapé à charge"
    reference = f"{REGLEMENT}, Titre IV 1.3, art. a/1 ; Titre IV/A, art. 8"

    def formula(famille, period):
        return famille("paris_nb_enfants_handicapes", period) > 0


class paris_aspeh_plafond(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de revenus mensuels de l'allocation de soutien aux parents d'enfants handicapés"
    reference = f"{REGLEMENT}, Titre IV 1.3, art. b/1 ; annexe IV 1.3"

    def formula(famille, period, parameters):
        return parameters(period).paris.aspeh.plafond


class paris_aspeh_condition_ressources(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "ASPEH : revenus mensuels inférieurs ou égaux au plafond"
    reference = f"{REGLEMENT}, Titre IV 1.3, art. b/1"

    def formula(famille, period):
        return famille("paris_ressources_couple", period) <= famille("paris_aspeh_plafond", period)


class paris_aspeh(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Allocation de soutien aux parents d'enfant(s) handicapé(s)"
    reference = f"{REGLEMENT}, Titre IV 1.3 ; annexe IV 1.3"
    documentation = (
        "Versée au titre de chaque enfant handicapé à charge ; pour un enfant en garde alternée, "
        "chaque parent en reçoit la moitié."
    )

    def formula(famille, period, parameters):
        p = parameters(period).paris
        enfant_handicape = famille.members("paris_enfant_handicape", period)
        garde_alternee = famille.members("garde_alternee", period)
        part_enfant = where(garde_alternee, p.commun.partage_garde_alternee, 1)
        nb_parts = famille.sum(enfant_handicape * part_enfant)
        eligible = famille.demandeur.menage("paris_condition_residence", period) * famille(
            "paris_aspeh_condition_ressources", period
        )
        return eligible * nb_parts * p.aspeh.montant_par_enfant
