"""A request's cost, estimated at validation and refused beyond a budget (SIMULATOR_MAX_COST).

What the engine builds grows with: households × people × (1 + births within the history: each one adds
the household as it was before, simulated in the same run) × variation steps. A batch of 750 households
of 20 people with 19 births each (≈ 300,000 units) once ran ~264 s and took 4.3 GB after its 503; the
default budget of 20,000 admits 1,000 households of 20 people without births, or a 101-step variation
of a 20-person household with up to 8 births in its history.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.api.errors import CostTooHigh
from simulator.household import Household, Role
from simulator.situation import Month, birth_date, history_months


def births_in_history(household: Household) -> int:
    """Birth months of the children within the 36 months the rules read (simulator.engine.births)."""
    first = history_months(Month.parse(household.mois))[0]
    months = set()
    for individu in household.individus:
        if individu.role == Role.enfant:
            born = birth_date(household, individu)
            month = Month(born.year, born.month)
            if month > first:
                months.add(month)
    return len(months)


def household_cost(household: Household) -> int:
    return len(household.individus) * (1 + births_in_history(household))


def check_cost(households: Sequence[Household], budget: int, steps: int = 1, field: str = "$") -> None:
    """Raise CostTooHigh (a French 422 on `field`) when the request's estimated cost passes the budget."""
    cost = sum(household_cost(h) for h in households) * steps
    if cost > budget:
        raise CostTooHigh(
            f"Demande trop coûteuse à calculer : {cost:,} unités estimées (foyers × personnes × (1 + naissances "
            f"dans l'historique) × étapes) pour un budget de {budget:,}. Envoyez moins de foyers par lot, "
            f"ou moins d'étapes.".replace(",", "\u202f"), field)
