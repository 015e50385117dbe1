"""Situation JSON -> OpenFisca simulation through the array-level builder API.

`SimulationBuilder.build_from_entities` walks the JSON entity by entity and value by value; it does not
scale (OpenFisca notes: ~90 s for 10,000 households). The same situation is turned here into one array
per (variable, period) and one roles array per group entity, which is what OpenFisca stores anyway.
Semantics are those of `build_from_entities`: a value missing for an entity in a period where others
have one takes the variable's default (`tests/test_openfisca_speedups.py`,
`test_array_builder_stores_what_build_from_entities_stores`, compares what both store).

Building is split in two so that the engine's fixed-point passes, which differ only by the past
benefits, turn the situation into arrays once (`prepare`) and then only create simulations from them
(`instantiate`, with the past benefits laid under what the situation gives).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.periods import Period
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.simulations import Simulation
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

# Plural keys of the situation JSON -> flattened role keys, in order of appearance in the list.
ROLE_KEYS: dict[str, dict[str, list[str]]] = {
    "familles": {"parents": ["demandeur", "conjoint"], "enfants": ["enfant"]},
    "foyers_fiscaux": {"declarants": ["declarant_principal", "conjoint"], "personnes_a_charge": ["personne_a_charge"]},
    "menages": {"personne_de_reference": ["personne_de_reference"], "conjoint": ["conjoint"],
                "enfants": ["enfant"], "autres": ["autre"]},
}
ENTITY_OF_PLURAL = {"familles": "famille", "foyers_fiscaux": "foyer_fiscal", "menages": "menage"}


@dataclass(frozen=True)
class Column:
    """The input of one variable for one period: values, and which instances the situation gave."""

    variable: Variable
    period: Period
    values: Any  # numpy array or EnumArray, one value per instance of the variable's entity
    given: np.ndarray  # bool, False where the value is the variable's default


@dataclass(frozen=True)
class Prepared:
    """A situation as arrays: entity instances, group membership and every input column."""

    ids: dict[str, list[str]]  # entity key -> instance ids, in OpenFisca's order
    groups: tuple[tuple[str, np.ndarray, list[str]], ...]  # entity key, group id of each person, roles
    columns: dict[tuple[str, Period], Column]

    def lay_under(self, key: tuple[str, Period], below: Any) -> Any:
        """`below`, where the situation gives no value for that variable and period; the situation's elsewhere."""
        column = self.columns.get(key)
        return below if column is None else np.where(column.given, column.values, below)


def _column(variable: Any, size: int, values: dict[int, Any]) -> Any:
    """One input array: the given values at their indexes, the variable's default elsewhere."""
    if variable.value_type is date:
        column = np.full(size, np.datetime64(variable.default_value, "D"))
        for index, value in values.items():
            column[index] = np.datetime64(value, "D")
        return column
    if getattr(variable, "possible_values", None) is not None:
        enum = variable.possible_values
        indices = np.full(size, variable.default_value.index, dtype=np.int16)
        for index, value in values.items():
            indices[index] = enum[value].index
        return EnumArray(indices, enum)
    if variable.value_type is str:
        column = np.full(size, variable.default_value, dtype=object)
    else:
        column = np.full(size, variable.default_value, dtype=variable.dtype)
    for index, value in values.items():
        column[index] = value
    return column


def prepare(tbs: TaxBenefitSystem, situation: dict[str, Any]) -> Prepared:
    """Entities, roles and input arrays of a situation JSON; unknown variables or entities raise."""
    person_ids = list(situation["individus"])
    person_index = {person_id: index for index, person_id in enumerate(person_ids)}
    ids: dict[str, list[str]] = {"individu": person_ids}
    inputs: dict[str, tuple[str, dict[str, dict[int, Any]]]] = {}

    def collect(entity_key: str, index: int, data: dict[str, Any], skip: set[str]) -> None:
        for name, by_period in data.items():
            if name in skip:
                continue
            by_text = inputs.setdefault(name, (entity_key, defaultdict(dict)))[1]
            for period, value in by_period.items():
                by_text[period][index] = value

    for person_id, data in situation["individus"].items():
        collect("individu", person_index[person_id], data, set())

    groups = []
    for plural, entities in situation.items():
        if plural == "individus":
            continue
        entity_key = ENTITY_OF_PLURAL[plural]
        ids[entity_key] = list(entities)
        assignment = np.empty(len(person_ids), dtype=object)
        roles = np.empty(len(person_ids), dtype=object)
        for group_id, data in entities.items():
            for role_list, role_keys in ROLE_KEYS[plural].items():
                for rank, member in enumerate(data.get(role_list, [])):
                    assignment[person_index[member]] = group_id
                    roles[person_index[member]] = role_keys[min(rank, len(role_keys) - 1)]
        if any(value is None for value in assignment):
            raise ValueError(f"Chaque personne doit appartenir à un groupe {entity_key}.")
        groups.append((entity_key, assignment, list(roles)))
        for index, data in enumerate(entities.values()):
            collect(entity_key, index, data, set(ROLE_KEYS[plural]))

    columns: dict[tuple[str, Period], Column] = {}
    for name, (entity_key, by_text) in inputs.items():
        variable = tbs.get_variable(name, check_existence=True)
        if variable.entity.key != entity_key:
            raise ValueError(f"{name} appartient à l'entité {variable.entity.key}, pas à {entity_key}.")
        size = len(ids[entity_key])
        for text, values in by_text.items():
            given = np.zeros(size, dtype=bool)
            given[list(values)] = True
            period = periods.period(text)
            columns[(name, period)] = Column(variable, period, _column(variable, size, values), given)
    return Prepared(ids, tuple(groups), columns)


def instantiate(
    tbs: TaxBenefitSystem, prepared: Prepared, under: dict[tuple[str, Period], Any] | None = None
) -> Simulation:
    """A new simulation with the prepared inputs; `under` gives arrays the situation's values override.

    Each simulation gets its own copies of the arrays: nothing computed in one reaches another.
    """
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("individu", prepared.ids["individu"])
    for entity_key, assignment, roles in prepared.groups:
        population = builder.declare_entity(entity_key, prepared.ids[entity_key])
        builder.join_with_persons(population, assignment, roles)
    simulation = builder.build(tbs)
    under = under or {}
    for key, column in prepared.columns.items():
        values = column.values if key not in under else prepared.lay_under(key, under[key])
        _store(simulation, column.variable, column.period, values)
    for (name, period), values in under.items():
        if (name, period) not in prepared.columns:
            _store(simulation, tbs.get_variable(name, check_existence=True), period, values)
    return simulation


def _store(simulation: Simulation, variable: Variable, period: Period, values: Any) -> None:
    """`Simulation.set_input`, straight to the holder when the period is the variable's own unit.

    For one period of the variable's definition unit, OpenFisca's `set_input` helpers end in
    `Holder._set` for that period (dividing by one period, or dispatching to one): calling it directly
    skips the string parsing and sub-period walk, with the same checks and casts.
    """
    if variable.end is not None and period.start.date > variable.end:
        return
    holder = simulation.populations[variable.entity.key].get_holder(variable.name)
    copy = values.copy()
    if variable.is_neutralized or not (
        holder._eternal or (period.unit == variable.definition_period and period.size == 1)
    ):
        holder.set_input(period, copy)
    else:
        holder._set(period, copy)
