"""The engine's shortcuts through OpenFisca-Core give what OpenFisca itself gives, errors included."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core import periods
from openfisca_core.errors import VariableNotFoundError
from openfisca_core.simulation_builder import SimulationBuilder
from random_households import random_household
from scenario_files import SCENARIOS, load_scenario

from simulator.engine.openfisca.builder import instantiate, prepare
from simulator.engine.openfisca.speedups import record_readers, stock_openfisca
from simulator.household import Household
from simulator.situation import build_situation


def _same_as_stock(engine, data: dict) -> dict:
    """The engine's result, after checking it equals stock OpenFisca-Core's with new simulations."""
    household = Household.model_validate(data)
    fast = engine.simulate(household).model_dump()
    with stock_openfisca():
        stock = engine.simulate(household).model_dump()
    assert fast == stock
    return fast


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_same_results_with_stock_openfisca(engine, path):
    assert any(a["calculable"] for a in _same_as_stock(engine, load_scenario(path))["aides"])


@pytest.mark.parametrize("seed", range(12))
def test_same_results_with_stock_openfisca_random_households(engine, seed):
    """Households drawn over compositions, incomes, housing, communes and months (200 seeds checked by hand)."""
    _same_as_stock(engine, random_household(seed))


def _stored(simulation) -> dict:
    return {
        (name, str(period)): np.asarray(holder.get_array(period))
        for population in simulation.populations.values()
        for name, holder in population._holders.items()
        for period in holder.get_known_periods()
    }


@pytest.mark.parametrize("path", SCENARIOS[:4], ids=lambda p: p.stem)
def test_array_builder_stores_what_build_from_entities_stores(engine, path):
    household = Household.model_validate(load_scenario(path))
    situation = build_situation(household, engine._derived(household, {}), engine.benefit_entities)
    ours = _stored(instantiate(engine.tbs, prepare(engine.tbs, situation)))
    with stock_openfisca():
        reference = _stored(SimulationBuilder().build_from_entities(engine.tbs, situation))
    assert len(ours) > 300
    assert ours.keys() == reference.keys()
    for key, values in reference.items():
        assert ours[key].dtype == values.dtype, key
        assert (ours[key] == values).all(), key


@pytest.fixture
def simulation(engine):
    household = Household.model_validate(load_scenario(SCENARIOS[0]))
    return engine.run([household]).simulation


def test_wrong_period_unit_still_raises(simulation):
    with pytest.raises(ValueError, match="must be computed for a whole month"):
        simulation.calculate("rsa", "2026")
    individus = simulation.populations["individu"]
    with pytest.raises(ValueError, match="must be computed for a whole year"):
        individus("revenus_nets_du_travail", periods.period("2026-01"))


def test_variable_of_another_entity_or_unknown_still_raises(simulation):
    individus = simulation.populations["individu"]
    with pytest.raises(ValueError, match="famille"):
        individus("rsa", periods.period("2026-01"))
    with pytest.raises(VariableNotFoundError):
        individus("pas_une_variable", periods.period("2026-01"))


def test_repeated_calls_agree_and_leave_the_stack_empty(simulation):
    month = periods.period("2026-11")
    first = simulation.calculate("aide_logement", month)
    assert simulation.calculate("aide_logement", month) == pytest.approx(first)
    assert simulation.populations["famille"]("aide_logement", month) == pytest.approx(first)
    with stock_openfisca():
        assert simulation.calculate("aide_logement", month) == pytest.approx(first)
    assert simulation.tracer.stack == []


def test_a_moved_past_benefit_recomputes_what_read_it(engine):
    """The fixed point's next pass in the same simulation equals a pass in a new simulation."""
    path = next(p for p in SCENARIOS if p.stem == "parent_isole_deux_enfants")
    household = Household.model_validate(load_scenario(path))
    prepared = engine._prepare([household], [engine._derived(household, {})])
    run = engine._build([household], prepared, [{}], [[]], 0)
    record_readers(run.simulation)
    before = {v: run.simulation.calculate(v, household.mois).copy() for v in ("ppa", "rsa", "aide_logement")}
    moved_to = engine._fixed_point_values(run)
    engine._move_past(run, prepared, moved_to, [[]])
    fresh = engine._build([household], prepared, moved_to, [[]], 0).simulation
    for variable in before:
        assert run.simulation.calculate(variable, household.mois) == pytest.approx(
            fresh.calculate(variable, household.mois), abs=1e-6), variable
    assert run.simulation.calculate("ppa", household.mois) != pytest.approx(before["ppa"])
