"""Form answers as the browser sends them: flat `dict[str, str]` keys, French numbers, yes / no, the people
of the household, and one fact's answer read from (or written to) its field.

The keys: `d.age` for the demandeur, `c.age` for the conjoint, `e1.naissance_mois` / `e1.naissance_annee`
for the first child's month and year of birth (never the day: the rules turn on months), `d.<field>` for
each fact of the registry (`simulator/facts.yaml`; the field is the fact's `formulaire` name, e.g.
`d.taux`), `l.loyer` for the housing, `x.<id>` for the facts declared by extensions, `d.revenus` for the
comma-joined list of the kinds of income a person ticked and `d.salaire_net` for each amount,
`d.prestations` / `c.prestations` for the comma-joined benefits already received and `d.p.<id>` for their
amounts. Both forms (the guided questionnaire and the caseworker's one page) use these keys, and the
answers a fact offers (and their labels) come from the registry, here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simulator.dates import age_on, current_month
from simulator.household import LOCATAIRES
from simulator.registry import Fact, core_facts, extension_facts
from simulator.territory import (
    Commune,
    applies_to,
    communes_du_code_postal,
    depcom_from_code_postal,
    is_known_depcom,
    normalize_code,
)

MAX_ENFANTS = 12
# Benefits the law pays to one person; the others are paid to the family (declared on the demandeur).
PRESTATIONS_INDIVIDUELLES = ("aah", "asi", "ass")
OUI, NON = "oui", "non"
YES_NO = {OUI: "Oui", NON: "Non"}  # the labels of a yes / no answer, in both forms
GLOBAL = "_global"
BIRTH_MONTH, BIRTH_YEAR = "naissance_mois", "naissance_annee"


@dataclass
class FormErrors(Exception):
    """Messages in French, keyed by form field name, in the order of the form."""

    errors: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)


@dataclass(frozen=True)
class Person:
    prefix: str   # d, c, e1, e2...
    role: str     # demandeur, conjoint, enfant
    id: str       # the Household id
    index: int = 0  # child number (1-based) for children


def split_list(value: str | None) -> list[str]:
    return [item for item in (value or "").split(",") if item]


def nb_enfants(state: dict[str, str]) -> int:
    try:
        return max(0, min(MAX_ENFANTS, int(state.get("nb_enfants", "0") or 0)))
    except ValueError:
        return 0


def people(state: dict[str, str]) -> list[Person]:
    result = [Person("d", "demandeur", "demandeur")]
    if state.get("couple") == OUI:
        result.append(Person("c", "conjoint", "conjoint"))
    result += [Person(f"e{i}", "enfant", f"enfant_{i}", i) for i in range(1, nb_enfants(state) + 1)]
    return result


def parse_montant(text: str) -> float:
    """French amounts: "1 250,50", "1250.5", "1.250,50 €". Raises ValueError."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text).replace("EUR", "").replace("eur", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # "1.250": thousands separator
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return float(cleaned)


def format_montant_input(value: float) -> str:
    """The way an amount is written back into a field: "1250,5" -> "1250,50"."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".replace(".", ",")


def parse_entier(text: str) -> int:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).removesuffix("ans")
    if not re.fullmatch(r"\d{1,3}", cleaned):
        raise ValueError(text)
    return int(cleaned)


def parse_entier_long(text: str) -> int:
    """A year: four ASCII digits."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not re.fullmatch(r"[0-9]{4}", cleaned):
        raise ValueError(text)
    return int(cleaned)


def commune_fields(code: str) -> dict[str, str]:
    """The answer to "code postal": a known postcode (the model converts it, or lists its communes if it has
    several), else an INSEE commune code; digits that are neither are a wrong postcode."""
    code = normalize_code(code)
    if communes_du_code_postal(code) or (code.isascii() and code.isdigit() and not is_known_depcom(code)):
        return {"code_postal": code}
    return {"depcom": code}


def depcom_of(state: dict[str, str]) -> str | None:
    code = normalize_code(state.get("l.commune") or "")
    if not code:
        return None
    chosen = state.get("l.depcom")
    if chosen and chosen in {c.depcom for c in communes_du_code_postal(code)}:
        return chosen
    return depcom_from_code_postal(code) or code


COMMUNE_CHOICE = "l.depcom"
COMMUNE_CHOICE_MISSING = "Ce code postal est celui de plusieurs communes : choisissez la vôtre dans la liste."


def shared_postcode_communes(state: dict[str, str]) -> list[Commune]:
    """The communes to choose from when the postcode typed serves several ([] otherwise)."""
    communes = communes_du_code_postal(normalize_code(state.get("l.commune") or ""))
    return communes if len(communes) > 1 else []


def applicable_questions(depcom: str | None) -> list[Fact]:
    """Extension facts for this commune (none until the commune is known, if they are local)."""
    return [q for q in extension_facts().values() if applies_to(q.territoires, depcom)]


def who_answers(question: Fact, state: dict[str, str]) -> list[Person | None]:
    """Who answers an extension's question: None for a question on the home, else each person of the
    household whose role the fact lists (the partner only in a couple)."""
    if question.entite == "logement":
        return [None]
    return [person for person in people(state) if person.role in question.roles]


def field_name(prefix: str, f: Fact) -> str:
    """The form field of a fact: `d.handicap`, `e1.scolarite`, `l.statut`; an extension's fact is `x.parisien`
    for the home or the person who applies, `x.c.paris_titre_handicap` for the partner."""
    if f.extension:
        return f"x.{f.id}" if f.entite == "logement" or prefix == "d" else f"x.{prefix}.{f.id}"
    return f"{'l' if f.entite == 'logement' else prefix}.{f.champ}"


def person_facts(role: str) -> list[Fact]:
    """The registry's core facts a person of this role answers in the forms, in the registry's order."""
    return [f for f in core_facts().values() if f.entite == "individu" and role in f.roles]


def housing_facts() -> list[Fact]:
    return [f for f in core_facts().values() if f.entite == "logement"]



def read_answer(f: Fact, raw: str) -> Any:
    """A form value as the household model holds it; ValueError when it is not one of the fact's answers."""
    if f.type == "bool":
        if raw not in (OUI, NON):
            raise ValueError(raw)
        return raw == OUI
    if f.type == "taux":
        if raw not in [v.valeur for v in f.valeurs]:
            raise ValueError(raw)
        return float(raw)
    if f.type == "montant":
        return parse_montant(raw)
    if f.type == "entier":
        value = parse_montant(raw)
        return int(value) if value == int(value) else value
    return raw


def write_answer(f: Fact, value: Any) -> str:
    """The form value of an answer (a taux d'incapacité is rounded down to the forms' bands)."""
    if f.type == "bool":
        return OUI if value else NON
    if f.type == "taux":
        bands = [v.valeur for v in f.valeurs if float(v.valeur) <= value + 1e-9]
        return bands[-1] if bands else f.valeurs[0].valeur
    if f.type == "montant":
        return format_montant_input(value)
    return str(getattr(value, "value", value))


def choices(f: Fact, short: bool = False) -> list[tuple[str, str, str | None]]:
    """A fact's answers as (form value, label, hint): yes / no, or the registry's values (`court` labels for
    the caseworker's selects, the full `libelle` and `aide` for the questionnaire's radios)."""
    if f.type == "bool":
        return [(value, label, None) for value, label in YES_NO.items()]
    return [(v.valeur, v.court if short else v.libelle, None if short else v.aide) for v in f.valeurs]


def simulated_month(state: dict[str, str]) -> tuple[int, int]:
    text = state.get("mois") or current_month()
    try:
        return int(text[:4]), int(text[5:7])
    except ValueError:
        year, month = current_month().split("-")
        return int(year), int(month)


def birth_of(state: dict[str, str], prefix: str) -> date | None:
    """A child's month and year of birth, as the first day of that month; ValueError when unreadable."""
    raw_month = (state.get(f"{prefix}.{BIRTH_MONTH}") or "").strip()
    raw_year = (state.get(f"{prefix}.{BIRTH_YEAR}") or "").strip()
    if not raw_month and not raw_year:
        return None
    month = parse_entier(raw_month) if raw_month else 0
    year = parse_entier_long(raw_year) if raw_year else 0
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise ValueError(f"{raw_month}/{raw_year}")
    return date(year, month, 1)


def age_in_state(state: dict[str, str], prefix: str) -> int | None:
    """A person's age on the simulated month: typed for an adult, from the month of birth for a child."""
    if prefix.startswith("e"):
        try:
            born = birth_of(state, prefix)
        except ValueError:
            return None
        if born is None:
            return None
        year, month = simulated_month(state)
        return max(0, age_on(born, date(year, month, 1)))
    try:
        return parse_entier(state.get(f"{prefix}.age", ""))
    except ValueError:
        return None


def is_locataire(state: dict[str, str]) -> bool:
    return state.get("l.statut") in {s.value for s in LOCATAIRES}

