"""The engine: one tax-benefit system per process, the catalog's benefits for households and a month.

OpenFisca-France is built once (5 s, 120 MB), then its national corrections (`extensions/france`) and
each extension found under `extensions/` are loaded on top of it. Households are always computed in one
vectorised OpenFisca simulation, whether there is one (a person at the counter) or a thousand (a batch):
entity ids are prefixed by the household's rank.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import Period
from openfisca_core.simulations import Simulation
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_france import CountryTaxBenefitSystem

from simulator import openfisca_speedups, reasons
from simulator.births import Regimes, source_rank, with_households_before_births
from simulator.catalog import Benefit, load_catalog
from simulator.facts import CONDITIONS, missing_facts, unanswered
from simulator.fast_builder import Prepared, instantiate, prepare
from simulator.first_months import first_months, pending, stable
from simulator.household import PRESTATIONS_DECLARABLES, Household
from simulator.net_to_gross import NetGrossTables
from simulator.overrides import replace_variables
from simulator.paths import extensions_dirs, national_corrections_dirs
from simulator.registry import extension_facts
from simulator.results import GENERIC_REFUSAL, AideResult, SimulationResult, computed, not_calculable
from simulator.situation import (
    NET_TO_GROSS,
    TAXABLE,
    Derived,
    Month,
    build_situation,
    history_months,
    resource_history,
)
from simulator.territories import territories
from simulator.territory import applies_to
from simulator.variants import MAX_VARIANTS, Expansion, expand, unique

log = logging.getLogger(__name__)

NET_TOLERANCE = 0.5  # euros: how close OpenFisca's net must come to the declared net
MAX_PASSES = 6
FIXED_POINT_TOLERANCE = 0.01  # euros
# Months before M whose benefits OpenFisca computes itself rather than taking the fixed point: the
# quarter that RSA and prime d'activité read (with its one-month offset), so that a revaluation in it
# (housing aid in October, family benefits in April) counts as the rules count it.
FIXED_POINT_WINDOW = 4
FixedPoint = dict[str, dict[str, float]]
# Households (variants included) in one vectorised run, before the households before births are added;
# a batch is cut into runs of at most this many. Each household given takes at most MAX_VARIANTS.
MAX_RUN_HOUSEHOLDS = 1024  # variable -> entity key or person id -> € for the month

# Benefits that the rules read in other months than the one computed (as resources of the last 3 or
# 12 months, mostly). In a stable situation their value in those months is the value the rules grant
# now: we set them as inputs for every other month and iterate to the fixed point, instead of letting
# OpenFisca recurse over 24 months of history (found by tracing the naive computation of the scenarios).
FIXED_POINT_BENEFITS = (
    "rsa", "ppa", "ppa_fictive", "aide_logement", "af", "cf", "asf", "paje_base", "paje_clca", "api", "aeeh",
    "aah", "caah", "asi", "aspa", "ass",
)


def load_extension_directory(tbs: TaxBenefitSystem, directory: Path) -> None:
    """What `TaxBenefitSystem.load_extension` does, for a folder that need not be an installed package."""
    tbs.add_variables_from_directory(str(directory))
    parameters = directory / "parameters"
    if parameters.is_dir():
        tbs.parameters.merge(ParameterNode(directory_path=str(parameters)))
    replace_variables(tbs, directory)  # the OpenFisca-France variables it redefines (simulator/overrides.py)


def build_tax_benefit_system(extensions: Sequence[Path]) -> TaxBenefitSystem:
    """OpenFisca-France, its national corrections (`extensions/france`), then the territories' extensions."""
    tbs = CountryTaxBenefitSystem()
    for directory in dict.fromkeys(path.resolve() for path in [*national_corrections_dirs(), *extensions]):
        load_extension_directory(tbs, directory)
    return tbs


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


class Engine:
    """Shared by every request of a process; simulations never share state with each other."""

    def __init__(self, extensions: Sequence[Path] | None = None) -> None:
        if os.environ.get("SIMULATOR_OPENFISCA_CACHE", "1") != "0":
            openfisca_speedups.install()
        self.extensions = list(extensions_dirs() if extensions is None else extensions)
        self.tbs = build_tax_benefit_system(self.extensions)
        self.catalog: tuple[Benefit, ...] = load_catalog(tuple(self.extensions))
        self.tables = NetGrossTables(self.tbs)
        self.benefit_entities = {
            key: self.tbs.variables[key].entity.key for key in (*PRESTATIONS_DECLARABLES, *FIXED_POINT_BENEFITS)
        }
        self._check_catalog()

    def _check_catalog(self) -> None:
        """A catalog entry naming an unknown OpenFisca variable must stop start-up, not a user's request."""
        for benefit in self.catalog:
            unknown = [name for name in reasons.cited_variables(benefit) if name not in self.tbs.variables]
            unknown += [f"requiert_si:{c}" for c in benefit.requiert_si.values() if c not in CONDITIONS]
            if unknown:
                raise ValueError(f"Catalogue : {benefit.id} cite des variables inconnues : {unknown}")
            conditions = [r.seulement_si for r in benefit.raisons if r.seulement_si]
            conditions += [a.si_vrai for a in benefit.avertissements]
            not_bool = [name for name in conditions if self.tbs.variables[name].value_type is not bool]
            if not_bool:
                raise ValueError(f"Catalogue : {benefit.id} : ces conditions ne sont pas des booléens : {not_bool}")
            errors = reasons.template_errors(benefit)
            if errors:
                raise ValueError(f"Catalogue : {benefit.id} : {'; '.join(errors)}")

    # Building simulations -------------------------------------------------------------------------

    def _derived(self, household: Household, rate_classes: dict[tuple[str, str], str]) -> Derived:
        """Gross amounts for every month; net and taxable ones for the past months (stable situation)."""
        current = Month.parse(household.mois)
        months = history_months(current)
        derived: Derived = {}
        for individu in household.individus:
            for net_variable, gross_variable in NET_TO_GROSS.items():
                amounts = resource_history(individu, net_variable, months, current)
                if not any(amounts.values()):
                    continue
                rate_class = rate_classes.get((individu.id, net_variable), "exonere")
                table = self.tables.table(net_variable, household.mois, rate_class)
                gross = {m: table.to_gross(v) for m, v in amounts.items()}
                past = {m: g for m, g in gross.items() if m != current}
                derived[(individu.id, net_variable)] = {
                    gross_variable: gross,
                    net_variable: {m: amounts[m] for m in past},
                    TAXABLE[net_variable]: {m: table.to_taxable(g) for m, g in past.items()},
                }
        return derived

    def _prepare(self, households: list[Household], grosses: list[Derived]) -> Prepared:
        """The households' situation as arrays, past benefits aside (they change from pass to pass)."""
        merged: dict[str, dict[str, Any]] = {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}}
        for rank, (household, gross) in enumerate(zip(households, grosses, strict=True)):
            situation = build_situation(household, gross, self.benefit_entities)
            prefix = f"{rank}/"
            for person_id, person in situation["individus"].items():
                merged["individus"][prefix + person_id] = person
            for plural in ("familles", "foyers_fiscaux", "menages"):
                for entity_id, entity in situation[plural].items():
                    renamed = {
                        key: [prefix + member for member in value] if isinstance(value, list) else value
                        for key, value in entity.items()
                    }
                    merged[plural][prefix + entity_id] = renamed
        return prepare(self.tbs, merged)

    def _build(
        self, households: list[Household], prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes],
        window: int,
    ) -> Run:
        """A simulation of the prepared households, the months outside the window at the fixed point.

        What a person declared for a month takes precedence over the fixed point (it lies under it).
        """
        outside = _outside_window(households[0].mois, window)
        simulation = instantiate(self.tbs, prepared, self._past_inputs(prepared, values, regimes, outside))
        owner, demandeur_index = _instance_owners(households, prepared)
        return Run(simulation, households, households[0].mois, owner, demandeur_index)

    def _past_inputs(
        self, prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes], months: Sequence[Period]
    ) -> dict[tuple[str, Period], np.ndarray]:
        """Each fixed-point benefit for every instance of its entity and each month (0 before the first pass).

        A month before a child's birth takes the fixed point of the household as it was then (`births`).
        """
        inputs: dict[tuple[str, Period], np.ndarray] = {}
        for variable in FIXED_POINT_BENEFITS:
            entity = self.benefit_entities[variable]
            instances = [entity_id.split("/", 1) for entity_id in prepared.ids[entity]]
            keys = [(int(rank), local_id if entity == "individu" else entity) for rank, local_id in instances]
            own = np.array([values[rank].get(variable, {}).get(key, 0.0) for rank, key in keys])
            born = [(index, rank, key) for index, (rank, key) in enumerate(keys) if regimes[rank]]
            for period in months:
                inputs[(variable, period)] = amounts = own
                month = Month(period.start.year, period.start.month)
                for index, rank, key in born:
                    source = source_rank(rank, regimes[rank], month)
                    if source != rank:
                        if amounts is own:
                            inputs[(variable, period)] = amounts = own.copy()
                        amounts[index] = values[source].get(variable, {}).get(key, 0.0)
        return inputs

    def run(self, households: list[Household], trace: bool = False) -> Run:
        """The simulation of the households, ready to compute any benefit for their month.

        1. Gross amounts come from the net->gross tables for the simplest CSG rate class; where OpenFisca
           applies another class (the household's tax income of N-2 decides), the class it applies is
           read back and the gross recomputed, until net amounts match what each person declared.
        2. Past benefits (stable situation) are a fixed point: every other month takes the value the
           rules grant for M, starting from 0, until it no longer moves (2 or 3 shallow passes instead
           of OpenFisca recursing over 24 months). The passes happen in one simulation: only what read
           a benefit that moved is computed again (`openfisca_speedups.replace_inputs`).
        3. Then the rules compute the window's months themselves, so that a revaluation there (housing
           aid in October, family benefits in April) counts as it should.

        With `trace`, step 3 is a new simulation with OpenFisca's full tracer (for "Détail du calcul"),
        tax values of past years carried over. Under `stock_openfisca()` every pass is a new simulation.
        """
        months = {h.mois for h in households}
        if len(months) != 1:
            raise ValueError("Tous les foyers d'un lot doivent porter sur le même mois.")
        count = len(households)
        households, regimes = with_households_before_births(households)
        rate_classes: list[dict[tuple[str, str], str]] = [{} for _ in households]
        values: list[FixedPoint] = [{} for _ in households]
        previous: Simulation | None = None
        grosses = [self._derived(h, {}) for h in households]
        prepared = self._prepare(households, grosses)
        window = 0
        incremental = openfisca_speedups.active()
        run = None
        for _ in range(MAX_PASSES):
            if run is None or window:
                if window and count < len(households):  # the households before births are only sources
                    households, prepared = households[:count], self._prepare(households[:count], grosses[:count])
                run = self._build(households, prepared, values, regimes, window)
                if previous is not None:
                    _reuse_past_years(previous, run.simulation, int(run.month[:4]))
                if window:
                    run.simulation.trace = trace
                    return run
                if incremental:
                    openfisca_speedups.record_readers(run.simulation)
            reclassified = self._reclassify(run, grosses, rate_classes)
            current = self._fixed_point_values(run)
            if not reclassified and _same(current, values):
                window = FIXED_POINT_WINDOW  # converged: one last pass computes the window's months
                if incremental and not trace:
                    self._open_window(run, prepared)
                    return run
            elif not reclassified and incremental:
                self._move_past(run, prepared, current, regimes)  # the next pass, in the same simulation
            values = current
            previous = None if reclassified else run.simulation
            if reclassified:
                grosses = [self._derived(h, c) for h, c in zip(households, rate_classes, strict=True)]
                prepared = self._prepare(households, grosses)
            if reclassified or not incremental:
                run = None
        assert run is not None
        return run

    def _open_window(self, run: Run, prepared: Prepared) -> None:
        """Let the rules compute the window's months in the simulation of the last pass.

        The same as a new simulation with the fixed point outside the window: what the situation
        gives for a window month stays an input; only what read the other inputs is computed again.
        """
        opened: dict[tuple[str, Period], np.ndarray | None] = {}
        for variable in FIXED_POINT_BENEFITS:
            for period in _window(run.month, FIXED_POINT_WINDOW):
                column = prepared.columns.get((variable, period))
                opened[(variable, period)] = None if column is None else column.values
        openfisca_speedups.replace_inputs(run.simulation, opened)
        openfisca_speedups.stop_recording(run.simulation)  # the last replacement: the catalog runs unrecorded
        run.cache.clear()

    def _move_past(self, run: Run, prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes]) -> None:
        """Set the past benefits that moved to their new value; only what read them is computed again."""
        outside = _outside_window(run.month, 0)
        moved: dict[tuple[str, Period], np.ndarray] = {}
        for (variable, period), amounts in self._past_inputs(prepared, values, regimes, outside).items():
            holder = run.simulation.populations[self.benefit_entities[variable]].get_holder(variable)
            new = prepared.lay_under((variable, period), amounts)
            if not np.array_equal(holder.get_array(period), new):
                moved[(variable, period)] = new
        openfisca_speedups.replace_inputs(run.simulation, moved)
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

    def _reclassify(self, run: Run, grosses: list[dict], rate_classes: list[dict]) -> bool:
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

    # Results --------------------------------------------------------------------------------------

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
        expansion = expand(household, MAX_VARIANTS // 2 if waiting else MAX_VARIANTS, self.catalog)
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
                granted = bool(value) if benefit.type == "droit" else float(value) > 0.005
                read = _reader(run, rank, period)
                refusal = [] if granted else reasons.refusal(benefit, read)
                outcomes[rank].aides[benefit.id] = computed(benefit, value, refusal, reasons.notices(benefit, read))
                outcomes[rank].values[benefit.id] = float(value)
        if with_granted:
            for key in PRESTATIONS_DECLARABLES:
                amounts = run.per_household(key, run.month)
                for rank, outcome in enumerate(outcomes):
                    if amounts[rank] > 0.005:
                        outcome.granted.add(key)
        return outcomes

    def _combine(self, plan: Plan, outcomes: list[Outcome]) -> list[AideResult]:
        """One result per benefit from the household's variants (see simulator/variants.py)."""
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
            result = variants[0]
            if any(r.raisons != result.raisons for r in variants):
                result = result.model_copy(update={"raisons": [benefit.raison_par_defaut or GENERIC_REFUSAL]})
            if any(r.avertissements != result.avertissements for r in variants):
                # Same amount under every answer, not the same notices: show each (it may apply).
                result = result.model_copy(update={"avertissements": unique(m for r in variants
                                                                            for m in r.avertissements)})
            if declared_outcomes:
                firsts = [first_months(benefit, r, d.values.get(benefit.id), plan.pending, s.granted)
                          for r, s, d in zip(variants, stable_outcomes, declared_outcomes, strict=True)]
                if firsts[0] is not None and all(f == firsts[0] for f in firsts):
                    result = result.model_copy(update={"premiers_mois": firsts[0]})
            aides.append(result)
        return aides


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


@lru_cache(maxsize=64)
def _window(month_text: str, window: int) -> tuple[Period, ...]:
    """The `window` months before M, as OpenFisca periods."""
    month = Month.parse(month_text)
    return tuple(periods.period(str(month.shift(-k))) for k in range(1, window + 1))


@lru_cache(maxsize=64)
def _outside_window(month_text: str, window: int) -> tuple[Period, ...]:
    """The months of the history but M and the `window` months before it, as OpenFisca periods."""
    inside = {periods.period(month_text), *_window(month_text, window)}
    history = (periods.period(str(m)) for m in history_months(Month.parse(month_text)))
    return tuple(period for period in history if period not in inside)


def _instance_owners(
    households: list[Household], prepared: Prepared
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """For each entity: the household rank of each instance, and each household's demandeur's index."""
    owner: dict[str, np.ndarray] = {}
    demandeur_index: dict[str, np.ndarray] = {}
    for key, ids in prepared.ids.items():
        owner[key] = np.array([int(entity_id.split("/", 1)[0]) for entity_id in ids])
        position = {entity_id: index for index, entity_id in enumerate(ids)}
        if key == "individu":
            demandeur_index[key] = np.array([position[f"{rank}/{h.demandeur.id}"] for rank, h in enumerate(households)])
        else:
            demandeur_index[key] = np.array([position[f"{rank}/{key}"] for rank in range(len(households))])
    return owner, demandeur_index


def _same(a: list[FixedPoint], b: list[FixedPoint]) -> bool:
    return all(
        abs(value - other.get(variable, {}).get(key, float("nan"))) <= FIXED_POINT_TOLERANCE
        for first, other in zip(a, b, strict=True)
        for variable, by_key in first.items()
        for key, value in by_key.items()
    )


def _reuse_past_years(previous: Simulation, simulation: Simulation, year: int) -> None:
    """Carry the values of calendar years before N over to the next pass of the fixed point.

    They are tax-return quantities (income of N-2 and N-1 that housing aid, CSG rates, family benefits
    read), which depend on resources, not on the benefits the fixed point adjusts: recomputing them
    each pass was 90 % of a pass. The new simulation may hold only the first households of the
    previous one (instances are in household order): arrays are cut to its size.
    """
    for name, population in previous.populations.items():
        target = simulation.populations[name]
        for variable, holder in population._holders.items():
            copy = None
            for period in holder.get_known_periods():
                if str(period.unit) == "year" and period.size == 1 and period.start.month == 1 \
                        and period.start.year < year:
                    copy = copy or target.get_holder(variable)
                    if copy.get_array(period) is None:
                        copy.put_in_cache(holder.get_array(period)[:target.count], period)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _reader(run: Run, rank: int, period: str) -> reasons.Reader:
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
