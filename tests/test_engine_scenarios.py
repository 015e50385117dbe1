"""Every scenario's amounts equal a naive OpenFisca-France computation built independently."""

from __future__ import annotations

import naive_openfisca
import pytest
from random_households import random_household
from scenario_files import SCENARIOS, load_scenario

from simulator.household import Household
from simulator.results import round_amount


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_amounts_equal_naive_openfisca(engine, path):
    _assert_equals_naive(engine, load_scenario(path))


@pytest.mark.parametrize("seed", [7, 15, 24])
def test_random_households_with_averages_equal_naive_openfisca(engine, seed):
    """Incomes that changed (3-month averages), in October, April and January (revaluation months near)."""
    data = random_household(seed)
    assert any("revenus_3_derniers_mois" in person for person in data["individus"])
    _assert_equals_naive(engine, data)


def _assert_equals_naive(engine, data: dict) -> None:
    result = engine.simulate(Household.model_validate(data))
    benefits = {b.id: b for b in engine.catalog}
    computed = [a for a in result.aides if a.calculable and a.type == "montant"]
    reference = naive_openfisca.compute(
        engine.tbs, data, {a.id: benefits[a.id].periode_calcul for a in computed})
    assert computed, "no benefit was computed"
    for aide in computed:
        expected = round_amount(reference[aide.id], benefits[aide.id].arrondi)
        assert aide.montant == pytest.approx(expected, abs=0.5), aide.id


def test_scenarios_cover_the_archetypes():
    names = {p.stem for p in SCENARIOS}
    assert len(names) >= 10
    for expected in ("celibataire_smic_locataire_paris", "parent_isole_deux_enfants",
                     "couple_trois_enfants_un_salaire", "retraitee_petite_pension", "adulte_handicape_sans_revenu",
                     "etudiant_petit_job", "chomeur", "couple_retraite_proprietaire", "heberge_sans_revenu",
                     "couple_deux_revenus_bebe"):
        assert expected in names
