"""The fixed point's passes over OpenFisca's stored values (docs/engine.md, section 3).

When the shortcuts are active (`speedups.install`, outside `stock_openfisca`), a simulation records
which value read which (`begin`) and the passes happen in it: the past benefits that moved are
replaced (`move`), then the window's months handed back to the rules (`open_window`); only what read
a replaced value is computed again. Otherwise every pass is a new simulation, and the tax values of
past years are carried over to it (`carry_past_years`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.periods import Period
from openfisca_core.simulations import Simulation

from simulator.engine.openfisca import speedups

Inputs = dict[tuple[str, Period], Any]  # (variable, period) -> array, or None for "no input"


def begin(simulation: Simulation) -> None:
    """A new simulation of the fixed point: record its readers if its passes can happen in it."""
    if speedups.active():
        speedups.record_readers(simulation)


def in_place(simulation: Simulation) -> bool:
    """Can the next pass happen in this simulation (readers recorded since it was built)?"""
    return speedups.recording(simulation)


def move(simulation: Simulation, inputs: Inputs) -> None:
    """Set the past benefits that moved to their new value; only what read them is computed again."""
    moved: Inputs = {}
    for (variable, period), new in inputs.items():
        entity = simulation.tax_benefit_system.variables[variable].entity.key
        holder = simulation.populations[entity].get_holder(variable)
        if not np.array_equal(holder.get_array(period), new):
            moved[(variable, period)] = new
    speedups.replace_inputs(simulation, moved)


def open_window(simulation: Simulation, inputs: Inputs) -> None:
    """The last replacement (the window's months, None where the rules compute them): recording stops."""
    speedups.replace_inputs(simulation, inputs)
    speedups.stop_recording(simulation)  # the catalog runs unrecorded


def carry_past_years(previous: Simulation, simulation: Simulation, year: int) -> None:
    """Carry the values of calendar years before `year` over to the next pass of the fixed point.

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
