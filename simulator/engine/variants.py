"""Unanswered yes/no and small-choice questions: the household under each answer, to see what changes.

A missing *enumerable* fact (a boolean or a small enumeration: handicap, activité, école of a teenager,
a Paris yes/no question…) need not block every benefit whose rule mentions it. The engine simulates,
in the same vectorised run, the household under each combination of answers of its missing
enumerable facts; a benefit whose eligibility and rounded amount agree across them is computed, one
whose result differs is "non calculable" and names the questions whose answer changes it.

At most `MAX_VARIANTS` households are simulated per household given: facts that would take it beyond
are not expanded, and keep the `requiert` behaviour (the benefits that require them are not
calculable). Non-enumerable facts (rent, commune, an amount) and choices of more than `MAX_ANSWERS`
answers (the housing status) always keep it; a fact with a `defaut` in the registry (garde alternée:
no) is taken as that answer. The facts, their answers, whom they concern and their messages are the
registry's (`simulator/facts.yaml`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.catalog import Benefit, load_catalog
from simulator.facts import concerned, needed_facts
from simulator.household import Household
from simulator.registry import Fact, all_facts
from simulator.territory import applies_to

MAX_ANSWERS = 6  # a choice with more answers (housing status: 8) is not tried: `requiert` decides
MAX_VARIANTS = 32  # households simulated per household given (its answers' combinations, × 2 with 0-declarations)

Option = dict[str, Any]  # the fields one answer sets (a dependent fact is set with its parent)


@dataclass(frozen=True)
class MissingAnswer:
    """One unanswered enumerable fact: which, for whom, its possible answers and what to tell the person."""

    fact: str  # the fact id (the name used in `requiert`)
    who: str  # a person id, or "logement"
    options: tuple[Option, ...]
    message: str

    @property
    def key(self) -> str:
        """"handicap:demandeur", "parisien:logement"."""
        return f"{self.fact}:{self.who}"

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(option[self.fact] for option in self.options)


def _dependents(f: Fact) -> list[Fact]:
    """The facts asked only under one answer of `f`, for the same person (taux d'incapacité under handicap)."""
    return [g for g in all_facts().values() if g.enumerable and list(g.si) == [f.id]]


def _answers(f: Fact, age: int | None) -> list[Any]:
    return [value for value, option in zip(f.answers(), f.valeurs or [None, None], strict=True)
            if option is None or option.at_age(age)]


def _options(f: Fact, answers: dict[str, Any], age: int | None) -> tuple[Option, ...]:
    """Each answer of `f`, with every answer of its unanswered dependents under the answers that ask them."""
    options: list[Option] = []
    for value in _answers(f, age):
        combined: list[Option] = [{f.id: value}]
        for g in _dependents(f):
            if answers.get(g.id) is None and value in g.si[f.id]:
                combined = [{**option, g.id: other} for option in combined for other in _answers(g, age)]
        options += combined
    return tuple(options)


def missing_answers(household: Household, catalog: Sequence[Benefit] | None = None) -> list[MissingAnswer]:
    """The household's unanswered enumerable facts (the registry's yes/no and choices) that a catalog entry
    requires of it (the questions the questionnaire asks: a fact no entry requires keeps OpenFisca's
    default, as before); a fact asked under another's answer is expanded with it while that one is missing."""
    result: list[MissingAnswer] = []
    depcom = household.logement.depcom
    needed = needed_facts(household, load_catalog() if catalog is None else catalog)
    for f in all_facts().values():
        if f.id not in needed or not f.enumerable or f.defaut is not None or len(f.answers()) > MAX_ANSWERS:
            continue
        if f.territoires and (depcom is None or not applies_to(f.territoires, depcom)):
            continue
        for individu, answers in concerned(household, f):  # a fact asked under another answer: once it is given
            if answers.get(f.id) is not None:
                continue
            age = household.age_of(individu) if individu is not None else None
            who = individu.id if individu is not None else "logement"
            result.append(MissingAnswer(f.id, who, _options(f, answers, age), f.missing_message))
    return result


def with_answers(household: Household, answers: list[MissingAnswer], choice: tuple[int, ...]) -> Household:
    """The household with, for each answer, the option of that index."""
    data = household.model_dump()
    people = {person["id"]: person for person in data["individus"]}
    for answer, index in zip(answers, choice, strict=True):
        target = data["logement"] if answer.who == "logement" else people[answer.who]
        target.update(answer.options[index])
    return Household.model_validate(data)


@dataclass
class Expansion:
    """A household under each combination of answers of its expanded missing facts."""

    answers: list[MissingAnswer]  # expanded, in order
    left_out: list[MissingAnswer]  # beyond the bound: the `requiert` lists decide for them
    choices: list[tuple[int, ...]]  # option index per expanded answer, one per variant
    households: list[Household]

    def facts_that_change(self, keys: list[Any]) -> list[MissingAnswer]:
        """The expanded answers along which the variants' results (`keys`, one per variant) differ."""
        changing = []
        for position, answer in enumerate(self.answers):
            seen: dict[tuple[int, ...], Any] = {}
            for choice, key in zip(self.choices, keys, strict=True):
                others = choice[:position] + choice[position + 1:]
                if seen.setdefault(others, key) != key:
                    changing.append(answer)
                    break
        return changing


def expand(household: Household, budget: int = MAX_VARIANTS, catalog: Sequence[Benefit] | None = None) -> Expansion:
    """The household's variants, at most `budget` of them (facts taken in order while they fit).

    An answer can make another fact needed (handicap: yes makes the Paris health question needed for
    Complément Santé Paris): the facts some variant needs are expanded too, until none is new.
    """
    answers: list[MissingAnswer] = []
    left_out: list[MissingAnswer] = []
    count = 1
    found = missing_answers(household, catalog)
    households = [household]
    choices: list[tuple[int, ...]] = [()]
    while found:
        for answer in found:
            if count * len(answer.options) <= budget:
                answers.append(answer)
                count *= len(answer.options)
            else:
                left_out.append(answer)
        choices = list(itertools.product(*(range(len(a.options)) for a in answers)))
        households = [with_answers(household, answers, c) for c in choices] if answers else [household]
        known = {a.key for a in (*answers, *left_out)}
        found = list({a.key: a for h in households for a in missing_answers(h, catalog) if a.key not in known}
                     .values())
    return Expansion(answers, left_out, choices, households)


def unique(messages: Iterator[str] | list[str]) -> list[str]:
    return list(dict.fromkeys(messages))
