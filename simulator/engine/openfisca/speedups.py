"""Shortcuts through OpenFisca-Core, each one provably returning what OpenFisca itself returns.

1. Period arithmetic, memoised. A household evaluates thousands of formulas, and each parses or shifts
   periods several times (`periods.period("2026-11")` parses the string with pendulum each time).
   `Instant` and `Period` are immutable tuples and `periods.period`, `Instant.offset`, `Period.offset`
   are pure functions of them; only arguments of those immutable types go through the cache.
2. A lean `calculate` for the plain case (`_lean_calculate`): a `Period` of the variable's own unit,
   the simple tracer, no option. It takes the same steps as `Simulation.calculate` and `_calculate`
   (stack, cache, cycle check, formula, cast, cache, spiral default, purge) without parsing the period
   again and looking the variable up four times; anything else (ADD/DIVIDE, periods as text, wrong
   units or entities, the full tracer) takes OpenFisca's own code and gets its errors.
   `Variable.get_formula` is memoised per variable and period: formulas do not change once built.
3. Readers, for recomputing only what changed (`record_readers`, `replace_inputs`): every read made
   while a formula runs is recorded as an edge "this value read that one". A computed value is a
   deterministic function of what it read, so after inputs change, forgetting every value that read
   them, directly or not, leaves only values a new simulation would compute again. OpenFisca-France
   formulas that read a holder directly (`get_holder(...).get_array`) do so for ages and contract
   dates, which the engine never replaces.

`stock_openfisca()` switches everything off for a block (the benchmark's naive path, and the tests that
compare both); `tests/test_openfisca_speedups.py` holds the engine's results to stock OpenFisca's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from openfisca_core import periods
from openfisca_core.errors import SpiralError
from openfisca_core.periods import DateUnit, Instant, Period
from openfisca_core.populations import CorePopulation
from openfisca_core.simulations import Simulation
from openfisca_core.tracers import SimpleTracer
from openfisca_core.variables import Variable

_CACHEABLE = (str, int, Instant, Period, DateUnit)
_installed = False
_stock = False  # inside `stock_openfisca`


def _memoise_function(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cached = lru_cache(maxsize=65536)(original)

    def period(value: Any) -> Any:
        if type(value) in _CACHEABLE:
            return cached(value)
        return original(value)

    period.__wrapped__ = original  # type: ignore[attr-defined]
    return period


def _memoise_offset(original: Callable[..., Any]) -> Callable[..., Any]:
    cached = lru_cache(maxsize=65536)(original)

    def offset(self: Any, offset: Any, unit: Any = None) -> Any:
        if type(offset) in _CACHEABLE and (unit is None or type(unit) in _CACHEABLE):
            return cached(self, offset, unit) if unit is not None else cached(self, offset)
        return original(self, offset, unit) if unit is not None else original(self, offset)

    offset.__wrapped__ = original  # type: ignore[attr-defined]
    return offset


_ETERNITY = periods.period(DateUnit.ETERNITY)  # the key of an eternal value in memory storage


def _lean_calculate(simulation: Any, population: Any, variable_name: str, period: Any) -> Any:
    """`Simulation.calculate` for the plain case, or `_FULL_PATH` to let OpenFisca's own code run.

    The plain case: a `Period` object of the variable's own unit and size 1 (or an eternal variable),
    the simple tracer (no trace to record), no `start_computation_period`, a variable of the
    population's entity. Then OpenFisca's calculate does exactly this: push the call on the tracer's
    stack, return the value in the holder's memory if there is one, else check for a cycle, run the
    formula, cast and cache its result (the variable's default on a spiral), pop the stack, and purge
    invalidated caches once the stack is empty. What it skips: parsing the period again, looking the
    variable up four times and checking its entity and period twice.
    """
    if type(period) is not Period or type(simulation.tracer) is not SimpleTracer:
        return _FULL_PATH
    holder = population._holders.get(variable_name)
    if holder is None:
        variable = simulation.tax_benefit_system.variables.get(variable_name)
        if variable is None or variable.entity.key != population.entity.key:
            return _FULL_PATH
        holder = population.get_holder(variable_name)
    variable = holder.variable
    if not holder._eternal and (period.unit != variable.definition_period or period.size != 1):
        return _FULL_PATH
    if simulation.start_computation_period is not None or variable.is_neutralized:
        return _FULL_PATH
    stack = simulation.tracer._stack
    readers = simulation.__dict__.get(_READERS)
    if readers is not None and stack:
        _record(readers, stack, variable_name, period)
    stack.append({"name": variable_name, "period": period})
    try:
        array = holder._memory_storage._arrays.get(_ETERNITY if holder._eternal else period)
        if array is not None:
            return array
        try:
            simulation._check_for_cycle(variable_name, period)
            array = simulation._run_formula(variable, population, period)
            if array is None:
                array = holder.default_array()
            array = simulation._cast_formula_result(array, variable)
            holder.put_in_cache(array, period)
        except SpiralError:
            array = holder.default_array()
        return array
    finally:
        stack.pop()
        if not stack and simulation.invalidated_caches:
            simulation.purge_cache_of_invalid_values()


_FULL_PATH = object()


_READERS = "_speedups_readers"
Key = tuple[str, Period]


def _record(readers: dict[Key, set[Key]], stack: list[dict[str, Any]], variable_name: str, period: Any) -> None:
    frame = stack[-1]
    reader = (frame["name"], frame["period"])
    found = readers.get((variable_name, period))
    if found is None:
        readers[(variable_name, period)] = {reader}
    else:
        found.add(reader)


def _record_full_path(simulation: Any, variable_name: str, period: Any) -> None:
    """A read that takes OpenFisca's own path with a period given as text is recorded too.

    (With ADD or DIVIDE options, OpenFisca calls `Simulation.calculate` for each period it reads, and
    that call records itself.)
    """
    readers = simulation.__dict__.get(_READERS)
    stack = simulation.tracer.stack
    if readers is None or not stack:
        return
    try:
        period = periods.period(period)
    except (ValueError, TypeError):
        return  # OpenFisca raises its own error just after
    _record(readers, stack, variable_name, period)


def record_readers(simulation: Simulation) -> None:
    """From now on, remember which computed value read which value (to recompute only what changes)."""
    simulation.__dict__[_READERS] = {}


def recording(simulation: Simulation) -> bool:
    """Has the simulation recorded its readers since it was built (`record_readers`, not stopped)?"""
    return _READERS in simulation.__dict__


def stop_recording(simulation: Simulation) -> None:
    """No more inputs will be replaced: stop recording readers (and let their graph go)."""
    simulation.__dict__.pop(_READERS, None)


def replace_inputs(simulation: Simulation, inputs: dict[Key, Any]) -> int:
    """Set new input arrays (None: no input, the formula computes it) and forget what read the old ones.

    The simulation must have recorded its readers since it was built (`record_readers`): a value
    computed by a formula is a deterministic function of the values it read, so a value whose reads,
    direct and indirect, do not include a replaced input is the value OpenFisca would compute again.
    Returns how many computed values were forgotten.
    """
    readers: dict[Key, set[Key]] = simulation.__dict__[_READERS]
    stale: set[Key] = set()
    pending = list(inputs)
    while pending:
        for reader in readers.get(pending.pop(), ()):
            if reader not in stale:
                stale.add(reader)
                pending.append(reader)
    tbs = simulation.tax_benefit_system
    for name, period in stale:
        holder = simulation.populations[tbs.variables[name].entity.key].get_holder(name)
        holder._memory_storage._arrays.pop(_ETERNITY if holder._eternal else period, None)
    for (name, period), values in inputs.items():
        variable = tbs.variables[name]
        holder = simulation.populations[variable.entity.key].get_holder(name)
        if values is None:
            holder._memory_storage._arrays.pop(period, None)
        elif variable.end is None or period.start.date <= variable.end:  # as `Simulation.set_input`
            holder._set(period, values)  # overwrites
    return len(stale)


def _population_call(original: Callable[..., Any]) -> Callable[..., Any]:
    def __call__(self: Any, variable_name: str, period: Any, options: Any = None) -> Any:
        if options is None and self.simulation is not None:
            value = _lean_calculate(self.simulation, self, variable_name, period)
            if value is not _FULL_PATH:
                return value
            _record_full_path(self.simulation, variable_name, period)
        return original(self, variable_name, period, options)

    __call__.__wrapped__ = original  # type: ignore[attr-defined]
    return __call__


def _simulation_calculate(original: Callable[..., Any]) -> Callable[..., Any]:
    def calculate(self: Any, variable_name: str, period: Any) -> Any:
        variable = self.tax_benefit_system.variables.get(variable_name)
        if variable is not None:
            value = _lean_calculate(self, self.populations[variable.entity.key], variable_name, period)
            if value is not _FULL_PATH:
                return value
        _record_full_path(self, variable_name, period)
        return original(self, variable_name, period)

    calculate.__wrapped__ = original  # type: ignore[attr-defined]
    return calculate


def _memoise_formula(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_formula(self: Any, period: Any = None) -> Any:
        if type(period) is not Period:
            return original(self, period)
        cache = self.__dict__.get("_speedups_formulas")
        if cache is None:
            cache = self.__dict__["_speedups_formulas"] = {}
        if period not in cache:
            cache[period] = original(self, period)
        return cache[period]

    get_formula.__wrapped__ = original  # type: ignore[attr-defined]
    return get_formula


_PATCHES: tuple[tuple[Any, str, Callable[[Any], Any]], ...] = (
    (Instant, "offset", _memoise_offset),
    (Period, "offset", _memoise_offset),
    (CorePopulation, "__call__", _population_call),
    (Simulation, "calculate", _simulation_calculate),
    (Variable, "get_formula", _memoise_formula),
)


def install() -> None:
    """Install once per process (idempotent), explicitly at start: `simulator.engine.install_shortcuts`,
    called by the server, the CLI and the tests; `Engine()` does not install them."""
    global _installed
    if _installed:
        return
    periods.period = _memoise_function(periods.period)
    for owner, name, wrap in _PATCHES:
        setattr(owner, name, wrap(getattr(owner, name)))
    _installed = True


def active() -> bool:
    """Are the shortcuts in place (installed, and not inside `stock_openfisca`)?"""
    return _installed and not _stock


@contextmanager
def stock_openfisca() -> Iterator[None]:
    """OpenFisca as shipped, for the time of a block (the benchmark's naive path)."""
    global _stock
    if not _installed:
        yield
        return
    saved_period = periods.period
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in _PATCHES]
    periods.period = saved_period.__wrapped__
    for owner, name, patched in saved:
        setattr(owner, name, patched.__wrapped__)
    _stock = True
    try:
        yield
    finally:
        _stock = False
        periods.period = saved_period
        for owner, name, patched in saved:
            setattr(owner, name, patched)
