"""What the engine gives OpenFisca: households as prepared arrays, gross amounts, past benefits.

Households are computed in one vectorised simulation, entity ids prefixed by the household's rank
("3/demandeur"). The past benefits are inputs for every month outside the window (docs/engine.md,
section 3), at the fixed point's current values.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.periods import Period
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from simulator.engine.births import Regimes, source_rank
from simulator.engine.net_to_gross import NetGrossTables
from simulator.engine.openfisca.builder import Prepared, prepare
from simulator.household import Household
from simulator.situation import NET_TO_GROSS, TAXABLE, Derived, Month, build_situation, history_months, resource_history

# Benefits that the rules read in other months than the one computed (as resources of the last 3 or
# 12 months, mostly). In a stable situation their value in those months is the value the rules grant
# now: we set them as inputs for every other month and iterate to the fixed point, instead of letting
# OpenFisca recurse over 24 months of history (found by tracing the naive computation of the scenarios).
FIXED_POINT_BENEFITS = (
    "rsa", "ppa", "ppa_fictive", "aide_logement", "af", "cf", "asf", "paje_base", "paje_clca", "api", "aeeh",
    "aah", "caah", "asi", "aspa", "ass",
)
FixedPoint = dict[str, dict[str, float]]  # variable -> entity key or person id -> € for the month


def derived(tables: NetGrossTables, household: Household, rate_classes: dict[tuple[str, str], str]) -> Derived:
    """Gross amounts for every month; net and taxable ones for the past months (stable situation)."""
    current = Month.parse(household.mois)
    months = history_months(current)
    result: Derived = {}
    for individu in household.individus:
        for net_variable, gross_variable in NET_TO_GROSS.items():
            amounts = resource_history(individu, net_variable, months, current)
            if not any(amounts.values()):
                continue
            rate_class = rate_classes.get((individu.id, net_variable), "exonere")
            table = tables.table(net_variable, household.mois, rate_class)
            gross = {m: table.to_gross(v) for m, v in amounts.items()}
            past = {m: g for m, g in gross.items() if m != current}
            result[(individu.id, net_variable)] = {
                gross_variable: gross,
                net_variable: {m: amounts[m] for m in past},
                TAXABLE[net_variable]: {m: table.to_taxable(g) for m, g in past.items()},
            }
    return result


def prepared_households(
    tbs: TaxBenefitSystem, benefit_entities: dict[str, str], households: list[Household], grosses: list[Derived]
) -> Prepared:
    """The households' situation as arrays, past benefits aside (they change from pass to pass)."""
    merged: dict[str, dict[str, Any]] = {"individus": {}, "familles": {}, "foyers_fiscaux": {}, "menages": {}}
    for rank, (household, gross) in enumerate(zip(households, grosses, strict=True)):
        situation = build_situation(household, gross, benefit_entities)
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
    return prepare(tbs, merged)


def past_inputs(
    benefit_entities: dict[str, str], prepared: Prepared, values: list[FixedPoint], regimes: list[Regimes],
    months: Sequence[Period],
) -> dict[tuple[str, Period], np.ndarray]:
    """Each fixed-point benefit for every instance of its entity and each month (0 before the first pass).

    A month before a child's birth takes the fixed point of the household as it was then (`births`).
    """
    inputs: dict[tuple[str, Period], np.ndarray] = {}
    for variable in FIXED_POINT_BENEFITS:
        entity = benefit_entities[variable]
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


@lru_cache(maxsize=64)
def window(month_text: str, size: int) -> tuple[Period, ...]:
    """The `size` months before M, as OpenFisca periods."""
    month = Month.parse(month_text)
    return tuple(periods.period(str(month.shift(-k))) for k in range(1, size + 1))


@lru_cache(maxsize=64)
def outside_window(month_text: str, size: int) -> tuple[Period, ...]:
    """The months of the history but M and the `size` months before it, as OpenFisca periods."""
    inside = {periods.period(month_text), *window(month_text, size)}
    history = (periods.period(str(m)) for m in history_months(Month.parse(month_text)))
    return tuple(period for period in history if period not in inside)


def instance_owners(
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
