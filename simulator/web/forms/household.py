"""Form answers <-> `Household`: the one place where web form fields meet the household model.

The guided questionnaire and the caseworker's one-page form build a `Household` with
`state_to_household`, and refill a form from a household with `household_to_state` (the keys are those of
`forms.answers`). Once the benefits question is answered, every benefit not ticked is sent as 0 ("not
received yet"), which the results treat as the API does. Validation stays in `Household`: its French
messages (the API's wording) are mapped back to the field that caused them.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from simulator.api.errors import french_message
from simulator.household import PRESTATIONS_DECLARABLES, RESSOURCES, Household
from simulator.registry import Fact, core_facts, extension_facts
from simulator.situation import birth_date
from simulator.territory import code_postal_of, normalize_code
from simulator.web.forms.answers import (
    BIRTH_MONTH,
    BIRTH_YEAR,
    COMMUNE_CHOICE,
    COMMUNE_CHOICE_MISSING,
    GLOBAL,
    NON,
    OUI,
    PRESTATIONS_INDIVIDUELLES,
    FormErrors,
    Person,
    applicable_questions,
    birth_of,
    commune_fields,
    depcom_of,
    field_name,
    format_montant_input,
    housing_facts,
    parse_entier,
    parse_montant,
    people,
    person_facts,
    read_answer,
    shared_postcode_communes,
    split_list,
    who_answers,
    write_answer,
)


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
        for person in who_answers(question, state):
            target = logement if person is None else individus[persons.index(person)]
            name = field_name(person.prefix if person else "l", question)
            raw = (state.get(name) or "").strip()
            if not raw:
                continue
            value = _read(question, raw, name, errors)
            if value is not None:
                target[question.id] = value
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
                state[field_name(p, extension_facts()[key])] = write_answer(extension_facts()[key], value)
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
            state[field_name("l", extension_facts()[key])] = write_answer(extension_facts()[key], value)
    return state

