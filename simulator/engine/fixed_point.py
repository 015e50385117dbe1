"""The simulation of households at the fixed point of their past benefits (docs/engine.md, 2 and 3).

`Runner.run` is the loop: consistent gross amounts, past benefits iterated to the fixed point, then
the window's months left to the rules. Where the passes happen (one simulation, or a new one each
pass) is `openfisca/session.py`'s business; this module never touches OpenFisca's stored values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from openfisca_core.periods import Period
from openfisca_core.simulations import Simulation
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from simulator.catalog import Benefit
from simulator.engine import inputs
from simulator.engine.births import Regimes, with_households_before_births
from simulator.engine.inputs import FIXED_POINT_BENEFITS, FixedPoint
from simulator.engine.net_to_gross import NetGrossTables
from simulator.engine.openfisca import session
from simulator.engine.openfisca.builder import Prepared, instantiate
from simulator.household import PRESTATIONS_DECLARABLES, Household
from simulator.situation import NET_TO_GROSS, Derived, Month

NET_TOLERANCE = 0.5  # euros: how close OpenFisca's net must come to the declared net
MAX_PASSES = 6
FIXED_POINT_TOLERANCE = 0.01  # euros
# Months before M whose benefits OpenFisca computes itself rather than taking the fixed point: the
# quarter that RSA and prime d'activité read (with its one-month offset), so that a revaluation in it
# (housing aid in October, family benefits in April) counts as the rules count it.
FIXED_POINT_WINDOW = 4

RateClasses = dict[tuple[str, str], str]  # (person id, net variable) -> CSG rate class OpenFisca applies


@dataclass
class Run:
    """One vectorised simulation of several households, and how to read each one's values back."""

    simulation: Simulation
    households: list[Household]
    month: str
    # entity key -> for each instance of that entity, the rank of its household
    owner: dict[str, np.ndarray]
    # entity key -> for each household, the index of its demandeur's instance
    demandeur_index: dict[str, np.ndarray]
    cache: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def period(self, benefit: Benefit) -> str:
        return self.month[:4] if benefit.periode_calcul == "annee" else self.month

    def raw(self, variable: str, period: str) -> np.ndarray:
        key = (variable, period)
        if key not in self.cache:
            self.cache[key] = np.asarray(self.simulation.calculate(variable, period))
        return self.cache[key]

    def per_household(self, variable: str, period: str) -> np.ndarray:
        """The household's value: summed over its people for a person-level amount (any for a bool)."""
        values = self.raw(variable, period)
        entity = self.simulation.tax_benefit_system.variables[variable].entity.key
        count = len(self.households)
        if entity == "individu":
            if values.dtype == bool:
                return np.bincount(self.owner[entity], weights=values, minlength=count) > 0
            return np.bincount(self.owner[entity], weights=values.astype(float), minlength=count)
        return values[self.demandeur_index[entity]]

    def at_demandeur(self, variable: str, period: str) -> np.ndarray:
        entity = self.simulation.tax_benefit_system.variables[variable].entity.key
        values = self.raw(variable, period)
        if hasattr(values, "decode_to_str"):
            values = values.decode_to_str()
        return values[self.demandeur_index[entity]]


class Runner:
    """Simulations of households for one month, on one tax-benefit system."""

    def __init__(self, tbs: TaxBenefitSystem) -> None:
        self.tbs = tbs
        self.tables = NetGrossTables(tbs)
        self.benefit_entities = {
            key: tbs.variables[key].entity.key for key in (*PRESTATIONS_DECLARABLES, *FIXED_POINT_BENEFITS)
        }

    def run(self, households: list[Household], trace: bool = False) -> Run:
        """The simulation of the households, ready to compute any benefit for their month.

        1. Gross amounts come from the net->gross tables for the simplest CSG rate class; where OpenFisca
           applies another class (the household's tax income of N-2 decides), the class it applies is
           read back and the gross recomputed, until net amounts match what each person declared.
        2. Past benefits (stable situation) are a fixed point: every other month takes the value the
           rules grant for M, starting from 0, until it no longer moves (2 or 3 shallow passes instead
           of OpenFisca recursing over 24 months). With the shortcuts installed the passes happen in one
           simulation: only what read a benefit that moved is computed again (`openfisca/session.py`).
        3. Then the rules compute the window's months themselves, so that a revaluation there (housing
           aid in October, family benefits in April) counts as it should.

        With `trace`, step 3 is a new simulation with OpenFisca's full tracer (for "Détail du calcul"),
        tax values of past years carried over. Under `stock_openfisca()` every pass is a new simulation.
        """
        if len({h.mois for h in households}) != 1:
            raise ValueError("Tous les foyers d'un lot doivent porter sur le même mois.")
        count = len(households)
        households, regimes = with_households_before_births(households)
        rate_classes: list[RateClasses] = [{} for _ in households]
        values: list[FixedPoint] = [{} for _ in households]
        grosses = [self._derived(h, {}) for h in households]
        prepared = self._prepare(households, grosses)
        run: Run | None = None
        for _ in range(MAX_PASSES):
            if run is None:  # a first pass, past benefits at `values`
                run = self._build(households, prepared, values, regimes, 0)
                session.begin(run.simulation)
            reclassified = self._reclassify(run, grosses, rate_classes)  # 1.
            current = self._fixed_point_values(run)
            if reclassified:  # new gross amounts: a new first pass
                grosses = [self._derived(h, c) for h, c in zip(households, rate_classes, strict=True)]
                prepared = self._prepare(households, grosses)
                values, run = current, None
            elif _same(current, values):  # 2. converged: 3. the window's months
                return self._with_window(run, grosses, prepared, current, regimes, count, trace)
            else:  # 2. the next pass
                values = current
                run = self._next_pass(run, prepared, values, regimes)
        assert run is not None
        return run

    def _next_pass(self, run: Run, prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes]) -> Run:
        """The pass with the past benefits at `values`, in the same simulation when it can be."""
        if session.in_place(run.simulation):
            self._move_past(run, prepared, values, regimes)
            return run
        fresh = self._build(run.households, prepared, values, regimes, 0)
        session.carry_past_years(run.simulation, fresh.simulation, int(run.month[:4]))
        return fresh

    def _with_window(
        self, run: Run, grosses: list[Derived], prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes],
        count: int, trace: bool,
    ) -> Run:
        """The converged run with the window's months left to the rules; a new simulation with `trace`.

        A new simulation holds only the households given: those before births were only sources.
        """
        if session.in_place(run.simulation) and not trace:
            self._open_window(run, prepared)
            return run
        households = run.households
        if count < len(households):
            households, prepared = households[:count], self._prepare(households[:count], grosses[:count])
        fresh = self._build(households, prepared, values, regimes, FIXED_POINT_WINDOW)
        session.carry_past_years(run.simulation, fresh.simulation, int(run.month[:4]))
        fresh.simulation.trace = trace
        return fresh

    def _derived(self, household: Household, rate_classes: RateClasses) -> Derived:
        return inputs.derived(self.tables, household, rate_classes)

    def _prepare(self, households: list[Household], grosses: list[Derived]) -> Prepared:
        return inputs.prepared_households(self.tbs, self.benefit_entities, households, grosses)

    def _build(
        self, households: list[Household], prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes],
        window: int,
    ) -> Run:
        """A simulation of the prepared households, the months outside the window at the fixed point.

        What a person declared for a month takes precedence over the fixed point (it lies under it).
        """
        outside = inputs.outside_window(households[0].mois, window)
        simulation = instantiate(self.tbs, prepared, self._past_inputs(prepared, values, regimes, outside))
        owner, demandeur_index = inputs.instance_owners(households, prepared)
        return Run(simulation, households, households[0].mois, owner, demandeur_index)

    def _past_inputs(
        self, prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes], months: Sequence[Period]
    ) -> dict[tuple[str, Period], np.ndarray]:
        return inputs.past_inputs(self.benefit_entities, prepared, values, regimes, months)

    def _move_past(self, run: Run, prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes]) -> None:
        """Set the past benefits that moved to their new value; only what read them is computed again."""
        outside = inputs.outside_window(run.month, 0)
        session.move(run.simulation, {
            key: prepared.lay_under(key, amounts)
            for key, amounts in self._past_inputs(prepared, values, regimes, outside).items()})
        run.cache.clear()

    def _open_window(self, run: Run, prepared: Prepared) -> None:
        """Let the rules compute the window's months in the simulation of the last pass.

        The same as a new simulation with the fixed point outside the window: what the situation
        gives for a window month stays an input; only what read the other inputs is computed again.
        """
        opened = {}
        for variable in FIXED_POINT_BENEFITS:
            for period in inputs.window(run.month, FIXED_POINT_WINDOW):
                column = prepared.columns.get((variable, period))
                opened[(variable, period)] = None if column is None else column.values
        session.open_window(run.simulation, opened)
        run.cache.clear()

    def _fixed_point_values(self, run: Run) -> list[FixedPoint]:
        """Each household's benefits for the month simulated, per entity or person."""
        values: list[FixedPoint] = [{} for _ in run.households]
        for variable in FIXED_POINT_BENEFITS:
            entity = self.benefit_entities[variable]
            ids = run.simulation.populations[entity].ids
            amounts = run.raw(variable, run.month)
            for index, entity_id in enumerate(ids):
                rank_text, local_id = str(entity_id).split("/", 1)
                key = local_id if entity == "individu" else entity
                values[int(rank_text)].setdefault(variable, {})[key] = float(amounts[index])
        return values

    def _reclassify(self, run: Run, grosses: list[Derived], rate_classes: list[RateClasses]) -> bool:
        """Compare OpenFisca's net to the declared one; pick the rate class OpenFisca applied. Changed?"""
        changed = False
        month = Month.parse(run.month)
        person_index = {pid: i for i, pid in enumerate(run.simulation.populations["individu"].ids)}
        for net_variable, gross_variable in NET_TO_GROSS.items():
            wanted = [(rank, key) for rank, gross in enumerate(grosses) for key in gross if key[1] == net_variable]
            if not wanted:
                continue
            nets = run.raw(net_variable, run.month)
            for rank, key in wanted:
                household = run.households[rank]
                individu = next(i for i in household.individus if i.id == key[0])
                declared = getattr(individu, net_variable) or 0.0
                if declared <= 0:
                    continue
                actual = float(nets[person_index[f"{rank}/{key[0]}"]])
                if abs(actual - declared) <= NET_TOLERANCE:
                    continue
                gross_now = grosses[rank][key][gross_variable][month]
                candidates = self.tables.classes(net_variable)
                applied = min(candidates, key=lambda c: abs(
                    self.tables.table(net_variable, run.month, c).to_net(gross_now) - actual))
                if rate_classes[rank].get(key, "exonere") != applied:
                    rate_classes[rank][key] = applied
                    changed = True
        return changed


def _same(a: list[FixedPoint], b: list[FixedPoint]) -> bool:
    return all(
        abs(value - other.get(variable, {}).get(key, float("nan"))) <= FIXED_POINT_TOLERANCE
        for first, other in zip(a, b, strict=True)
        for variable, by_key in first.items()
        for key, value in by_key.items()
    )
