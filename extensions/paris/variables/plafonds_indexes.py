"""Plafonds indexés du règlement municipal : SMIC mensuel net (35 h) et revalorisation ASPA / AAH.

Deux règles des annexes et du règlement font évoluer des plafonds sans nouveau texte :

- « Montant du SMIC mensuel net sur la base de 35 heures hebdomadaires (arrondi à la dizaine
  supérieure) » : plafonds de Paris Logement (personne isolée, couple sans enfant ; annexes II, III et
  V 2.1 et V 3.1, art. b/2) et premier plafond de Paris Logement Familles Monoparentales (annexe IV 2.2,
  art. a/2). Le SMIC net est calculé ici sur les paramètres d'OpenFisca-France (SMIC horaire brut,
  151,67 heures, cotisations et contributions salariales d'un salarié non cadre du secteur privé), comme
  le fait `salaire_net` d'OpenFisca-France pour ce salarié (tests/test_plafonds_indexes.py le prouve
  mois par mois).
- « Revalorisé tous les ans, au 1er janvier, sur la base de l'indice de revalorisation appliqué à
  l'ASPA [à l'AAH] l'année précédente. Le montant est arrondi à l'euro immédiatement supérieur » :
  plafonds de Paris Solidarité et du Complément Santé Paris (Titre II 1.1 b/5 et 1.2 b/4 : ASPA ;
  Titre III 1.1 b/5 et 1.2 b/4 : AAH), y compris celui des couples, qui suit l'ASPA au Titre II et
  l'AAH au Titre III.

Les montants publiés par la Ville restent des paramètres datés et priment pour leurs dates ; une valeur
`null` du paramètre marque la période où la règle d'indexation s'applique (métadonnée `indexation`).
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

from numpy import array, full
from numpy.typing import NDArray
from openfisca_core.parameters import ParameterNodeAtInstant
from openfisca_core.periods import Period
from openfisca_france.model.base import MONTH, Famille, Variable

REGLEMENT = (
    "Règlement municipal des prestations d'aide sociale facultative de la Ville de Paris"
    " (version au 1er septembre 2019)"
)
ANNEXE_SMIC = "annexes II 2.1, III 2.1 et V 3.1, art. b/2 ; annexe IV 2.2, art. a/2"

# Barèmes de cotisations salariales que `salaire_net` d'OpenFisca-France applique à un salarié non cadre
# du secteur privé (variables agff_salarie, arrco_salarie, agirc_arrco_salarie,
# contribution_equilibre_general_salarie, chomage_salarie (chômage + ASF), mmid_salarie (hors
# Alsace-Moselle), vieillesse_plafonnee_salarie, vieillesse_deplafonnee_salarie). Chaque barème est vide
# hors de sa période de validité (AGFF et ARRCO jusqu'en 2018, AGIRC-ARRCO et CEG depuis 2019, chômage
# jusqu'au 30 septembre 2018, maladie jusqu'en 2017).
BAREMES_SALARIE = (
    "vieillesse_plafonnee",
    "vieillesse_deplafonnee",
    "agff",
    "arrco",
    "agirc_arrco",
    "ceg",
    "chomage",
    "asf",
    "maladie",
)
# Contribution d'équilibre technique : due seulement sur un salaire supérieur au plafond de la sécurité
# sociale (contribution_equilibre_technique_salarie).
BAREME_AU_DELA_DU_PLAFOND = "cet2019"
DECIMALES_COTISATIONS = 2  # OpenFisca-France arrondit chaque tranche de cotisation au centime
ANNEE_MINIMUM_INDEXATION = 2000  # garde-fou : une valeur publiée doit précéder toute période indexée


def smic_net_35h(parameters: Callable[[str], ParameterNodeAtInstant], instant: str) -> float:
    """SMIC mensuel net (35 h) d'un salarié non cadre du privé à temps plein, à la date `instant`."""
    p = parameters(instant)
    smic = p.marche_travail.salaire_minimum.smic
    brut = array([smic.smic_b_horaire * smic.nb_heures_travail_mensuel])
    plafond_securite_sociale = p.prelevements_sociaux.pss.plafond_securite_sociale_mensuel
    baremes = p.cotsoc.cotisations_salarie.prive_non_cadre

    def cotisation(nom: str) -> NDArray:
        return getattr(baremes, nom).calc(
            brut, factor=plafond_securite_sociale, round_base_decimals=DECIMALES_COTISATIONS
        )

    cotisations = sum(cotisation(nom) for nom in BAREMES_SALARIE)
    cotisations = cotisations + (brut > plafond_securite_sociale) * cotisation(BAREME_AU_DELA_DU_PLAFOND)

    contributions = p.prelevements_sociaux.contributions_sociales
    abattement = contributions.csg.activite.abattement.calc(
        brut, factor=plafond_securite_sociale, round_base_decimals=2
    )
    assiette_csg = brut - abattement
    csg = contributions.csg.activite
    taux_csg_crds = csg.deductible + csg.imposable + contributions.crds
    return float((brut - cotisations - taux_csg_crds * assiette_csg)[0])


def arrondi_dizaine_superieure(montant: float) -> float:
    """Arrondi à la dizaine supérieure d'un montant, calculé au centime."""
    return float(ceil(round(montant, 2) / 10) * 10)


def plafond_revalorise_au_1er_janvier(
    parameters: Callable[[str], ParameterNodeAtInstant],
    instant: str,
    publie: Callable[[ParameterNodeAtInstant], float | None],
    indice: Callable[[ParameterNodeAtInstant], float],
    revalorisation_incluse: Callable[[str], str | None] = lambda instant: None,
) -> float:
    """Plafond publié à `instant`, ou, là où le paramètre vaut null, revalorisé chaque 1er janvier.

    Au 1er janvier de l'année N, le plafond du 31 décembre N-1 est multiplié par le rapport du montant
    national (ASPA ou AAH) au 31 décembre N-1 à ce montant au 31 décembre N-2 (la revalorisation
    appliquée pendant l'année précédente), puis arrondi à l'euro immédiatement supérieur (au centime
    près). Les périodes indexées (valeur null) commencent toujours un 1er janvier.

    Un montant publié qui comprend déjà une revalorisation nationale de l'année N-1 le dit dans ses
    métadonnées (`revalorisation_incluse`, date de cette revalorisation, que `revalorisation_incluse(instant)`
    rend pour le montant en vigueur à `instant`) : la revalorisation du 1er janvier N ne l'applique pas une
    seconde fois (le rapport part du montant national à cette date, non du 31 décembre N-2).
    """
    valeur = publie(parameters(instant))
    if valeur is not None:
        return float(valeur)
    annee = int(instant[:4])
    if annee <= ANNEE_MINIMUM_INDEXATION:
        raise ValueError(f"aucun plafond publié avant {instant} dont partir pour l'indexation")
    if publie(parameters(f"{annee}-01-01")) is not None:
        raise ValueError(f"la période indexée en vigueur le {instant} doit commencer un 1er janvier")
    fin_annee_precedente = f"{annee - 1}-12-31"
    base = plafond_revalorise_au_1er_janvier(
        parameters, fin_annee_precedente, publie, indice, revalorisation_incluse
    )
    depart = max(f"{annee - 2}-12-31", revalorisation_incluse(fin_annee_precedente) or "")
    coefficient = indice(parameters(fin_annee_precedente)) / indice(parameters(depart))
    return float(ceil(round(base * coefficient, 2)))


def indice_aspa(p: ParameterNodeAtInstant) -> float:
    """Montant de l'ASPA d'une personne seule : sa revalorisation est l'indice du Titre II."""
    return p.prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa.montant_maximum_annuel.personnes_seules


def indice_aah(p: ParameterNodeAtInstant) -> float:
    """Montant de l'AAH à taux plein : sa revalorisation est l'indice du Titre III."""
    return p.prestations_sociales.prestations_etat_de_sante.invalidite.aah.montant


def montant_publie(noeud: ParameterNodeAtInstant, nom: str) -> float | None:
    """Le montant publié en vigueur, ou None là où le paramètre vaut null (période indexée)."""
    return getattr(noeud, nom, None)  # OpenFisca omet d'un nœud les paramètres dont la valeur est null


def pour_chaque_famille(famille, valeur: float) -> NDArray:
    return full(famille.count, valeur)


class paris_smic_net_35h(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant du SMIC mensuel net sur la base de 35 heures hebdomadaires"
    reference = f"{REGLEMENT}, {ANNEXE_SMIC}"
    documentation = (
        "SMIC horaire brut × 151,67 heures, moins les cotisations salariales (vieillesse plafonnée et "
        "déplafonnée, retraite complémentaire AGIRC-ARRCO T1 et CEG — ARRCO et AGFF avant 2019 —, "
        "chômage jusqu'en septembre 2018), la CSG et la CRDS sur 98,25 % du brut, d'un salarié non cadre "
        "du secteur privé à temps plein : les barèmes d'OpenFisca-France, ceux de son `salaire_net`."
    )

    def formula(famille, period: Period, parameters):
        return pour_chaque_famille(famille, smic_net_35h(parameters, str(period.start)))


class paris_plafond_smic_net_35h(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Montant du SMIC mensuel net sur la base de 35 heures hebdomadaires, arrondi à la dizaine supérieure"
    reference = f"{REGLEMENT}, {ANNEXE_SMIC}"

    def formula(famille, period: Period):
        smic_net = famille("paris_smic_net_35h", period)
        return pour_chaque_famille(famille, arrondi_dizaine_superieure(float(smic_net[0])))


def plafond_publie_ou_smic(famille, period: Period, publie: float | None) -> NDArray:
    """Le montant publié par la Ville s'il est en vigueur, sinon la règle du SMIC net arrondi."""
    if publie is None:
        return famille("paris_plafond_smic_net_35h", period)
    return pour_chaque_famille(famille, publie)


class paris_logement_plafond_personne_isolee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de ressources mensuelles de Paris Logement, personne isolée"
    reference = f"{REGLEMENT}, Titre II 2.1, III 2.1 et V 3.1, art. b/2 ; annexes II, III 2.1 et V 3.1, art. b/2"
    documentation = (
        "Montant publié par la Ville pour ses dates (paramètre paris_logement.plafond_ressources."
        "personne_isolee), sinon le SMIC mensuel net 35 h arrondi à la dizaine supérieure."
    )

    def formula(famille, period: Period, parameters):
        plafonds = parameters(period).paris.paris_logement.plafond_ressources
        return plafond_publie_ou_smic(famille, period, montant_publie(plafonds, "personne_isolee"))


class paris_logement_plafond_couple_sans_enfant(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de ressources mensuelles de Paris Logement, couple sans enfant"
    reference = f"{REGLEMENT}, Titre II 2.1, III 2.1 et V 3.1, art. b/2 ; annexes II, III 2.1 et V 3.1, art. b/2"
    documentation = (
        "Montant publié par la Ville pour ses dates (paramètre paris_logement.plafond_ressources."
        "couple_sans_enfant), sinon le SMIC mensuel net 35 h arrondi à la dizaine supérieure."
    )

    def formula(famille, period: Period, parameters):
        plafonds = parameters(period).paris.paris_logement.plafond_ressources
        return plafond_publie_ou_smic(famille, period, montant_publie(plafonds, "couple_sans_enfant"))


class paris_logement_plfm_plafond_1(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Premier plafond de revenus mensuels de Paris Logement Familles Monoparentales"
    reference = f"{REGLEMENT}, Titre IV 2.2, art. a/2 ; annexe IV 2.2, art. a/2"
    documentation = (
        "Montant publié par la Ville pour ses dates (paramètre paris_logement_plfm.plafond_1), sinon le "
        "SMIC mensuel net 35 h arrondi à la dizaine supérieure."
    )

    def formula(famille, period: Period, parameters):
        plafonds = parameters(period).paris.paris_logement_plfm
        return plafond_publie_ou_smic(famille, period, montant_publie(plafonds, "plafond_1"))


def revalorisation_incluse_du_montant(parametre, instant: str) -> str | None:
    """La date de la revalorisation nationale que le montant publié en vigueur à `instant` comprend déjà
    (métadonnée `revalorisation_incluse` de la valeur datée), ou None."""
    en_vigueur = [v for v in parametre.values_list if v.instant_str <= instant]
    if not en_vigueur:
        return None
    valeur = max(en_vigueur, key=lambda v: v.instant_str)
    if valeur.value is None:
        return None
    incluse = (getattr(valeur, "metadata", None) or {}).get("revalorisation_incluse")
    return str(incluse) if incluse else None


def plafond_solidarite(famille, period: Period, parameters, nom: str, indice) -> NDArray:
    def publie(p: ParameterNodeAtInstant) -> float | None:
        return montant_publie(p.paris.paris_solidarite.plafond, nom)

    parametre = famille.simulation.tax_benefit_system.parameters.paris.paris_solidarite.plafond.children[nom]

    def incluse(instant: str) -> str | None:
        return revalorisation_incluse_du_montant(parametre, instant)

    return pour_chaque_famille(
        famille, plafond_revalorise_au_1er_janvier(parameters, str(period.start), publie, indice, incluse)
    )


class paris_solidarite_plafond_personne_agee_isolee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de Paris Solidarité et du Complément Santé Paris, personne âgée isolée"
    reference = f"{REGLEMENT}, Titre II 1.1, art. b/3 et b/5 ; Titre II 1.2, art. b/3 et b/4 ; annexe II 1.1 et 1.2"
    documentation = "Montant publié par la Ville pour ses dates, sinon revalorisé chaque 1er janvier comme l'ASPA."

    def formula(famille, period: Period, parameters):
        return plafond_solidarite(famille, period, parameters, "personne_agee_isolee", indice_aspa)


class paris_solidarite_plafond_couple_personnes_agees(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de Paris Solidarité et du Complément Santé Paris, couple (personnes âgées, Titre II)"
    reference = f"{REGLEMENT}, Titre II 1.1, art. b/3 et b/5 ; Titre II 1.2, art. b/3 et b/4 ; annexe II 1.1 et 1.2"
    documentation = "Montant publié par la Ville pour ses dates, sinon revalorisé chaque 1er janvier comme l'ASPA."

    def formula(famille, period: Period, parameters):
        return plafond_solidarite(famille, period, parameters, "couple_personnes_agees", indice_aspa)


class paris_solidarite_plafond_personne_handicapee_isolee(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de Paris Solidarité et du Complément Santé Paris, personne handicapée isolée"
    reference = f"{REGLEMENT}, Titre III 1.1, art. b/3 et b/5 ; Titre III 1.2, art. b/3 et b/4 ; annexe III 1.1 et 1.2"
    documentation = "Montant publié par la Ville pour ses dates, sinon revalorisé chaque 1er janvier comme l'AAH."

    def formula(famille, period: Period, parameters):
        return plafond_solidarite(famille, period, parameters, "personne_handicapee_isolee", indice_aah)


class paris_solidarite_plafond_couple_personnes_handicapees(Variable):
    value_type = float
    entity = Famille
    definition_period = MONTH
    unit = "currency"
    label = "Plafond de Paris Solidarité et du Complément Santé Paris, couple (personnes handicapées, Titre III)"
    reference = f"{REGLEMENT}, Titre III 1.1, art. b/3 et b/5 ; Titre III 1.2, art. b/3 et b/4 ; annexe III 1.1 et 1.2"
    documentation = "Montant publié par la Ville pour ses dates, sinon revalorisé chaque 1er janvier comme l'AAH."

    def formula(famille, period: Period, parameters):
        return plafond_solidarite(famille, period, parameters, "couple_personnes_handicapees", indice_aah)
