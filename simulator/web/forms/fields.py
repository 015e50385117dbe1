"""The guided questionnaire's fields, made from the facts registry (`simulator/facts.yaml`).

A `Field` is declared once (question, hint, answers, messages, the fact it answers); `bind` gives it, for
one person, its value, its error and its options (with the fields revealed under an option), ready for
`templates/macros.html`. A field is shown only when its fact is needed (`Context.needed`: some catalog
entry that applies to the household's commune requires it), or when it describes the household itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.registry import Fact, core_facts
from simulator.web.forms.answers import (
    BIRTH_MONTH,
    BIRTH_YEAR,
    COMMUNE_CHOICE,
    COMMUNE_CHOICE_MISSING,
    OUI,
    YES_NO,
    Person,
    age_in_state,
    choices,
    person_facts,
    shared_postcode_communes,
    split_list,
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None
    reveal: tuple[Field, ...] = ()  # fields shown under this option (conditional reveal)


@dataclass(frozen=True)
class Field:
    name: str                      # state key; "{p}" is replaced by the person's prefix
    kind: Literal["entier", "montant", "radio", "checkboxes", "texte", "mois_annee"]
    label: str | dict[str, str]    # by role (demandeur / conjoint / enfant) when it differs
    hint: str | dict[str, str] | None = None
    options: tuple[Option, ...] = ()
    fact: str | None = None        # catalog fact; None: read by every rule (household composition)
    required: str | dict[str, str] | None = None  # error message when left empty
    suffix: str | None = None
    width: int = 10                # characters, for text inputs
    autocomplete: str | None = None
    recap_label: str | dict[str, str] | None = None
    ages: tuple[int, int] | None = None  # the ages at which `required` applies (a child's school: 10 to 19)


def by_role(value: str | dict[str, str] | None, role: str) -> str | None:
    return value.get(role) if isinstance(value, dict) else value


OUI_NON = tuple(Option(value, label) for value, label in YES_NO.items())
JE_NE_SAIS_PAS = Option("", "Je ne sais pas")


def _dependents(f: Fact, value: str | bool) -> list[Fact]:
    """The registry's facts of the same person asked only under this answer (shown under the option)."""
    return [g for g in core_facts().values()
            if g.entite == f.entite and list(g.si) == [f.id] and g.si[f.id] == [value]]


def fact_field(fact_id: str, **overrides: Any) -> Field:
    """A questionnaire field made from the registry's entry: question, hint, answers, messages."""
    f = core_facts()[fact_id]

    def option(value: str, label: str, hint: str | None) -> Option:
        answer: str | bool = value == OUI if f.type == "bool" else value
        return Option(value, label, hint, reveal=tuple(fact_field(g.id) for g in _dependents(f, answer)))

    options = tuple(option(*choice) for choice in choices(f))
    if f.type == "taux":
        options += (JE_NE_SAIS_PAS,)
    values: dict[str, Any] = dict(
        name=f"{{p}}.{f.champ}" if f.entite == "individu" else f"l.{f.champ}",
        kind="radio" if f.enumerable else "montant" if f.type == "montant" else "texte",
        label=f.question, hint=f.aide, options=options, fact=None if f.toujours else f.id, required=f.requis,
        recap_label=f.libelle, ages=f.age,
    )
    return Field(**{**values, **overrides})


def person_fields(role: str) -> tuple[Field, ...]:
    """A person's page: the registry's facts of their role, in its order (a dependent one under its answer)."""
    return tuple(fact_field(f.id) for f in person_facts(role)
                 if f.formulaires and not any(other in core_facts() for other in f.si))


AGE = Field(
    "{p}.age", "entier",
    {"demandeur": "Quel âge avez-vous ?", "conjoint": "Quel âge a votre conjoint ?",
     "enfant": "Quel âge a cet enfant ?"},
    hint="En années.", suffix="ans", width=3,
    required={"demandeur": "Indiquez votre âge.", "conjoint": "Indiquez l'âge de votre conjoint.",
              "enfant": "Indiquez l'âge de l'enfant."},
    recap_label="Âge",
)

NAISSANCE = Field(
    f"{{p}}.{BIRTH_MONTH}", "mois_annee", "Quand cet enfant est-il né ?",
    hint="Le mois et l'année, par exemple 3 et 2019 pour mars 2019.",
    required="Indiquez le mois et l'année de naissance de l'enfant.", recap_label="Né en",
)


@dataclass
class Context:
    """What the pages and fields depend on: the answers so far and the facts the rules need."""

    state: dict[str, str]
    needed: set[str]
    catalog_ids: set[str]

    def age(self, prefix: str) -> int | None:
        return age_in_state(self.state, prefix)



def field_needed(f: Field, ctx: Context) -> bool:
    return f.fact is None or f.fact in ctx.needed


@dataclass
class BoundField:
    """A field for one person, with its value and error, ready for the template."""

    field: Field
    name: str
    label: str
    hint: str | None
    value: str
    error: str | None = None
    options: list[BoundOption] = field(default_factory=list)
    second_value: str = ""  # the year of a month and year

    @property
    def id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("@", "-")

    @property
    def values(self) -> list[str]:
        return split_list(self.value)

    @property
    def names(self) -> list[str]:
        """The form inputs of this field: two for a month and year (`…naissance_mois`, `…naissance_annee`)."""
        if self.field.kind == "mois_annee":
            return [self.name, self.second_name]
        return [self.name]

    @property
    def second_name(self) -> str:
        return self.name.replace(BIRTH_MONTH, BIRTH_YEAR)

    @property
    def second_id(self) -> str:
        return "f-" + self.second_name.replace(".", "-")


@dataclass
class BoundOption:
    value: str
    label: str
    hint: str | None
    checked: bool
    reveal: list[BoundField] = field(default_factory=list)


def bind(f: Field, ctx: Context, person: Person | None, errors: dict[str, str]) -> BoundField:
    role = person.role if person else "demandeur"
    name = f.name.replace("{p}", person.prefix if person else "d")
    value = ctx.state.get(name, "")
    bound = BoundField(f, name, by_role(f.label, role) or "", by_role(f.hint, role), value, errors.get(name))
    if f.kind == "mois_annee":
        bound.second_value = ctx.state.get(bound.second_name, "")
    for option in f.options:
        reveal = [bind(r, ctx, person, errors) for r in option.reveal if field_needed(r, ctx)]
        checked = option.value in bound.values if f.kind == "checkboxes" else value == option.value
        if f.kind == "radio" and option.value == "" and name in ctx.state and value == "":
            checked = True
        bound.options.append(BoundOption(option.value, option.label, option.hint, checked, reveal))
    return bound


def commune_choice(state: dict[str, str]) -> list[Field]:
    """Which commune, when the postcode typed serves several (a radio list under the postcode)."""
    communes = shared_postcode_communes(state)
    if not communes:
        return []
    return [Field(COMMUNE_CHOICE, "radio", "Dans quelle commune habitez-vous ?",
                  hint=f"Le code postal {state.get('l.commune', '').strip()} est celui de plusieurs communes.",
                  options=tuple(Option(c.depcom, c.nom) for c in communes), fact="depcom",
                  required=COMMUNE_CHOICE_MISSING, recap_label="Commune")]


def amount_field(name: str, label: str, hint: str | None = None) -> Field:
    return Field(name, "montant", label, hint=hint, suffix="€ par mois", width=10)

