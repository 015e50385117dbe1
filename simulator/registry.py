"""The registry of facts: one entry per answer a rule can need, read from data (`simulator/facts.yaml`
and each extension's `facts.yaml`).

Everything that asks, checks or sends an answer derives from these entries: the household model's
fields and their allowed values (`simulator.household`), the OpenFisca inputs they feed
(`simulator.situation`), the "non calculable" messages (`simulator.facts`), the questionnaire's fields
(`simulator.web.forms.fields`) and the caseworker form (`simulator.web.forms.one_page`). A fact
added here is accepted by the API, asked where a rule needs it and sent to the rules.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from simulator.paths import extensions_dirs

CORE_FILE = Path(__file__).resolve().parent / "facts.yaml"
ADULTES = ("demandeur", "conjoint")
# Facts a catalog entry may require that every household answers by construction.
ALWAYS_ANSWERED = frozenset({"age", "ressources"})

ByRole = str | dict[str, str]


class Valeur(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valeur: str
    libelle: str
    libelle_court: str | None = None
    aide: str | None = None
    age: tuple[int, int] | None = None  # the ages at which this answer is possible (a child in maternelle)

    @property
    def court(self) -> str:
        return self.libelle_court or self.libelle

    def at_age(self, age: int | None) -> bool:
        return self.age is None or age is None or self.age[0] <= age <= self.age[1]


class Fact(BaseModel):
    """One answer: who it concerns, its type and values, how it is asked, what a rule reads."""

    model_config = ConfigDict(extra="forbid")

    id: str
    entite: Literal["individu", "logement"]
    type: Literal["bool", "choix", "taux", "montant", "entier", "commune"]
    roles: tuple[str, ...] = ADULTES
    age: tuple[int, int] | None = None
    si: dict[str, list[str | bool]] = Field(default_factory=dict)
    question: ByRole
    aide: ByRole | None = None
    libelle: str
    requis: ByRole | None = None
    manquant: str | None = None  # default: "Il manque la réponse à la question : « … »"
    manquant_roles: tuple[str, ...] | None = None
    openfisca: str | None = "__id__"
    formulaire: str | None = None
    valeurs: list[Valeur] = Field(default_factory=list)
    territoires: list[str] | None = None
    applicable: str | None = None  # for whom, in words (shown in the caseworker form)
    formulaires: bool = True  # asked in the web forms (false: through the API only)
    toujours: bool = False  # asked in the questionnaire even where no catalog entry requires it
    defaut: bool | str | None = None  # what an unanswered fact is taken to be (None: unknown)
    extension: bool = False
    territoire: str | None = None  # the extension folder that declares it (its territory.yaml's id)

    @property
    def variable(self) -> str | None:
        """The OpenFisca input variable this fact feeds (None: the situation code builds it)."""
        return self.id if self.openfisca == "__id__" else self.openfisca

    @property
    def missing_message(self) -> str:
        return self.manquant or f"Il manque la réponse à la question : « {self.question_for()} »"

    @property
    def champ(self) -> str:
        return self.formulaire or self.id

    @property
    def enumerable(self) -> bool:
        return self.type in ("bool", "choix", "taux")

    def text(self, value: ByRole | None, role: str = "demandeur") -> str | None:
        if isinstance(value, dict):
            return value.get(role) or next(iter(value.values()), None)
        return value

    def question_for(self, role: str = "demandeur") -> str:
        return self.text(self.question, role) or ""

    def answers(self) -> list[Any]:
        """The possible answers, as the household model holds them."""
        if self.type == "bool":
            return [False, True]
        if self.type == "taux":
            return [float(v.valeur) for v in self.valeurs]
        return [v.valeur for v in self.valeurs]

    def at_age(self, age: int | None) -> bool:
        return self.age is None or age is None or self.age[0] <= age <= self.age[1]

    def concerns(self, role: str, age: int | None = None) -> bool:
        """Whether a rule can need this fact of a person of this role and age."""
        return role in (self.manquant_roles or self.roles) and self.at_age(age)

    def applies_given(self, answers: dict[str, Any]) -> bool:
        """Whether the other answers (`si`) make this fact relevant; an unanswered condition: unknown."""
        for other, values in self.si.items():
            value = answers.get(other)
            if value is None:
                return False
            value = getattr(value, "value", value)
            if value not in values:
                return False
        return True


class Prestation(BaseModel):
    """A benefit a person may declare already receiving: its label, and how a sentence names it."""

    model_config = ConfigDict(extra="forbid")

    libelle: str
    nom: str  # "les allocations familiales"
    feminin: bool = False
    pluriel: bool = False


class Registry(BaseModel):
    faits: list[Fact] = Field(default_factory=list)
    ressources: dict[str, str] = Field(default_factory=dict)
    prestations: dict[str, Prestation] = Field(default_factory=dict)


def load_registry(path: Path, extension: bool = False) -> Registry:
    if not path.exists():
        return Registry()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        registry = Registry(**data)
    except Exception as error:  # a broken registry must stop start-up with its file named
        raise ValueError(f"Registre des faits invalide : {path}: {error}") from error
    for fact in registry.faits:
        fact.extension = extension
    return registry


@cache
def core_registry() -> Registry:
    return load_registry(CORE_FILE)


def core_facts() -> dict[str, Fact]:
    return {fact.id: fact for fact in core_registry().faits}


@cache
def extension_facts() -> dict[str, Fact]:
    """The facts the extensions under `extensions/` add (the household model takes them as extra keys)."""
    facts: dict[str, Fact] = {}
    for directory in extensions_dirs():
        for fact in load_registry(directory / "facts.yaml", extension=True).faits:
            fact.territoire = directory.name
            if fact.id in core_facts() or fact.id in facts:
                raise ValueError(f"Fait déclaré deux fois : {fact.id} ({directory})")
            facts[fact.id] = fact
    return facts


def all_facts() -> dict[str, Fact]:
    return {**core_facts(), **extension_facts()}


def fact(fact_id: str) -> Fact | None:
    return all_facts().get(fact_id)
