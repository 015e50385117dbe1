"""Households as they were before a child born within the history, for the past benefits' fixed point.

The fixed point gives every past month the benefits of today's household (stable situation). A child
born during the 36 months the rules read was not there before: a family with a two-month-old baby did
not receive a year of family benefits for it, and the 12-month resources of the Complémentaire santé
solidaire must not count them. So for each birth month B within the history, the household without
the children born from B on is simulated too, in the same vectorised run; months before B take its
fixed point. Each such household is only a source of past values: nobody reads its results.
"""

from __future__ import annotations

from simulator.household import Household, Role
from simulator.situation import Month, birth_date, history_months

# For one household: (birth month B, rank of the household as it was before B), by increasing B.
Regimes = list[tuple[Month, int]]


def born_in(household: Household, individu) -> Month:
    born = birth_date(household, individu)
    return Month(born.year, born.month)


def with_households_before_births(households: list[Household]) -> tuple[list[Household], list[Regimes]]:
    """The households, then one household per (household, birth month within its history).

    Returns every household to simulate (the given ones first, in order) and each one's regimes.
    """
    everyone = list(households)
    regimes: list[Regimes] = [[] for _ in households]
    for rank, household in enumerate(households):
        first = history_months(Month.parse(household.mois))[0]
        births = sorted({born_in(household, i) for i in household.enfants if born_in(household, i) > first})
        for birth in births:
            before = household.model_copy(update={"individus": [
                i for i in household.individus if i.role != Role.enfant or born_in(household, i) < birth]})
            everyone.append(before)
            regimes.append(list(regimes[rank]))  # before B, the earlier births' households still apply
            regimes[rank].append((birth, len(everyone) - 1))
    return everyone, regimes


def source_rank(rank: int, regimes: Regimes, month: Month) -> int:
    """Whose fixed point a household's month takes: its own, or the household before the next birth."""
    for birth, before in regimes:
        if month < birth:
            return before
    return rank
