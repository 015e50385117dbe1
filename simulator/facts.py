"""Facts a rule needs, and whether the household answered them.

A catalog entry lists in `requiert` the facts its rule cannot do without (ids of the registry,
`simulator/facts.yaml`, plus `age` and `ressources` which every household answers). An unanswered one
makes the benefit *not calculable*, with the registry's message — never a silent zero. Whom a fact
concerns (roles, ages, other answers) is the registry's too, so the questionnaire, the caseworker form
and this check agree on when a fact is needed. For the
enumerable facts (yes/no, small choices) the engine simulates each answer instead and blocks only the
benefits whose result changes (`simulator/engine/variants.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simulator.catalog import Benefit
from simulator.household import Household, Individu
from simulator.registry import ALWAYS_ANSWERED, Fact, all_facts, fact
from simulator.territory import applies_to

AGE_SENIOR = 60  # the youngest age at which an elderly person's aid may apply (Paris: 60 if unfit for work)


def person_answers(individu: Individu) -> dict[str, Any]:
    return {**dict(individu), **(individu.model_extra or {})}


def housing_answers(household: Household) -> dict[str, Any]:
    logement = household.logement
    return {**dict(logement), **(logement.model_extra or {})}


def concerned(household: Household, f: Fact) -> list[tuple[Individu | None, dict[str, Any]]]:
    """Who a rule needing `f` asks it of: each person it concerns (or the housing), with their answers."""
    if f.entite == "logement":
        answers = housing_answers(household)
        return [(None, answers)] if f.applies_given(answers) else []
    result = []
    for individu in household.individus:
        answers = person_answers(individu)
        if f.concerns(individu.role.value, household.age_of(individu)) and f.applies_given(answers):
            result.append((individu, answers))
    return result


def is_missing(household: Household, f: Fact) -> bool:
    return any(answers.get(f.id) is None for _, answers in concerned(household, f))


def _personne_agee_ou_handicapee(household: Household) -> bool:
    return any(
        household.age_of(i) >= AGE_SENIOR or i.handicap or (i.taux_incapacite or 0) > 0
        for i in household.adultes
    )


# Households in which a fact listed in a catalog entry's `requiert_si` is needed at all.
CONDITIONS: dict[str, Callable[[Household], bool]] = {
    "personne_agee_ou_handicapee": _personne_agee_ou_handicapee,
    "enfants": lambda h: bool(h.enfants),
    "locataire": lambda h: h.logement.locataire,
}


def required_facts(household: Household, required: list[str], required_if: dict[str, str] | None = None) -> list[str]:
    return list(required) + [
        fact_id for fact_id, condition in (required_if or {}).items() if CONDITIONS[condition](household)
    ]


def unanswered(household: Household) -> set[str]:
    """The registry's facts this household leaves unanswered where they concern someone (once per household)."""
    return {f.id for f in all_facts().values() if is_missing(household, f)}


def missing_facts(household: Household, required: list[str], required_if: dict[str, str] | None = None,
                  missing: set[str] | None = None) -> list[str]:
    """French messages for each required fact the household left unanswered (`missing`: `unanswered(household)`)."""
    missing = unanswered(household) if missing is None else missing
    messages: list[str] = []
    for fact_id in required_facts(household, required, required_if):
        if fact_id in ALWAYS_ANSWERED:
            continue
        f = fact(fact_id)
        if f is None:
            messages.append(f"Donnée inconnue du simulateur : {fact_id}.")
        elif fact_id in missing:
            messages.append(f.missing_message)
    return messages


def needed_facts(household: Household, catalog: Sequence[Benefit]) -> set[str]:
    """The facts some catalog entry for this household's commune requires of it (`requiert`, `requiert_si`):
    the ones the questionnaire asks, and the only ones whose absence can make a benefit non calculable."""
    depcom = household.logement.depcom
    return {fact_id for benefit in catalog if depcom is None or applies_to(benefit.territoires, depcom)
            for fact_id in required_facts(household, benefit.requiert, benefit.requiert_si)}
