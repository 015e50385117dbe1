"""Answers that local rules need beyond the core household model, declared by each extension.

Each `extensions/<territory>/questions.yaml` lists the input variables its rules read; the household
model accepts them (and nothing else) as extra keys, and the questionnaire asks them where they apply.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from simulator.paths import extensions_dirs


class Question(BaseModel):
    variable: str
    entite: Literal["individu", "logement"]
    type: Literal["bool", "montant", "entier"]
    question: str
    aide: str | None = None
    territoires: list[str] | None = None
    applicable: str | None = None


def load_questions(directory: Path) -> list[Question]:
    path = directory / "questions.yaml"
    if not path.exists():
        return []
    return [Question(**entry) for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []]


@cache
def extension_questions() -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for directory in extensions_dirs():
        for question in load_questions(directory):
            questions[question.variable] = question
    return questions
