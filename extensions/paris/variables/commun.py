"""Définitions communes du règlement municipal des prestations d'aide sociale facultative de Paris.

Résidence, personnes âgées ou handicapées, enfants à charge, ressources et charge de logement :
chaque aide parisienne s'appuie sur ces variables, définies une seule fois.
"""

from numpy import char, logical_not, maximum, where
from openfisca_france.model.base import (
    MONTH,
    Famille,
    Individu,
    Menage,
    TypesActivite,
    TypesStatutOccupationLogement,
    Variable,
    set_input_dispatch_by_period,
)

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)

# Codes officiels géographiques (INSEE) : la commune de Paris (75056) et ses arrondissements
# municipaux (75101 à 75120), qui commencent tous par 751.
DEPCOM_COMMUNE_PARIS = "75056"
PREFIXE_ARRONDISSEMENTS_PARIS = "751"


class parisien(Variable):
    value_type = bool
    default_value = False
    entity = Menage
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = "Le demandeur a son domicile et sa résidence à Paris depuis au moins 3 des 5 dernières années"
    reference = f"{REGLEMENT}, Titre I/A, art. 2"


class paris_domicile(Variable):
    value_type = bool
    entity = Menage
    definition_period = MONTH
    label = "Le logement est situé à Paris"
    reference = f"{REGLEMENT}, Titre I/A, art. 1"
    documentation = "Vrai pour le code commune de Paris (75056) et pour les codes d'arrondissement (75101 à 75120)."

    def formula(menage, period):
        depcom = menage("depcom", period).astype(str)
        return char.startswith(depcom, PREFIXE_ARRONDISSEMENTS_PARIS) + (depcom == DEPCOM_COMMUNE_PARIS)


class paris_condition_residence(Variable):
    value_type = bool
    entity = Menage
    definition_period = MONTH
    label = "Condition de résidence à Paris : y habiter, depuis au moins 3 des 5 dernières années"
    reference = f"{REGLEMENT}, Titre I/A, art. 1 et 2"

    def formula(menage, period):
        return menage("paris_domicile", period) * menage("parisien", period)


class paris_personne_agee(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Personne âgée au sens du règlement municipal (65 ans, ou 60 ans en cas d'inaptitude au travail)"
    reference = f"{REGLEMENT}, Titre II/A, art. 2"

    def formula(individu, period, parameters):
        commun = parameters(period).paris.commun
        age = individu("age", period)
        inapte_travail = individu("inapte_travail", period)
        return (age >= commun.age_personne_agee) + inapte_travail * (age >= commun.age_personne_agee_inaptitude)


class paris_titre_handicap(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = (
        "La personne a l'un des titres qui attestent le handicap, autres que l'AAH : pension d'invalidité des "
        "2e ou 3e groupes du régime général, pension de veuve ou de veuf invalide, allocation compensatrice "
        "pour tierce personne, prestation de compensation du handicap (volet « aides humaines »), rente "
        "d'accident du travail pour une incapacité d'au moins 80 %, pension anticipée de fonctionnaire civil "
        "ou de militaire non admis à rester en service, rente viagère d'invalidité de la Caisse des dépôts"
    )
    reference = f"{REGLEMENT}, Titre III/A, art. 2"


class paris_personne_handicapee(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Personne handicapée adulte au sens du règlement municipal"
    reference = f"{REGLEMENT}, Titre III/A, art. 2"
    documentation = (
        "Adulte (20 ans ou plus) dont le handicap est attesté par l'un des titres de l'article 2 : "
        "allocation aux adultes handicapés, ou l'un des titres de paris_titre_handicap. Un taux "
        "d'incapacité seul, sans l'un de ces titres, ne suffit pas."
    )

    def formula(individu, period, parameters):
        commun = parameters(period).paris.commun
        adulte = individu("age", period) >= commun.age_adulte_handicape
        titre = individu("paris_titre_handicap", period)
        return adulte * ((individu("aah", period) > 0) + titre)


class paris_titulaire_aide_personne_handicapee(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = (
        "La personne (enfant handicapé) est elle-même titulaire de Paris Solidarité et/ou du Complément "
        "Santé Paris"
    )
    reference = f"{REGLEMENT}, Titre IV/A, art. 8"


class paris_garantie_ressources_travail(Variable):
    value_type = bool
    default_value = False
    entity = Individu
    definition_period = MONTH
    set_input = set_input_dispatch_by_period
    label = (
        "La personne (enfant handicapé) bénéficie d'une garantie de ressources provenant de son travail "
        "(rémunération garantie des travailleurs handicapés, ESAT)"
    )
    reference = f"{REGLEMENT}, Titre IV/A, art. 8"


class paris_enfant_a_charge(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Enfant à charge au sens du règlement municipal"
    reference = (
        f"{REGLEMENT}, Titre IV/A, art. 6, 7 et 8 ; code général des impôts, art. 6-3 "
        "(https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000042159475)"
    )
    documentation = (
        "Enfant de la famille de moins de 21 ans (rattachement fiscal), ou de moins de 25 ans s'il est "
        "étudiant ou demandeur d'emploi non indemnisé, ou sans condition d'âge s'il est handicapé "
        "(« infirme » au sens de l'article 6-3 du code général des impôts, auquel renvoie la notion "
        "d'enfant à charge fiscale) : handicap reconnu, ou allocation aux adultes handicapés. Un enfant "
        "handicapé titulaire de Paris Solidarité ou du Complément Santé Paris, ou bénéficiaire d'une garantie "
        "de ressources provenant de son travail, n'est pas à charge (Titre IV/A, art. 8)."
    )

    def formula(individu, period, parameters):
        p = parameters(period).paris.commun.enfant_a_charge
        age = individu("age", period)
        etudiant = individu("etudiant", period)
        demandeur_emploi_non_indemnise = (individu("activite", period) == TypesActivite.chomeur) * (
            individu("chomage_net", period) <= 0
        )
        est_enfant = individu.has_role(Famille.ENFANT)
        infirme = individu("handicap", period) + (individu("aah", period) > 0)
        # Titre IV/A, art. 8 : « Est considéré à charge l'enfant handicapé remplissant les conditions prévues
        # à l'article 6 du Titre IV/A et qui n'est ni titulaire de Paris Solidarité et / ou du Complément Santé
        # Paris, ni bénéficiaire d'une garantie de ressources provenant de son travail. »
        exclu_art_8 = individu("paris_titulaire_aide_personne_handicapee", period) + individu(
            "paris_garantie_ressources_travail", period
        )
        a_charge = est_enfant * (
            (age < p.age_limite)
            + (age < p.age_limite_etudiant_ou_demandeur_emploi) * (etudiant + demandeur_emploi_non_indemnise)
            + infirme
        )
        return a_charge * logical_not(infirme * exclu_art_8)


class paris_enfant_handicape(Variable):
    value_type = bool
    entity = Individu
    definition_period = MONTH
    label = "Enfant handicapé à charge (ouvrant droit à l'AEEH ou à l'AAH)"
    reference = f"{REGLEMENT}, Titre IV/A, art. 8"

    def formula(individu, period):
        return individu("paris_enfant_a_charge", period) * (
            individu("handicap", period) + (individu("aah", period) > 0)
        )


class paris_nb_enfants_a_charge(Variable):
    value_type = int
    entity = Famille
    definition_period = MONTH
    label = "Nombre d'enfants à charge au sens du règlement municipal"
    reference = f"{REGLEMENT}, Titre IV/A, art. 6"

    def formula(famille, period):
        return famille.sum(famille.members("paris_enfant_a_charge", period))


class paris_nb_enfants_handicapes(Variable):
    value_type = int
    entity = Famille
    definition_period = MONTH
    label = "Nombre d'enfants handicapés à charge"
    reference = f"{REGLEMENT}, Titre IV/A, art. 8"

    def formula(famille, period):
        return famille.sum(famille.members("paris_enfant_handicape", period))


class paris_coefficient_garde_alternee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    label = "Part de l'allocation familiale versée à ce parent (garde alternée de tous les enfants à charge)"
    reference = f"{REGLEMENT}, Titre IV/A, art. 3"
    documentation = (
        "Quand tous les enfants à charge sont en garde alternée, chaque parent reçoit la moitié de l'allocation."
    )

    def formula(famille, period, parameters):
        partage = parameters(period).paris.commun.partage_garde_alternee
        enfant = famille.members("paris_enfant_a_charge", period)
        garde_alternee = famille.members("garde_alternee", period)
        nb_enfants = famille("paris_nb_enfants_a_charge", period)
        nb_en_garde_alternee = famille.sum(enfant * garde_alternee)
        tous_en_garde_alternee = (nb_enfants > 0) * (nb_en_garde_alternee == nb_enfants)
        return where(tous_en_garde_alternee, partage, 1)


class paris_en_couple(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Le demandeur vit en couple (marié, pacsé ou en vie maritale)"
    reference = f"{REGLEMENT}, Titre II 1.1, art. a/2"

    def formula(famille, period):
        return famille.nb_persons(Famille.PARENT) > 1


class paris_personne_agee_dans_couple(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Le demandeur ou son conjoint est une personne âgée au sens du règlement municipal"
    reference = f"{REGLEMENT}, Titre II/A, art. 2"

    def formula(famille, period):
        return famille.any(famille.members("paris_personne_agee", period), role=Famille.PARENT)


class paris_personne_handicapee_dans_couple(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Le demandeur ou son conjoint est une personne handicapée adulte au sens du règlement municipal"
    reference = f"{REGLEMENT}, Titre III/A, art. 2"

    def formula(famille, period):
        return famille.any(famille.members("paris_personne_handicapee", period), role=Famille.PARENT)


# Titre I/A, art. 5 : « l'ensemble des ressources personnelles », sauf les exclusions de l'article.
RESSOURCES_PERSONNELLES = (
    "salaire_net",
    "indemnites_stage",
    "revenus_stage_formation_pro",
    "chomage_net",
    "retraite_nette",
    "pensions_invalidite",
    "indemnites_journalieres",
    "pensions_alimentaires_percues",
    "revenus_locatifs",
    "aah",
    "asi",
    "ass",
)


class paris_ressources_individu(Variable):
    value_type = float
    entity = Individu
    definition_period = MONTH
    unit = "currency"
    label = "Ressources personnelles mensuelles prises en compte par le règlement municipal"
    reference = f"{REGLEMENT}, Titre I/A, art. 5"
    documentation = (
        "L'ensemble des ressources personnelles du mois, hors celles que l'article 5 exclut : revenus "
        "d'activité (salaires, gratifications de stage, rémunérations de formation), revenus de "
        "remplacement (chômage, retraites, pensions d'invalidité, indemnités journalières), pensions "
        "alimentaires, revenus locatifs et minima sociaux individuels (AAH, ASI, ASS). "
        "Sont exclus : prestations familiales, aides au logement, prime d'activité (dispositif "
        "d'incitation à la reprise d'activité), bourses."
    )

    def formula(individu, period):
        return sum(individu(ressource, period) for ressource in RESSOURCES_PERSONNELLES)


class paris_base_ressources(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Ressources mensuelles du foyer au sens du règlement municipal"
    reference = f"{REGLEMENT}, Titre I/A, art. 5 ; Titre IV/A, art. 4"
    documentation = (
        "Ressources du mois du demandeur, de son conjoint et des enfants de la famille, plus le RSA et "
        "l'ASPA de la famille, hors prestations familiales et aides au logement."
    )

    def formula(famille, period):
        ressources_individuelles = famille.sum(famille.members("paris_ressources_individu", period))
        return ressources_individuelles + famille("rsa", period) + famille("aspa", period)


class paris_ressources_couple(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Ressources mensuelles du demandeur et de son conjoint au sens du règlement municipal"
    reference = f"{REGLEMENT}, Titre I/A, art. 5 ; Titre II 1.1, art. b/3 ; Titre IV/A, art. 4"
    documentation = (
        "Ressources du demandeur et de son conjoint seulement (Paris Solidarité, Complément Santé "
        "Paris, allocations de soutien aux familles, Paris Énergie Familles), plus le RSA et l'ASPA "
        "de la famille. Les aides au logement des familles et Paris Logement comptent aussi les "
        "ressources des autres personnes du foyer (paris_base_ressources)."
    )

    def formula(famille, period):
        ressources_individuelles = famille.sum(
            famille.members("paris_ressources_individu", period), role=Famille.PARENT
        )
        return ressources_individuelles + famille("rsa", period) + famille("aspa", period)


class paris_minimum_vieillesse(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant mensuel du minimum vieillesse (ASPA) servi à l'échelon national, selon la situation de couple"
    reference = f"{REGLEMENT}, Titre II 1.1, art. b/4 ; Titre II 2.1, art. b/3"

    def formula(famille, period, parameters):
        aspa = parameters(
            period
        ).prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa.montant_maximum_annuel
        annuel = where(famille("paris_en_couple", period), aspa.couples, aspa.personnes_seules)
        return annuel / 12


class paris_locataire(Variable):
    value_type = bool
    entity = Menage
    definition_period = MONTH
    label = "Le ménage est locataire de son logement"
    reference = f"{REGLEMENT}, Titre II 2.1, art. a/1 et b/1"

    def formula(menage, period):
        statut = menage("statut_occupation_logement", period)
        return (
            (statut == TypesStatutOccupationLogement.locataire_hlm)
            + (statut == TypesStatutOccupationLogement.locataire_vide)
            + (statut == TypesStatutOccupationLogement.locataire_meuble)
            + (statut == TypesStatutOccupationLogement.locataire_foyer)
        )


class paris_charge_logement_brute(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Charge brute mensuelle de logement : loyer (ou mensualité d'accession) et charges locatives"
    reference = f"{REGLEMENT}, Titre IV 2.1, art. b/2"

    def formula(famille, period):
        return famille.demandeur.menage("loyer", period) + famille.demandeur.menage("charges_locatives", period)


class paris_charge_logement_nette(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Charge nette mensuelle de logement : charge brute moins les aides au logement"
    reference = f"{REGLEMENT}, Titre II 2.1, art. b/4 ; Titre IV 2.1, art. b/2"
    documentation = "Les aides parisiennes au logement ne peuvent dépasser cette charge nette."

    def formula(famille, period):
        brute = famille("paris_charge_logement_brute", period)
        return maximum(brute - famille("aide_logement", period), 0)


class paris_condition_charge_logement(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Il reste au foyer une charge de logement après les aides au logement"
    reference = f"{REGLEMENT}, Titre II 2.1, art. b/4 ; Titre IV 2.1, art. b/2"

    def formula(famille, period):
        return famille("paris_charge_logement_nette", period) > 0


class paris_famille_monoparentale(Variable):
    value_type = bool
    entity = Famille
    definition_period = MONTH
    label = "Parent seul ayant au moins un enfant à charge"
    reference = f"{REGLEMENT}, Titre IV 2.2, art. a/1"

    def formula(famille, period):
        return logical_not(famille("paris_en_couple", period)) * (famille("paris_nb_enfants_a_charge", period) > 0)
