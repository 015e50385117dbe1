"""Unanswered yes/no and small-choice questions: the household under each answer, to see what changes.

A missing *enumerable* fact (a boolean or a small enumeration: handicap, activité, école of a teenager,
a Paris yes/no question…) need not block every benefit whose rule mentions it. The engine simulates,
in the same vectorised run, the household under each combination of answers of its missing
enumerable facts; a benefit whose eligibility and rounded amount agree across them is computed, one
whose result differs is "non calculable" and names the questions whose answer changes it.

At most `MAX_VARIANTS` households are simulated per household given: facts that would take it beyond
are not expanded, and keep the `requiert` behaviour (the benefits that require them are not
calculable). Non-enumerable facts (rent, commune, an amount) always keep it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from simulator.facts import FACT_CHECKS, SCHOOL_AGES
from simulator.household import Activite, Household, Individu, Role, Scolarite, StatutMarital
from simulator.questions import extension_questions
from simulator.territory import applies_to

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


# ============================================================================================
# THE TABLE OF ENUMERABLE FACTS. simulator/facts.yaml (a data registry of facts, in progress) is to
# replace it: `missing_answers` is the only function that reads it.
# ============================================================================================
TAUX = (0.4, 0.5, 0.8)  # the web forms' choices: under 50 %, 50 to 79 %, 80 % or more
SCOLARITES_10_19 = tuple(s.value for s in Scolarite if s != Scolarite.maternelle)


def _taux_options() -> tuple[Option, ...]:
    return tuple({"taux_incapacite": taux} for taux in TAUX)


def _handicap_options(individu: Individu) -> tuple[Option, ...]:
    if individu.taux_incapacite is not None:
        return ({"handicap": False}, {"handicap": True})
    return ({"handicap": False}, *({"handicap": True, "taux_incapacite": taux} for taux in TAUX))


def _activite_options(individu: Individu) -> tuple[Option, ...]:
    options: list[Option] = []
    for activite in Activite:
        if activite == Activite.chomeur and individu.ass_precondition_remplie is None:
            options += [{"activite": activite.value, "ass_precondition_remplie": answer} for answer in (True, False)]
        else:
            options.append({"activite": activite.value})
    return tuple(options)


@dataclass(frozen=True)
class PersonFact:
    fact: str
    applies: Callable[[Household, Individu], bool]  # to whom, while unanswered
    options: Callable[[Individu], tuple[Option, ...]]
    message: str


PERSON_FACTS: tuple[PersonFact, ...] = (
    PersonFact("handicap", lambda h, i: i.role != Role.enfant and i.handicap is None,
               _handicap_options, FACT_CHECKS["handicap"][1]),
    PersonFact("taux_incapacite", lambda h, i: bool(i.handicap) and i.taux_incapacite is None,
               lambda i: _taux_options(), FACT_CHECKS["taux_incapacite"][1]),
    PersonFact("activite", lambda h, i: i.role != Role.enfant and i.activite is None,
               _activite_options, FACT_CHECKS["activite"][1]),
    PersonFact("ass_precondition_remplie",
               lambda h, i: i.role != Role.enfant and i.activite == Activite.chomeur
               and i.ass_precondition_remplie is None,
               lambda i: ({"ass_precondition_remplie": True}, {"ass_precondition_remplie": False}),
               FACT_CHECKS["ass_precondition_remplie"][1]),
    PersonFact("scolarite",
               lambda h, i: i.role == Role.enfant and i.scolarite is None and h.age_of(i) in SCHOOL_AGES,
               lambda i: tuple({"scolarite": s} for s in SCOLARITES_10_19), FACT_CHECKS["scolarite"][1]),
    PersonFact("statut_marital", lambda h, i: i.role == Role.conjoint and i.statut_marital is None,
               lambda i: tuple({"statut_marital": s.value} for s in StatutMarital),
               "Il manque la réponse à la question : êtes-vous mariés, pacsés ou en union libre ?"),
)
# Plus every boolean question of extensions/*/questions.yaml, where its territory applies: a
# housing question for the housing, a person's question for the demandeur (as the forms ask it).
# ============================================================================================


def missing_answers(household: Household) -> list[MissingAnswer]:
    """The household's unanswered enumerable facts, person by person, then the housing's."""
    answers: list[MissingAnswer] = []
    for individu in household.individus:
        for fact in PERSON_FACTS:
            if fact.applies(household, individu):
                answers.append(MissingAnswer(fact.fact, individu.id, fact.options(individu), fact.message))
    depcom = household.logement.depcom
    for question in extension_questions().values():
        if question.type != "bool" or depcom is None or not applies_to(question.territoires, depcom):
            continue
        extra = (household.logement if question.entite == "logement" else household.demandeur).model_extra or {}
        if extra.get(question.variable) is None:
            who = "logement" if question.entite == "logement" else household.demandeur.id
            options = ({question.variable: True}, {question.variable: False})
            answers.append(MissingAnswer(question.variable, who, options,
                                         f"Il manque la réponse à la question : « {question.question} »"))
    return answers


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


def expand(household: Household, budget: int = MAX_VARIANTS) -> Expansion:
    """The household's variants, at most `budget` of them (facts taken in order while they fit)."""
    answers: list[MissingAnswer] = []
    left_out: list[MissingAnswer] = []
    count = 1
    for answer in missing_answers(household):
        if count * len(answer.options) <= budget:
            answers.append(answer)
            count *= len(answer.options)
        else:
            left_out.append(answer)
    if not answers:
        return Expansion([], left_out, [()], [household])
    choices = list(itertools.product(*(range(len(a.options)) for a in answers)))
    return Expansion(answers, left_out, choices, [with_answers(household, answers, c) for c in choices])


def unique(messages: Iterator[str] | list[str]) -> list[str]:
    return list(dict.fromkeys(messages))
