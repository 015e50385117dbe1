"""Form answers <-> `Household`: the one place where web form fields meet the household model.

The answers of a person are a flat `dict[str, str]` (what the browser sends): `d.age` for the
demandeur, `c.age` for the conjoint, `e1.naissance_mois` / `e1.naissance_annee` for the first child's
month and year of birth (never the day: the rules turn on months), `d.<field>` for each fact of the
registry (`simulator/facts.yaml`; the field is the fact's `formulaire` name, e.g. `d.taux`), `l.loyer`
for the housing, `x.<id>` for the facts declared by extensions, `d.revenus` for the comma-joined list of the
kinds of income a person ticked and `d.salaire_net` for each amount, `d.prestations` / `c.prestations`
for the comma-joined benefits already received and `d.p.<id>` for their amounts (once the benefits
question is answered, every benefit not ticked is sent as 0: "not received yet", which the results
treat as the API does). The guided questionnaire
and any other form (a one-page caseworker form) build a `Household` with `state_to_household`, and
refill a form from a household with `household_to_state`. Validation stays in `Household`: its French
messages are mapped back to the field that caused them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from simulator.household import (
    LOCATAIRES,
    PRESTATIONS_DECLARABLES,
    RESSOURCES,
    Household,
    StatutOccupationLogement,
    age_on,
    current_month,
)
from simulator.registry import Fact, core_facts, extension_facts
from simulator.situation import birth_date
from simulator.territory import (
    Commune,
    applies_to,
    code_postal_of,
    communes_du_code_postal,
    depcom_from_code_postal,
    is_known_depcom,
    normalize_code,
)

MAX_ENFANTS = 12
# Benefits the law pays to one person; the others are paid to the family (declared on the demandeur).
PRESTATIONS_INDIVIDUELLES = ("aah", "asi", "ass")
OUI, NON = "oui", "non"
GLOBAL = "_global"


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


def field_name(prefix: str, f: Fact) -> str:
    """The form field of a fact: `d.handicap`, `e1.scolarite`, `l.statut`, `x.parisien`."""
    if f.extension:
        return f"x.{f.id}"
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


BIRTH_MONTH, BIRTH_YEAR = "naissance_mois", "naissance_annee"


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


def _amount(state: dict[str, str], name: str, errors: FormErrors, message: str) -> float | None:
    raw = (state.get(name) or "").strip()
    if not raw:
        errors.add(name, message)
        return None
    try:
        return parse_montant(raw)
    except ValueError:
        errors.add(name, "Indiquez un montant en euros, avec des chiffres, par exemple 1 250,50.")
        return None


def _individu(state: dict[str, str], person: Person, errors: FormErrors) -> dict[str, Any]:
    p = person.prefix
    data: dict[str, Any] = {"id": person.id, "role": person.role}
    if person.role == "enfant":
        try:
            born = birth_of(state, p)
        except ValueError:
            errors.add(f"{p}.{BIRTH_MONTH}", "Indiquez le mois (de 1 à 12) et l'année (4 chiffres) de naissance, "
                                             "par exemple 3 et 2019.")
        else:
            if born is not None:
                data["date_naissance"] = born.isoformat()
    else:
        raw_age = (state.get(f"{p}.age") or "").strip()
        if raw_age:
            try:
                data["age"] = parse_entier(raw_age)
            except ValueError:
                errors.add(f"{p}.age", "Indiquez l'âge en années, avec des chiffres, par exemple 34.")
    for f in person_facts(person.role):
        raw = (state.get(field_name(p, f)) or "").strip()
        if not raw or not f.applies_given(data):  # an answer to a question that no longer applies is dropped
            continue
        value = _read(f, raw, field_name(p, f), errors)
        if value is not None:
            data[f.id] = value
    if person.role == "enfant":
        return data
    for kind in split_list(state.get(f"{p}.revenus")):
        if kind in RESSOURCES:
            amount = _amount(state, f"{p}.{kind}", errors,
                             f"Indiquez le montant par mois de : {RESSOURCES[kind].lower()}, ou décochez la case.")
            if amount is not None:
                data[kind] = amount
    if f"{p}.prestations" in state or "d.prestations" in state:  # the benefits page was answered
        received = split_list(state.get(f"{p}.prestations"))
        keys = PRESTATIONS_INDIVIDUELLES if person.role == "conjoint" else PRESTATIONS_DECLARABLES
        for key in keys:
            if key in received:
                amount = _amount(state, f"{p}.p.{key}", errors,
                                 f"Indiquez le montant par mois de : {PRESTATIONS_DECLARABLES[key]}, "
                                 "ou décochez la case.")
                if amount is not None:
                    data[key] = amount
            else:
                data[key] = 0.0  # not received yet: the results still assume it claimed (and say the first months)
    return data


def _logement(state: dict[str, str], errors: FormErrors) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in housing_facts():
        name = field_name("l", f)
        raw = (state.get(name) or "").strip()
        if not raw or not f.applies_given(data):
            continue
        if f.type == "commune":
            communes = shared_postcode_communes(state)
            chosen = state.get(COMMUNE_CHOICE, "")
            if communes and chosen not in {c.depcom for c in communes}:
                errors.add(COMMUNE_CHOICE, COMMUNE_CHOICE_MISSING)
            elif communes:
                data.update(code_postal=normalize_code(raw), depcom=chosen)
            else:
                data.update(commune_fields(raw))
            continue
        value = _read(f, raw, name, errors)
        if value is not None:
            data[f.id] = value
    return data


UNREADABLE = {
    "montant": "Indiquez un montant en euros, avec des chiffres, par exemple 650 ou 650,50.",
    "entier": "Indiquez un nombre, avec des chiffres.",
}


def _read(f: Fact, raw: str, name: str, errors: FormErrors) -> Any:
    """The answer in a form field, or None with the French message when it cannot be read."""
    try:
        return read_answer(f, raw)
    except ValueError:
        errors.add(name, UNREADABLE.get(f.type, "Choisissez une réponse dans la liste."))
        return None


def state_to_data(state: dict[str, str]) -> tuple[dict[str, Any], FormErrors, list[Person]]:
    """The Household JSON these answers make, and the input errors found on the way."""
    errors = FormErrors()
    persons = people(state)
    individus = [_individu(state, person, errors) for person in persons]
    logement = _logement(state, errors)
    for question in applicable_questions(depcom_of(state)):
        name = field_name("d", question)
        raw = (state.get(name) or "").strip()
        if not raw:
            continue
        value = _read(question, raw, name, errors)
        if value is None:
            continue
        if question.entite == "logement":
            logement[question.id] = value
        else:
            individus[0][question.id] = value
    data: dict[str, Any] = {"individus": individus, "logement": logement}
    if state.get("mois"):
        data["mois"] = state["mois"]
    return data, errors, persons


def field_for_location(loc: tuple, persons: list[Person]) -> str:
    """The form field a validation error of the household model is about (pydantic location)."""
    parts = [part for part in loc if part != "body"]
    facts = {**core_facts(), **extension_facts()}
    if parts[:1] == ["individus"] and len(parts) >= 2 and isinstance(parts[1], int) and parts[1] < len(persons):
        person = persons[parts[1]]
        age_field = f"{person.prefix}.{BIRTH_MONTH}" if person.role == "enfant" else f"{person.prefix}.age"
        if len(parts) == 2:
            return age_field  # the only model-level check on a person: age missing
        key = str(parts[2])
        if key in ("age", "date_naissance"):
            return age_field
        if key in PRESTATIONS_DECLARABLES:
            return f"{person.prefix}.p.{key}"
        if key in facts:
            return field_name(person.prefix, facts[key])
        return f"{person.prefix}.{key}"
    if parts[:1] == ["logement"]:
        if len(parts) == 1 or parts[1] == "code_postal":
            return "l.commune"
        key = str(parts[1])
        return field_name("l", facts[key]) if key in facts else f"l.{key}"
    return GLOBAL


def french_message(error: dict) -> str:
    from simulator.api.errors import french_message as api_message  # same wording as the API

    return api_message(error)


def state_to_household(state: dict[str, str]) -> Household:
    """Raises FormErrors (messages keyed by field) when the answers do not make a valid household."""
    data, errors, persons = state_to_data(state)
    try:
        household = Household.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            errors.add(field_for_location(tuple(item.get("loc", ())), persons), french_message(item))
        raise errors from None
    if errors.errors:
        raise errors
    return household


def household_to_state(household: Household) -> dict[str, str]:
    """The answers that rebuild this household (taux d'incapacité rounded to the form's bands)."""
    state: dict[str, str] = {"mois": household.mois}
    conjoint = household.conjoint
    state["couple"] = OUI if conjoint is not None else NON
    state["nb_enfants"] = str(len(household.enfants))
    order = [household.demandeur] + ([conjoint] if conjoint else []) + household.enfants
    prefixes = ["d"] + (["c"] if conjoint else []) + [f"e{i}" for i in range(1, len(household.enfants) + 1)]
    for individu, p in zip(order, prefixes, strict=True):
        if p.startswith("e"):
            born = birth_date(household, individu)
            state[f"{p}.{BIRTH_MONTH}"], state[f"{p}.{BIRTH_YEAR}"] = str(born.month), str(born.year)
        else:
            state[f"{p}.age"] = str(household.age_of(individu))
        for f in person_facts(individu.role.value):
            value = getattr(individu, f.id, None)
            if value is not None:
                state[field_name(p, f)] = write_answer(f, value)
        if p.startswith("e"):
            continue
        kinds = [k for k, v in individu.ressources().items() if v]
        state[f"{p}.revenus"] = ",".join(kinds)
        for kind in kinds:
            state[f"{p}.{kind}"] = format_montant_input(getattr(individu, kind))
        declared = individu.prestations_declarees()
        if declared:
            received = [k for k, v in declared.items() if v]
            state[f"{p}.prestations"] = ",".join(received)
            for key in received:
                state[f"{p}.p.{key}"] = format_montant_input(declared[key])
        for key, value in (individu.model_extra or {}).items():
            if value is not None and key in extension_facts():
                state[f"x.{key}"] = write_answer(extension_facts()[key], value)
    logement = household.logement
    for f in housing_facts():
        value = getattr(logement, f.id, None)
        if value is None or f.type == "commune":
            continue
        state[field_name("l", f)] = write_answer(f, value)
    if logement.depcom or logement.code_postal:
        state["l.commune"] = logement.code_postal or code_postal_of(logement.depcom or "") or logement.depcom or ""
        if logement.depcom and shared_postcode_communes(state):
            state[COMMUNE_CHOICE] = logement.depcom
    for key, value in (logement.model_extra or {}).items():
        if value is not None and key in extension_facts():
            state[f"x.{key}"] = write_answer(extension_facts()[key], value)
    return state


def is_locataire(state: dict[str, str]) -> bool:
    return state.get("l.statut") in {s.value for s in LOCATAIRES}


def paye_un_pret(state: dict[str, str]) -> bool:
    return state.get("l.statut") == StatutOccupationLogement.primo_accedant.value
