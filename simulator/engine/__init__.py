"""The engine: one tax-benefit system per process, the catalog's benefits for households and a month.

OpenFisca-France is built once (5 s, 120 MB), then its national corrections (`extensions/france`) and
each extension found under `extensions/` are loaded on top of it (`system.py`). Households are always
computed in one vectorised OpenFisca simulation, whether there is one (a person at the counter) or a
thousand (a batch): entity ids are prefixed by the household's rank. The simulation and its fixed point
are `fixed_point.py`'s; this module plans the households to simulate (variants of unanswered answers,
0-declarations) and turns each run into results.

The shortcuts through OpenFisca-Core (`openfisca/speedups.py`) are not installed by `Engine()`: the
server, the CLI and the tests call `install_shortcuts()` at start. Without them the results are the same,
slower (each fixed-point pass is a new simulation).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.catalog import Benefit, load_catalog
from simulator.engine.first_months import first_months, pending, stable
from simulator.engine.fixed_point import (
    FIXED_POINT_TOLERANCE,
    FIXED_POINT_WINDOW,
    MAX_PASSES,
    NET_TOLERANCE,
    Run,
    Runner,
)
from simulator.engine.inputs import FIXED_POINT_BENEFITS, FixedPoint
from simulator.engine.openfisca import speedups
from simulator.engine.system import build_tax_benefit_system, check_catalog, load_extension_directory
from simulator.engine.variants import MAX_VARIANTS, Expansion, expand, unique
from simulator.facts import missing_facts, unanswered
from simulator.household import PRESTATIONS_DECLARABLES, Household
from simulator.paths import extensions_dirs
from simulator.reasons import Reader
from simulator.registry import extension_facts
from simulator.results import AideResult, SimulationResult, agreed, judged, not_calculable
from simulator.territories import territories
from simulator.territory import applies_to

__all__ = [
    "FIXED_POINT_BENEFITS", "FIXED_POINT_TOLERANCE", "FIXED_POINT_WINDOW", "MAX_PASSES", "MAX_RUN_HOUSEHOLDS",
    "NET_TOLERANCE", "REFERENCE_HOUSEHOLD", "Engine", "FixedPoint", "Outcome", "Plan", "Run",
    "build_tax_benefit_system", "catalog", "concerns", "declared_benefits", "get_engine", "install_shortcuts",
    "load_extension_directory", "reset_engine", "simulate", "simulate_many", "warm_up",
]

log = logging.getLogger(__name__)

# Households (variants included) in one vectorised run, before the households before births are added;
# a batch is cut into runs of at most this many. Each household given takes at most MAX_VARIANTS.
MAX_RUN_HOUSEHOLDS = 1024


def install_shortcuts() -> None:
    """Install the shortcuts through OpenFisca-Core for this process (`openfisca/speedups.py`), unless
    SIMULATOR_OPENFISCA_CACHE=0. Called at start by the server, the CLI and the tests' conftest."""
    if os.environ.get("SIMULATOR_OPENFISCA_CACHE", "1") != "0":
        speedups.install()


@dataclass
class Outcome:
    """One simulated household's benefits: results, raw values of those computed, declarables granted."""

    aides: dict[str, AideResult] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    granted: set[str] = field(default_factory=set)


@dataclass
class Plan:
    """A household given, and the households simulated for it (`Engine._plan`)."""

    household: Household
    expansion: Expansion
    pending: list[str]  # benefits declared 0 (not received yet)
    stable: list[Household]  # one per variant of answers, 0-declarations removed
    declared: list[Household]  # one per variant, as declared (empty without 0-declarations)

    @property
    def simulated(self) -> list[Household]:
        return self.stable + self.declared


class Engine(Runner):
    """Shared by every request of a process; simulations never share state with each other."""

    def __init__(self, extensions: Sequence[Path] | None = None) -> None:
        self.extensions = list(extensions_dirs() if extensions is None else extensions)
        super().__init__(build_tax_benefit_system(self.extensions))
        self.catalog: tuple[Benefit, ...] = load_catalog(tuple(self.extensions))
        check_catalog(self.tbs, self.catalog)

    def warm_up(self) -> None:
        """Fill parameter caches and net->gross tables before the first person is served.

        Then the objects built so far (the tax-benefit system: some 400,000) leave the garbage
        collector's watch (`gc.freeze`): a full collection no longer walks them during a request
        (-5 % per household, measured), and forked workers do not write to their pages.
        """
        self.simulate(Household.model_validate(REFERENCE_HOUSEHOLD))
        gc.collect()
        gc.freeze()

    def simulate(self, household: Household) -> SimulationResult:
        return self.simulate_many([household])[0]

    def simulate_many(self, households: Sequence[Household]) -> list[SimulationResult]:
        households = list(households)
        if not households:
            return []
        by_month: dict[str, list[int]] = {}
        for index, household in enumerate(households):
            by_month.setdefault(household.mois, []).append(index)
        results: list[SimulationResult | None] = [None] * len(households)
        for indices in by_month.values():
            group = [households[i] for i in indices]
            for index, result in zip(indices, self._simulate_group(group), strict=True):
                results[index] = result
        return [r for r in results if r is not None]

    def _simulate_group(self, households: list[Household]) -> list[SimulationResult]:
        """Each household's results, from its variants (see `_plan`) computed in bounded runs."""
        plans = [self._plan(h) for h in households]
        return [SimulationResult(mois=plan.household.mois, aides=self._combine(plan, outcomes))
                for plan, outcomes in self._outcomes_of(plans)]

    def facts_that_matter(self, household: Household) -> dict[str, list[str]]:
        """For each unanswered enumerable fact (`MissingAnswer.key`, e.g. "handicap:demandeur"), the
        benefits whose result its answer changes. A question mapped to [] can be skipped.

        A fact left out of the variants (beyond `MAX_VARIANTS`) maps to the benefits it blocks.
        """
        plan = self._plan(household)
        (_, outcomes), = self._outcomes_of([plan])
        stable = outcomes[:len(plan.stable)]
        matter: dict[str, list[str]] = {a.key: [] for a in (*plan.expansion.answers, *plan.expansion.left_out)}
        for benefit in self.catalog:
            results = [o.aides.get(benefit.id) for o in stable]
            if results[0] is None:
                continue
            keys = [(a.calculable, a.eligible, a.montant) for a in results if a is not None]
            for answer in plan.expansion.facts_that_change(keys):
                matter[answer.key].append(benefit.id)
            for answer in plan.expansion.left_out:
                if answer.message in results[0].raisons:
                    matter[answer.key].append(benefit.id)
        return matter

    def _plan(self, household: Household) -> Plan:
        """The households to simulate for one: its stable situation under each combination of answers
        of its missing enumerable facts, then (if it declared benefits at 0) each as declared."""
        waiting = pending(household)
        expansion = expand(household, variant_budget(household), self.catalog)
        declared = expansion.households if waiting else []
        return Plan(household, expansion, waiting, [stable(h) for h in expansion.households], declared)

    def _outcomes_of(self, plans: list[Plan]) -> Iterator[tuple[Plan, list[Outcome]]]:
        """Each plan with the outcome of each of its households, in runs of at most MAX_RUN_HOUSEHOLDS."""
        chunk: list[Plan] = []
        for plan in [*plans, None]:
            size = sum(len(p.simulated) for p in chunk)
            if chunk and (plan is None or size + len(plan.simulated) > MAX_RUN_HOUSEHOLDS):
                outcomes = self._outcomes([h for p in chunk for h in p.simulated], any(p.pending for p in chunk))
                offset = 0
                for done in chunk:
                    yield done, outcomes[offset:offset + len(done.simulated)]
                    offset += len(done.simulated)
                chunk = []
            if plan is not None:
                chunk.append(plan)

    def _outcomes(self, households: list[Household], with_granted: bool) -> list[Outcome]:
        """Every catalog benefit for each household: one vectorised run per set of benefits declared.

        A benefit declared by some households of a run and not by others cannot be computed right in
        the months before M that the rules compute themselves: OpenFisca holds one array per variable
        and month, an input for all or for none, so the others took the declared array's default (0)
        there. Households that declare the same benefits share a run.
        """
        by_declared: dict[frozenset[str], list[int]] = {}
        for rank, household in enumerate(households):
            by_declared.setdefault(declared_benefits(household), []).append(rank)
        outcomes: list[Outcome] = [Outcome() for _ in households]
        for ranks in by_declared.values():
            for rank, outcome in zip(ranks, self._outcomes_in_one_run([households[r] for r in ranks], with_granted),
                                     strict=True):
                outcomes[rank] = outcome
        return outcomes

    def _outcomes_in_one_run(self, households: list[Household], with_granted: bool) -> list[Outcome]:
        run = self.run(households)
        outcomes = [Outcome() for _ in households]
        unanswered_facts = [unanswered(h) for h in households]
        for benefit in self.catalog:
            concerned = [rank for rank, h in enumerate(households) if concerns(benefit, h)]
            if not concerned:
                continue
            period = run.period(benefit)
            values = run.per_household(benefit.id, period)
            for rank in concerned:
                household = households[rank]
                missing = missing_facts(household, benefit.requiert, benefit.requiert_si, unanswered_facts[rank])
                if benefit.territoires and household.logement.depcom is None:
                    missing.append("Il manque votre commune : cette aide dépend du lieu où vous habitez.")
                if missing:
                    outcomes[rank].aides[benefit.id] = not_calculable(benefit, missing)
                    continue
                value = values[rank]
                outcomes[rank].aides[benefit.id] = judged(benefit, value, _reader(run, rank, period))
                outcomes[rank].values[benefit.id] = float(value)
        if with_granted:
            for key in PRESTATIONS_DECLARABLES:
                amounts = run.per_household(key, run.month)
                for rank, outcome in enumerate(outcomes):
                    if amounts[rank] > 0.005:
                        outcome.granted.add(key)
        return outcomes

    def _combine(self, plan: Plan, outcomes: list[Outcome]) -> list[AideResult]:
        """One result per benefit from the household's variants (see simulator/engine/variants.py)."""
        count = len(plan.stable)
        stable_outcomes, declared_outcomes = outcomes[:count], outcomes[count:]
        aides: list[AideResult] = []
        for benefit in self.catalog:
            results = [o.aides.get(benefit.id) for o in stable_outcomes]
            if results[0] is None:
                continue
            variants = [r for r in results if r is not None]
            blocked = [r for r in variants if not r.calculable]
            if blocked:
                aides.append(not_calculable(benefit, unique(m for r in blocked for m in r.raisons)))
                continue
            keys = [(r.eligible, r.montant) for r in variants]
            if len(set(keys)) > 1:
                changing = plan.expansion.facts_that_change(keys)
                aides.append(not_calculable(benefit, unique(a.message for a in changing)))
                continue
            result = agreed(benefit, variants)
            if declared_outcomes:
                firsts = [first_months(benefit, r, d.values.get(benefit.id), plan.pending, s.granted)
                          for r, s, d in zip(variants, stable_outcomes, declared_outcomes, strict=True)]
                if firsts[0] is not None and all(f == firsts[0] for f in firsts):
                    result = result.model_copy(update={"premiers_mois": firsts[0]})
            aides.append(result)
        return aides


def variant_budget(household: Household) -> int:
    """How many variants of a household are simulated: half of MAX_VARIANTS when it declared benefits at 0,
    since each variant is then simulated twice (stable, then as declared). An unanswered fact beyond the
    budget is left to the `requiert` lists: the benefits that require it are not calculable."""
    return MAX_VARIANTS // 2 if pending(household) else MAX_VARIANTS


def declared_benefits(household: Household) -> frozenset[str]:
    """The benefits someone in the household declared (an amount, or 0), each at most once."""
    return frozenset(key for individu in household.individus for key in individu.prestations_declarees())


def concerns(benefit: Benefit, household: Household) -> bool:
    """A local aid is listed where it applies, or (not calculable) while the commune is unknown."""
    depcom = household.logement.depcom
    return depcom is None or applies_to(benefit.territoires, depcom)


REFERENCE_HOUSEHOLD = {
    "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 35, "activite": "actif", "salaire_net": 1200.0,
         "handicap": False},
        {"id": "enfant_1", "role": "enfant", "age": 4},
    ],
    "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, "depcom": "75119"},
}




def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _reader(run: Run, rank: int, period: str) -> Reader:
    """A variable's value for the demandeur of household `rank`, as the reasons and notices read it."""
    return lambda name: _plain(run.at_demandeur(name, period)[rank])


_engine: Engine | None = None
_engine_lock = threading.Lock()


def get_engine() -> Engine:
    """The process-wide engine, built on first use (or at start-up by `warm_up`)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Engine()
        return _engine


def reset_engine() -> None:
    """Forget the process-wide engine (tests that point SIMULATOR_EXTENSIONS elsewhere)."""
    global _engine
    with _engine_lock:
        _engine = None
    extension_facts.cache_clear()
    territories.cache_clear()


# The facade, for callers that need no engine object: the process-wide engine's answers.

def simulate(household: Household) -> SimulationResult:
    return get_engine().simulate(household)


def simulate_many(households: Sequence[Household]) -> list[SimulationResult]:
    return get_engine().simulate_many(households)


def catalog() -> tuple[Benefit, ...]:
    return get_engine().catalog


def warm_up() -> None:
    get_engine().warm_up()
