"""Form answers <-> `Household`: the one place where web form fields meet the household model.

The answers of a person are a flat `dict[str, str]` (what the browser sends): `d.age` for the
demandeur, `c.age` for the conjoint, `e1.age` for the first child, `l.loyer` for the housing,
`x.<variable>` for the questions declared by extensions, `d.revenus` for the comma-joined list of the
kinds of income a person ticked and `d.salaire_net` for each amount, `d.prestations` / `c.prestations`
for the comma-joined benefits already received and `d.p.<id>` for their amounts (once the benefits
question is answered, every benefit not ticked is sent as 0: "not received"). The guided questionnaire
and any other form (a one-page caseworker form) build a `Household` with `state_to_household`, and
refill a form from a household with `household_to_state`. Validation stays in `Household`: its French
messages are mapped back to the field that caused them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from simulator.household import (
    LOCATAIRES,
    PRESTATIONS_DECLARABLES,
    RESSOURCES,
    Household,
    StatutOccupationLogement,
)
from simulator.questions import Question, extension_questions
from simulator.territory import (
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
    return depcom_from_code_postal(code) or code


def applicable_questions(depcom: str | None) -> list[Question]:
    """Extension questions for this commune (none until the commune is known, if they are local)."""
    return [q for q in extension_questions().values() if applies_to(q.territoires, depcom)]


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
    raw_age = (state.get(f"{p}.age") or "").strip()
    if raw_age:
        try:
            data["age"] = parse_entier(raw_age)
        except ValueError:
            errors.add(f"{p}.age", "Indiquez l'âge en années, avec des chiffres, par exemple 34.")
    for key in ("activite", "scolarite", "statut_marital"):
        value = state.get(f"{p}.{key}")
        if value:
            data[key] = value
    for key in ("handicap", "garde_alternee"):
        value = state.get(f"{p}.{key}")
        if value in (OUI, NON):
            data[key] = value == OUI
    if data.get("handicap"):
        taux = state.get(f"{p}.taux")
        if taux:
            try:
                data["taux_incapacite"] = float(taux)
            except ValueError:
                errors.add(f"{p}.taux", "Choisissez un taux d'incapacité dans la liste.")
    else:
        data.pop("taux_incapacite", None)
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
                data[key] = 0.0  # said not received: the rules must not count it as a resource
    return data


def _logement(state: dict[str, str], errors: FormErrors) -> dict[str, Any]:
    data: dict[str, Any] = {}
    statut = state.get("l.statut")
    if statut:
        data["statut_occupation_logement"] = statut
    if statut in {s.value for s in LOCATAIRES}:
        for key, name in (("loyer", "l.loyer"), ("charges_locatives", "l.charges")):
            raw = (state.get(name) or "").strip()
            if raw:
                try:
                    data[key] = parse_montant(raw)
                except ValueError:
                    errors.add(name, "Indiquez un montant en euros, avec des chiffres, par exemple 650 ou 650,50.")
    commune = (state.get("l.commune") or "").strip()
    if commune:
        data.update(commune_fields(commune))
    return data


def _extension_answer(question: Question, raw: str, name: str, errors: FormErrors) -> Any:
    if question.type == "bool":
        return raw == OUI if raw in (OUI, NON) else None
    try:
        value = parse_montant(raw)
    except ValueError:
        errors.add(name, "Indiquez un nombre, avec des chiffres.")
        return None
    return int(value) if question.type == "entier" and value == int(value) else value


def state_to_data(state: dict[str, str]) -> tuple[dict[str, Any], FormErrors, list[Person]]:
    """The Household JSON these answers make, and the input errors found on the way."""
    errors = FormErrors()
    persons = people(state)
    individus = [_individu(state, person, errors) for person in persons]
    logement = _logement(state, errors)
    for question in applicable_questions(depcom_of(state)):
        name = f"x.{question.variable}"
        raw = (state.get(name) or "").strip()
        if not raw:
            continue
        value = _extension_answer(question, raw, name, errors)
        if value is None:
            continue
        if question.entite == "logement":
            logement[question.variable] = value
        else:
            individus[0][question.variable] = value
    data: dict[str, Any] = {"individus": individus, "logement": logement}
    if state.get("mois"):
        data["mois"] = state["mois"]
    return data, errors, persons


# pydantic location -> form field
_INDIVIDU_FIELDS = {"taux_incapacite": "taux"}
_LOGEMENT_FIELDS = {"loyer": "l.loyer", "charges_locatives": "l.charges", "code_postal": "l.commune",
                    "depcom": "l.commune", "statut_occupation_logement": "l.statut"}


def field_for_location(loc: tuple, persons: list[Person]) -> str:
    parts = [part for part in loc if part != "body"]
    if parts[:1] == ["individus"] and len(parts) >= 2 and isinstance(parts[1], int) and parts[1] < len(persons):
        person = persons[parts[1]]
        if len(parts) == 2:
            return f"{person.prefix}.age"  # the only model-level check on a person: age missing
        key = str(parts[2])
        if key in PRESTATIONS_DECLARABLES:
            return f"{person.prefix}.p.{key}"
        if key in extension_questions():
            return f"x.{key}"
        return f"{person.prefix}.{_INDIVIDU_FIELDS.get(key, key)}"
    if parts[:1] == ["logement"]:
        if len(parts) == 1:
            return "l.commune"
        key = str(parts[1])
        if key in extension_questions():
            return f"x.{key}"
        return _LOGEMENT_FIELDS.get(key, f"l.{key}")
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
        state[f"{p}.age"] = str(household.age_of(individu))
        for key in ("activite", "scolarite", "statut_marital"):
            value = getattr(individu, key)
            if value is not None:
                state[f"{p}.{key}"] = value.value
        for key in ("handicap", "garde_alternee"):
            value = getattr(individu, key)
            if value is not None:
                state[f"{p}.{key}"] = OUI if value else NON
        if individu.taux_incapacite is not None:
            taux = individu.taux_incapacite
            state[f"{p}.taux"] = "0.8" if taux >= 0.8 else "0.5" if taux >= 0.5 else "0.4"
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
            if value is not None:
                state[f"x.{key}"] = (OUI if value else NON) if isinstance(value, bool) else str(value)
    logement = household.logement
    if logement.statut_occupation_logement is not None:
        state["l.statut"] = logement.statut_occupation_logement.value
    if logement.loyer is not None:
        state["l.loyer"] = format_montant_input(logement.loyer)
    if logement.charges_locatives is not None:
        state["l.charges"] = format_montant_input(logement.charges_locatives)
    if logement.depcom:
        depcom = logement.depcom
        state["l.commune"] = f"750{depcom[3:]}" if depcom.startswith("751") and depcom != "75116" else depcom
    for key, value in (logement.model_extra or {}).items():
        if value is not None:
            state[f"x.{key}"] = (OUI if value else NON) if isinstance(value, bool) else str(value)
    return state


def is_locataire(state: dict[str, str]) -> bool:
    return state.get("l.statut") in {s.value for s in LOCATAIRES}


def paye_un_pret(state: dict[str, str]) -> bool:
    return state.get("l.statut") == StatutOccupationLogement.primo_accedant.value
