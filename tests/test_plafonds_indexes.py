"""Plafonds indexés de la Ville de Paris (extensions/paris/variables/plafonds_indexes.py).

- Preuve de la formule du SMIC mensuel net (35 h) : pour chaque mois de 2018-01 à 2026-12, elle est égale, au
  centime, au `salaire_net` qu'OpenFisca-France calcule pour un salarié non cadre du privé payé au SMIC à temps
  plein (`salaire_de_base` = SMIC horaire brut × 151,67 h, tous les mois renseignés, régularisation de décembre
  comprise).
- Le plafond de Paris Logement de novembre 2026 est ce `salaire_net` arrondi à la dizaine supérieure (aucun
  montant saisi dans le test).
- Les montants publiés priment pour leurs dates ; la règle reprend là où le paramètre vaut null (première
  revalorisation du SMIC après le dernier montant publié ; 1er janvier pour l'ASPA et l'AAH).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MOIS = [f"{annee}-{mois:02d}" for annee in range(2018, 2027) for mois in range(1, 13)]
PLAFONDS_SMIC = {
    "paris_logement.plafond_ressources.personne_isolee": "paris_logement_plafond_personne_isolee",
    "paris_logement.plafond_ressources.couple_sans_enfant": "paris_logement_plafond_couple_sans_enfant",
    "paris_logement_plfm.plafond_1": "paris_logement_plfm_plafond_1",
}
PLAFONDS_SOLIDARITE = {
    "personne_agee_isolee": "aspa",
    "couple_personnes_agees": "aspa",
    "personne_handicapee_isolee": "aah",
    "couple_personnes_handicapees": "aah",
}


def arrondi_dizaine(montant: float) -> float:
    return math.ceil(round(montant, 2) / 10) * 10


@pytest.fixture(scope="module")
def tbs():
    import openfisca_france

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    systeme = openfisca_france.CountryTaxBenefitSystem()
    systeme.load_extension("extensions.paris")
    return systeme


def smic_brut_35h(tbs, mois: str) -> float:
    smic = tbs.get_parameters_at_instant(f"{mois}-01").marche_travail.salaire_minimum.smic
    return smic.smic_b_horaire * smic.nb_heures_travail_mensuel


@pytest.fixture(scope="module")
def simulation(tbs):
    """Un salarié non cadre du privé, à temps plein au SMIC chaque mois de 2018 à 2026."""
    from openfisca_core.simulation_builder import SimulationBuilder

    situation = {
        "individus": {"salarie": {"salaire_de_base": {mois: smic_brut_35h(tbs, mois) for mois in MOIS}}},
        "familles": {"famille": {"parents": ["salarie"]}},
        "foyers_fiscaux": {"foyer": {"declarants": ["salarie"]}},
        "menages": {"menage": {"personne_de_reference": ["salarie"]}},
    }
    return SimulationBuilder().build_from_entities(tbs, situation)


def valeur(simulation, variable: str, mois: str) -> float:
    return float(simulation.calculate(variable, mois)[0])


def test_smic_net_equals_openfisca_salaire_net_of_a_smic_employee_every_month(simulation) -> None:
    ecarts = {}
    for mois in MOIS:
        formule = valeur(simulation, "paris_smic_net_35h", mois)
        openfisca = valeur(simulation, "salaire_net", mois)
        if abs(formule - openfisca) >= 0.005:
            ecarts[mois] = (round(formule, 4), round(openfisca, 4))
    assert not ecarts, f"SMIC net (formule, salaire_net d'OpenFisca-France) différents au centime : {ecarts}"


def test_paris_logement_ceiling_of_november_2026_is_the_openfisca_net_smic_rounded_up_to_the_ten(simulation) -> None:
    attendu = arrondi_dizaine(valeur(simulation, "salaire_net", "2026-11"))
    assert valeur(simulation, "paris_logement_plafond", "2026-11") == attendu
    assert valeur(simulation, "paris_logement_plafond_couple_sans_enfant", "2026-11") == attendu
    assert valeur(simulation, "paris_logement_plfm_plafond_1", "2026-11") == attendu
    # Le salarié au SMIC à temps plein est sous le plafond : ses ressources (son salaire net) y ouvrent droit.
    assert valeur(simulation, "paris_base_ressources", "2026-11") <= attendu


def parametre(tbs, chemin: str):
    noeud = tbs.parameters.paris
    for partie in chemin.split("."):
        noeud = noeud.children[partie]
    return noeud


def test_published_figures_win_for_their_dates_and_their_differences_with_the_rule(tbs, simulation) -> None:
    differences = {}
    for chemin, variable in PLAFONDS_SMIC.items():
        for mois in MOIS:
            publie = parametre(tbs, chemin)(f"{mois}-01")
            calcule = valeur(simulation, variable, mois)
            regle = valeur(simulation, "paris_plafond_smic_net_35h", mois)
            assert calcule == (regle if publie is None else publie), (chemin, mois)
            if publie is not None and publie != regle:
                differences.setdefault(chemin, []).append((mois, publie, regle))
    couple = dict((mois, (publie, regle)) for mois, publie, regle in differences["paris_logement.plafond_ressources."
                                                                                  "couple_sans_enfant"])
    assert couple["2021-10"] == (1240, 1260)
    assert dict((m, (p, r)) for m, p, r in differences["paris_logement.plafond_ressources.personne_isolee"])[
        "2024-01"
    ] == (1330, 1400)


def test_smic_rule_takes_over_at_the_first_smic_change_after_the_last_published_figure(tbs) -> None:
    smic = tbs.parameters.marche_travail.salaire_minimum.smic.smic_b_horaire
    changements = sorted(v.instant_str for v in smic.values_list)
    for chemin in PLAFONDS_SMIC:
        valeurs = sorted(parametre(tbs, chemin).values_list, key=lambda v: v.instant_str)
        assert valeurs[-1].value is None, chemin
        dernier_publie = max(v.instant_str for v in valeurs if v.value is not None)
        premier_changement = min(date for date in changements if date > dernier_publie)
        assert valeurs[-1].instant_str == premier_changement, (chemin, valeurs[-1].instant_str, premier_changement)


def test_aspa_and_aah_indexed_periods_start_on_a_1st_january(tbs) -> None:
    for nom in PLAFONDS_SOLIDARITE:
        for valeur_datee in parametre(tbs, f"paris_solidarite.plafond.{nom}").values_list:
            if valeur_datee.value is None:
                assert valeur_datee.instant_str.endswith("-01-01"), (nom, valeur_datee.instant_str)


def test_solidarity_ceilings_are_revalued_each_1st_january_by_the_national_amount(tbs, simulation) -> None:
    indices = {
        "aspa": tbs.parameters.prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa.montant_maximum_annuel
        .personnes_seules,
        "aah": tbs.parameters.prestations_sociales.prestations_etat_de_sante.invalidite.aah.montant,
    }
    for nom, indice in PLAFONDS_SOLIDARITE.items():
        parametre_publie = parametre(tbs, f"paris_solidarite.plafond.{nom}")
        debut = min(v.instant_str for v in parametre_publie.values_list if v.value is None)
        annee = int(debut[:4])
        attendu = parametre_publie(f"{annee - 1}-12-31")
        dernier_publie = max((v for v in parametre_publie.values_list if v.value is not None),
                             key=lambda v: v.instant_str)
        # Un montant publié qui comprend déjà la revalorisation nationale de son année ne la reçoit pas deux fois.
        depart = max(f"{annee - 2}-12-31", str(dernier_publie.metadata.get("revalorisation_incluse") or ""))
        variable = f"paris_solidarite_plafond_{nom}"
        for an in range(annee, 2028):
            coefficient = indices[indice](f"{an - 1}-12-31") / indices[indice](depart)
            depart = f"{an - 1}-12-31"
            attendu = math.ceil(round(attendu * coefficient, 2))
            for mois in (f"{an}-01", f"{an}-12"):
                assert valeur(simulation, variable, mois) == attendu, (nom, mois)
        assert valeur(simulation, variable, f"{annee - 1}-12") == parametre_publie(f"{annee - 1}-12-31")


def regle_depuis(tbs, nom: str, indice, base: float, date_base: str, date: str) -> float:
    """La règle du 1er janvier appliquée au montant publié `base` (en vigueur depuis `date_base`) jusqu'à `date`."""
    montant = base
    for an in range(int(date_base[:4]) + 1, int(date[:4]) + 1):
        montant = math.ceil(round(montant * indice(f"{an - 1}-12-31") / indice(f"{an - 2}-12-31"), 2))
    return montant


def test_published_solidarity_ceilings_and_their_differences_with_the_aspa_aah_rule(tbs) -> None:
    """Comme pour les plafonds du SMIC : chaque montant publié de Paris Solidarité, comparé à la règle (Titre II et
    III 1.1 b/5) appliquée au montant publié précédent. Les écarts sont des faits, montrés ici, non corrigés."""
    indices = {
        "aspa": tbs.parameters.prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa.montant_maximum_annuel
        .personnes_seules,
        "aah": tbs.parameters.prestations_sociales.prestations_etat_de_sante.invalidite.aah.montant,
    }
    differences = {}
    for nom, indice in PLAFONDS_SOLIDARITE.items():
        publies = sorted((v for v in parametre(tbs, f"paris_solidarite.plafond.{nom}").values_list
                          if v.value is not None), key=lambda v: v.instant_str)
        for precedent, suivant in zip(publies, publies[1:], strict=False):
            if suivant.instant_str < "2020-01-01":  # avant 2020, les annexes conservées donnent les montants
                continue
            regle = regle_depuis(tbs, nom, indices[indice], precedent.value, precedent.instant_str,
                                 suivant.instant_str)
            differences[(nom, suivant.instant_str)] = (suivant.value, regle)
    # Juin 2024 : 1 144 € publié = 1 099 € + la hausse de l'AAH du 1er avril 2024 (+44,68 €) ; la règle du
    # 1er janvier ne donne rien avant 2025 : le montant publié comprend déjà la revalorisation de l'AAH de 2024.
    assert differences[("personne_handicapee_isolee", "2024-06-01")] == (1144, 1099)
    aah = indices["aah"]
    assert math.ceil(round(1099 + aah("2024-04-01") - aah("2024-03-31"), 2)) == 1144
    # Février 2024 : 1 129 € publié. La règle du 1er janvier appliquée depuis 1 077 € (septembre 2022), avec les
    # indices de l'ASPA des années civiles 2022 (+5,14 %, dont la hausse de janvier 2022 que 1 077 € comprenait
    # déjà) et 2023 (+0,80 %), donne 1 143 €. Le montant publié est 1 077 € revalorisé des seules hausses de
    # l'ASPA de juillet 2022 (+4 %) et de janvier 2023 (1 129,04 €, arrondi à l'euro le plus proche) : il ne
    # comprend pas la hausse du 1er janvier 2024, que la règle applique au 1er janvier 2025.
    assert differences[("personne_agee_isolee", "2024-02-01")] == (1129, 1143)
    aspa = indices["aspa"]
    hausses = aspa("2022-07-01") / aspa("2022-06-30") * aspa("2023-01-01") / aspa("2022-12-31")
    assert round(1077 * hausses) == 1129


def test_the_june_2024_disabled_ceiling_is_not_revalued_twice_by_the_april_2024_aah_rise(simulation) -> None:
    """Titre III 1.1 b/5 : revalorisé au 1er janvier « sur la base de l'indice de revalorisation appliqué à l'AAH
    l'année précédente ». 1 144 € (juin 2024) comprend déjà la hausse de 2024 : 1 144 € en 2025 (non 1 197 €)."""
    assert valeur(simulation, "paris_solidarite_plafond_personne_handicapee_isolee", "2024-12") == 1144
    assert valeur(simulation, "paris_solidarite_plafond_personne_handicapee_isolee", "2025-01") == 1144
    assert valeur(simulation, "paris_solidarite_plafond_personne_handicapee_isolee", "2026-01") == 1164
    # Le plafond des personnes âgées, publié avant la hausse de l'ASPA qu'il ne comprend pas, la reçoit en 2025.
    assert valeur(simulation, "paris_solidarite_plafond_personne_agee_isolee", "2025-01") == 1189
