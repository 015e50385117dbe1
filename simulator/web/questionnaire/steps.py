"""The guided questionnaire's flow: the steps for these answers, the fields of a step, a submission read
into the answers, per-page validation, the answers that stay (`prune`) and the recap rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.amounts_text import euros
from simulator.catalog import Benefit
from simulator.french_dates import month_and_year
from simulator.household import PRESTATIONS_DECLARABLES, RESSOURCES
from simulator.web.forms.answers import (
    OUI,
    PRESTATIONS_INDIVIDUELLES,
    FormErrors,
    Person,
    applicable_questions,
    field_name,
    nb_enfants,
    parse_entier,
    parse_montant,
    people,
)
from simulator.web.forms.fields import (
    OUI_NON,
    BoundField,
    Context,
    Field,
    Option,
    amount_field,
    bind,
    by_role,
    commune_choice,
    field_needed,
)
from simulator.web.forms.household import state_to_data, state_to_household
from simulator.web.questionnaire.pages import (
    PAGES,
    SANS_EFFET,
    Step,
    context,
    extension_questions_asked,
    prestation_applies,
    ressource_applies,
)


def answers_without_effect(state: dict[str, str], catalog: Sequence[Benefit], engine: Any) -> str:
    """The extension questions that change no benefit of the household as answered so far, as the keys
    "fact:person id" (comma-joined): the engine computes it under each of their answers (`Engine.facts_that_matter`)."""
    unanswered = {k: v for k, v in state.items() if not k.startswith("x.") and k != SANS_EFFET}
    try:
        household = state_to_household(prune(unanswered, catalog))
    except FormErrors:
        return ""
    extension = {q.id for q in applicable_questions(household.logement.depcom)}
    matter = engine.facts_that_matter(household)
    return ",".join(sorted(key for key, benefits in matter.items()
                           if not benefits and key.split(":")[0] in extension))


def step_fields(step: Step, ctx: Context, errors: dict[str, str] | None = None) -> list[BoundField]:
    """The fields shown on this step (nested revealed fields hang under their option)."""
    errors = errors or {}
    page, person = step.page, step.person
    if page.kind == "questions":
        fields = [f for f in page.fields if field_needed(f, ctx)]
        if page.id == "logement" and "depcom" in ctx.needed:
            fields += commune_choice(ctx.state)
        return [bind(f, ctx, person, errors) for f in fields]
    if page.kind == "extensions":
        result = []
        for question, asked in extension_questions_asked(ctx):
            name = field_name(asked.prefix if asked else "l", question)
            label = question.question_for(asked.role if asked else "demandeur")
            if question.type == "bool":
                f = Field(name, "radio", label, hint=question.aide, options=OUI_NON,
                          required=question.requis, recap_label=label)
            else:
                f = Field(name, "montant" if question.type == "montant" else "entier", label,
                          hint=question.text(question.aide), required=question.requis, width=10, recap_label=label)
            result.append(bind(f, ctx, None, errors))
        return result
    if page.kind == "revenus" and person is not None:
        p = person.prefix
        options = tuple(
            Option(kind, label, reveal=(amount_field(f"{p}.{kind}", f"{label} : montant net par mois",
                                                      "Ce que vous recevez sur votre compte, avant l'impôt à la "
                                                      "source. Par exemple 1 250,50." if kind == "salaire_net"
                                                      else None),))
            for kind, label in RESSOURCES.items() if ressource_applies(kind, ctx, p))
        label = ("Quels revenus recevez-vous en ce moment ?" if person.role == "demandeur"
                 else "Quels revenus votre conjoint reçoit-il en ce moment ?")
        f = Field(f"{p}.revenus", "checkboxes", label,
                  hint="Cochez tout ce qui est reçu chaque mois, puis indiquez le montant net. "
                       "Ne cochez rien s'il n'y a aucun revenu.", options=options, recap_label="Revenus")
        return [bind(f, ctx, person, errors)]
    if page.kind == "prestations":
        result = []
        adults = [p for p in people(ctx.state) if p.role != "enfant"]
        for adult in adults:
            keys = PRESTATIONS_INDIVIDUELLES if adult.role == "conjoint" else tuple(PRESTATIONS_DECLARABLES)
            options = tuple(
                Option(key, PRESTATIONS_DECLARABLES[key], reveal=(amount_field(
                    f"{adult.prefix}.p.{key}", f"{PRESTATIONS_DECLARABLES[key]} : montant par mois"),))
                for key in keys if prestation_applies(key, ctx, adult))
            if not options:
                continue
            if adult.role == "demandeur":
                label = ("Quelles aides votre foyer reçoit-il déjà ?" if ctx.state.get("couple") == OUI
                         else "Quelles aides recevez-vous déjà ?")
            else:
                label = "Quelles aides votre conjoint reçoit-il déjà à son nom ?"
            f = Field(f"{adult.prefix}.prestations", "checkboxes", label,
                      hint="Cochez les aides versées en ce moment et indiquez le montant du dernier mois. "
                           "Ne cochez rien si vous n'en recevez aucune.", options=options,
                      recap_label="Aides déjà reçues")
            result.append(bind(f, ctx, adult, errors))
        return result
    return []


def steps(state: dict[str, str], catalog: Sequence[Benefit]) -> list[Step]:
    """The pages of the flow for these answers, in order, up to the results."""
    ctx = context(state, catalog)
    result: list[Step] = []
    persons = people(state)
    for page in PAGES:
        instances: list[Person | None] = (
            [p for p in persons if p.role in page.roles] if page.roles else [None])
        for person in instances:
            if not page.applies(ctx, person):
                continue
            if page.facts and not any(fact in ctx.needed for fact in page.facts):
                continue
            step = Step(page, person)
            if page.kind not in ("recap", "resultats") and not step_fields(step, ctx):
                continue
            result.append(step)
    return result


def find_step(state: dict[str, str], catalog: Sequence[Benefit], key: str) -> Step | None:
    return next((s for s in steps(state, catalog) if s.key == key), None)


def _all_names(fields: list[BoundField]) -> list[str]:
    names = []
    for bound in fields:
        names += bound.names
        for option in bound.options:
            names += _all_names(option.reveal)
    return names


def step_names(step: Step, ctx: Context) -> list[str]:
    return _all_names(step_fields(step, ctx))


def apply_submission(step: Step, state: dict[str, str], form: dict[str, list[str]],
                     catalog: Sequence[Benefit]) -> dict[str, str]:
    """The answers after this page's submission: its fields replaced by what was sent.

    A field that this page shows only once another of its answers is known (which commune, for a postcode
    that serves several) is read in a second round, on the answers of the first.
    """
    new = _apply(step, state, state, form, catalog)
    return _apply(step, new, state, form, catalog) if commune_choice(new) else new


def _apply(step: Step, fields_of: dict[str, str], state: dict[str, str], form: dict[str, list[str]],
           catalog: Sequence[Benefit]) -> dict[str, str]:
    new = dict(state)
    ctx = context(fields_of, catalog)
    for bound in step_fields(step, ctx):
        names = _all_names([bound])
        for name in names:
            new.pop(name, None)
        if bound.field.kind == "checkboxes":
            new[bound.name] = ",".join(v for v in form.get(bound.name, []) if v)
        else:
            for name in bound.names:
                if name in form:
                    new[name] = (form[name][-1] or "").strip()
        for option in bound.options:
            for name in _all_names(option.reveal):
                if name in form:
                    new[name] = (form[name][-1] or "").strip()
    if step.page.id == "foyer" and "nb_enfants" in new:
        new["nb_enfants"] = new["nb_enfants"].strip()
    return new


def _required(bound: BoundField, role: str) -> str | None:
    return by_role(bound.field.required, role)


def validate_step(step: Step, state: dict[str, str], catalog: Sequence[Benefit]) -> dict[str, str]:
    """French messages, keyed by field, for what is missing or wrong on this page."""
    ctx = context(state, catalog)
    role = step.person.role if step.person else "demandeur"
    errors: dict[str, str] = {}
    fields = step_fields(step, ctx)
    names = set(_all_names(fields))
    _, input_errors, _ = state_to_data(state)
    for name, message in input_errors.errors.items():  # the most precise wording first
        if name in names:
            errors[name] = message

    def check(bound: BoundField) -> None:
        raw = state.get(bound.name, "")
        message = _required(bound, role)
        ages = bound.field.ages
        if ages and step.person is not None and not ages[0] <= (ctx.age(step.person.prefix) or 0) <= ages[1]:
            message = None
        if message and not any(state.get(name) for name in bound.names):
            errors[bound.name] = message
        if bound.field.kind == "entier" and raw:
            try:
                value = parse_entier(raw)
            except ValueError:
                errors.setdefault(bound.name, "Écrivez un nombre entier avec des chiffres, par exemple 2.")
            else:
                if bound.name == "nb_enfants" and value > 12:
                    errors[bound.name] = "Le simulateur compte au plus 12 enfants."
        if bound.field.kind in ("radio",) and raw and raw not in [o.value for o in bound.options]:
            errors[bound.name] = "Choisissez une réponse dans la liste."
        for option in bound.options:
            if option.checked:
                for child in option.reveal:
                    check(child)
    for bound in fields:
        check(bound)
    # What the household model itself refuses, for this page's fields.
    try:
        state_to_household(known_at(step, state, catalog))
    except FormErrors as error:
        for name, message in error.errors.items():
            if name in names:
                errors.setdefault(name, message)
    order = {name: index for index, name in enumerate(_all_names(fields))}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], 0)))


def known_at(step: Step, state: dict[str, str], catalog: Sequence[Benefit]) -> dict[str, str]:
    """The household as known on this page: the answers up to it, and only the children already asked
    about (a later child, without an age yet, would stop the household's checks across people, e.g. a
    child at least 12 years younger than its parents, from reaching this child's page)."""
    known = prune(state, catalog, upto=step.key)
    reached = 0
    for each in steps(state, catalog):
        if each.person is not None and each.person.role == "enfant":
            reached = each.person.index
        if each.key == step.key:
            break
    if nb_enfants(known) > reached:
        known["nb_enfants"] = str(reached)
    return known


def prune(state: dict[str, str], catalog: Sequence[Benefit], upto: str | None = None) -> dict[str, str]:
    """Only the answers to questions the flow asks now (stale answers to skipped pages are dropped)."""
    ctx = context(state, catalog)
    kept: dict[str, str] = {key: state[key] for key in ("mois",) if key in state}
    for step in steps(state, catalog):
        for name in step_names(step, ctx):
            if name in state:
                kept[name] = state[name]
        if step.key == upto:
            break
    return kept


def recap_rows(state: dict[str, str], catalog: Sequence[Benefit]) -> list[dict]:
    """For the check-your-answers page: per step, each question and its answer in words."""
    ctx = context(state, catalog)
    sections = []
    for step in steps(state, catalog):
        if step.page.kind in ("recap", "resultats"):
            continue
        rows = []
        role = step.person.role if step.person else "demandeur"
        for bound in step_fields(step, ctx):
            rows += _recap_field(bound, role)
        sections.append({"step": step, "rows": rows})
    return sections


def _recap_field(bound: BoundField, role: str) -> list[dict]:
    label = by_role(bound.field.recap_label, role) or bound.label
    if bound.field.kind == "checkboxes":
        chosen = [o for o in bound.options if o.checked]
        if not chosen:
            return [{"label": label, "value": "Aucun" if bound.field.name.endswith("revenus") else "Aucune"}]
        rows = []
        for option in chosen:
            amount = option.reveal[0].value if option.reveal else ""
            rows.append({"label": option.label, "value": f"{_euros_text(amount)} € par mois" if amount else "Oui"})
        return rows
    if bound.field.kind == "radio":
        chosen = next((o for o in bound.options if o.checked), None)
        rows = [{"label": label, "value": chosen.label if chosen else "Sans réponse"}]
        if chosen:
            for child in chosen.reveal:
                rows += _recap_field(child, role)
        return rows
    value = bound.value
    if bound.field.kind == "mois_annee":
        value = month_and_year(value, bound.second_value)
    elif value and bound.field.suffix:
        shown = _euros_text(value) if bound.field.kind == "montant" else value
        value = f"{shown} {bound.field.suffix}"
    return [{"label": label, "value": value or "Sans réponse"}]


def _euros_text(typed: str) -> str:
    """"1300" -> "1 300" (as the results write amounts); what cannot be read stays as typed."""
    try:
        return euros(parse_montant(typed))
    except ValueError:
        return typed



def first_incomplete(state: dict[str, str], catalog: Sequence[Benefit]) -> Step | None:
    for step in steps(state, catalog):
        if step.page.kind in ("recap", "resultats"):
            return None
        if validate_step(step, state, catalog):
            return step
    return None

