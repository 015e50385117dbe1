"""The caseworker's one-page form: every question of the household at once, as plain data.

The answers use the questionnaire's flat keys (`d.age`, `c.salaire_net`, `e2.scolarite`,
`e2.naissance_mois`, `l.loyer`, `x.parisien`…, see `forms.answers`), so `forms.household.state_to_household`
builds the `Household` and validates it; the answers of a fact and their labels come from the registry.
Differences with the guided questionnaire: each resource and each benefit already received is an
amount field (empty = none), so the server derives `d.revenus` / `d.prestations` from what is filled;
children are blocks added or removed by a button; on the comparison page the same form appears twice,
its field names prefixed (`b:d.age`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.amounts_text import euros
from simulator.french_dates import MOIS
from simulator.household import PRESTATIONS_DECLARABLES, RESSOURCES
from simulator.registry import Fact, core_facts, extension_facts
from simulator.territories import territory
from simulator.territory import code_postal_prefixes
from simulator.web.forms.answers import (
    BIRTH_MONTH,
    BIRTH_YEAR,
    COMMUNE_CHOICE,
    MAX_ENFANTS,
    NON,
    OUI,
    PRESTATIONS_INDIVIDUELLES,
    YES_NO,
    FormErrors,
    choices,
    depcom_of,
    field_name,
    nb_enfants,
    parse_montant,
    person_facts,
    shared_postcode_communes,
    who_answers,
)

NON_RENSEIGNE = ("", "Non renseigné")
NON_OUI = ((NON, YES_NO[NON]), (OUI, YES_NO[OUI]))  # a select starts on "Non"
MOIS_NAISSANCE = (("", "—"), *((str(i), name.capitalize()) for i, name in enumerate(MOIS, start=1)))


def options(f: Fact, empty: bool = True) -> tuple[tuple[str, str], ...]:
    """The answers of a registry fact for a select (short labels), "Non renseigné" first if it may stay empty."""
    answers = [(value, label) for value, label, _ in choices(f, short=True)]
    if f.type == "bool":
        answers.reverse()  # "Non" first: the select's default
    return ((NON_RENSEIGNE,) if empty else ()) + tuple(answers)


# Resources shown first; the others sit in "Autres ressources".
MAIN_RESSOURCES = ("salaire_net", "chomage_net", "retraite_nette")
DEFAULTS = {"couple": NON, "nb_enfants": "0", "d.handicap": NON, "l.statut": ""}
CHILD_DEFAULTS = {"handicap": NON, "garde_alternee": NON, "scolarite": "inconnue"}
# Facts whose select has no "Non renseigné": a default answer stands (the person can change it).
WITH_DEFAULT = {"handicap", "garde_alternee", "scolarite"}


@dataclass
class Input:
    """One form control, bound to its value and error, ready for the template."""

    name: str
    label: str
    kind: str  # "texte", "montant", "entier", "select"
    value: str = ""
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    suffix: str | None = None
    prefix: str = ""  # "b:" on the comparison page's second column

    @property
    def full_name(self) -> str:
        return self.prefix + self.name

    @property
    def id(self) -> str:
        return field_id(self.full_name)


def field_id(name: str) -> str:
    return "f-" + name.replace(":", "-").replace(".", "-")


@dataclass
class Block:
    """A titled group of inputs (a person, the housing…), with optional sub-groups shown collapsed."""

    id: str
    title: str
    inputs: list[Input] = field(default_factory=list)
    groups: list[Block] = field(default_factory=list)
    note: str | None = None
    child: int = 0  # child number, for the "Retirer" button
    open: bool = False
    # A territory's questions: the postcodes (or their first digits) that open the section as they are typed.
    codes_postaux: tuple[str, ...] = ()


def _person(p: str, role: str, state: dict[str, str], errors: dict[str, str], prefix: str) -> list[Input]:
    def make(name: str, label: str, kind: str, **kw: Any) -> Input:
        key = f"{p}.{name}"
        return Input(key, label, kind, state.get(key, ""), error=errors.get(key), prefix=prefix, **kw)

    if role == "enfant":
        inputs = [make(BIRTH_MONTH, "Mois de naissance", "select", options=MOIS_NAISSANCE),
                  make(BIRTH_YEAR, "Année de naissance", "entier", hint="4 chiffres, par exemple 2019.")]
    else:
        inputs = [make("age", "Âge", "entier", suffix="ans")]
    for f in (f for f in person_facts(role) if f.formulaires):
        hint = "Seulement si handicap reconnu." if f.id == "taux_incapacite" else \
            "Seulement pour une personne qui cherche un emploi." if f.id == "ass_precondition_remplie" else None
        empty = not (f.id in WITH_DEFAULT and (role == "enfant" or f.id == "handicap"))
        inputs.append(make(f.champ, f.libelle if f.id != "handicap" else "Handicap reconnu (MDPH)", "select",
                           options=options(f, empty), hint=hint))
    return inputs


def _amount(key: str, label: str, state: dict[str, str], errors: dict[str, str], prefix: str) -> Input:
    return Input(key, label, "montant", state.get(key, ""), error=errors.get(key), suffix="€ par mois", prefix=prefix)


def _resources(p: str, state: dict[str, str], errors: dict[str, str], prefix: str, open_: bool) -> list[Block]:
    main = [_amount(f"{p}.{k}", f"{RESSOURCES[k]} par mois", state, errors, prefix) for k in MAIN_RESSOURCES]
    others = [_amount(f"{p}.{k}", RESSOURCES[k], state, errors, prefix) for k in RESSOURCES if k not in MAIN_RESSOURCES]
    keys = PRESTATIONS_INDIVIDUELLES if p == "c" else tuple(PRESTATIONS_DECLARABLES)
    received = [_amount(f"{p}.p.{k}", PRESTATIONS_DECLARABLES[k], state, errors, prefix) for k in keys]
    filled = lambda inputs: any(i.value or i.error for i in inputs)  # noqa: E731
    return [
        Block(f"{prefix}{p}-ressources", "Ressources nettes", main, open=True),
        Block(f"{prefix}{p}-autres", "Autres ressources", others, open=open_ or filled(others)),
        Block(f"{prefix}{p}-prestations", "Aides déjà reçues (montant du dernier mois)", received,
              note="Laissez vide une aide non reçue.", open=open_ or filled(received)),
    ]


def blocks(state: dict[str, str], errors: dict[str, str] | None = None, prefix: str = "") -> list[Block]:
    """The form's sections, in tab order: household, demandeur, conjoint, children, housing, local questions."""
    errors = errors or {}
    state = {**DEFAULTS, **state}
    foyer = Block(f"{prefix}foyer", "Le foyer", [
        Input("couple", "En couple", "select", state.get("couple", NON), options=NON_OUI,
              error=errors.get("couple"), prefix=prefix)], open=True)
    demandeur = Block(f"{prefix}demandeur", "La personne accompagnée (demandeur)",
                      _person("d", "demandeur", state, errors, prefix),
                      _resources("d", state, errors, prefix, False), open=True)
    couple = state.get("couple") == OUI
    conjoint = Block(f"{prefix}conjoint", "Son conjoint", _person("c", "conjoint", state, errors, prefix),
                     _resources("c", state, errors, prefix, False), open=couple,
                     note=None if couple else "Pris en compte seulement si « En couple » vaut Oui.")
    enfants = []
    for i in range(1, nb_enfants(state) + 1):
        child_state = {**{f"e{i}.{k}": v for k, v in CHILD_DEFAULTS.items()}, **state}
        enfants.append(Block(f"{prefix}e{i}", f"Enfant n° {i}", _person(f"e{i}", "enfant", child_state, errors, prefix),
                             child=i, open=True))
    logement = Block(f"{prefix}logement", "Le logement", [
        Input("l.statut", "Situation de logement", "select", state.get("l.statut", ""),
              options=options(core_facts()["statut_occupation_logement"]), error=errors.get("l.statut"), prefix=prefix),
        Input("l.loyer", "Loyer hors charges (ou mensualité du prêt)", "montant", state.get("l.loyer", ""),
              error=errors.get("l.loyer"), suffix="€ par mois", prefix=prefix),
        Input("l.charges", "Charges", "montant", state.get("l.charges", ""), error=errors.get("l.charges"),
              suffix="€ par mois", prefix=prefix),
        Input("l.commune", "Code postal", "texte", state.get("l.commune", ""), error=errors.get("l.commune"),
              hint="Par exemple 75019.", prefix=prefix),
        *commune_choice(state, errors, prefix),
    ], open=True)
    result = [foyer, demandeur, conjoint, *enfants, logement]
    return result + _local_blocks(state, errors, prefix)


def _local_blocks(state: dict[str, str], errors: dict[str, str], prefix: str) -> list[Block]:
    """One section per territory with questions, under the heading its territory.yaml gives; open when
    something is filled in or when the commune is in the territory."""
    by_territory: dict[str | None, list[Input]] = {}
    for question in extension_facts().values():
        kind = "select" if question.type == "bool" else "montant" if question.type == "montant" else "entier"
        for person in who_answers(question, state):
            key = field_name(person.prefix if person else "l", question)
            label = question.question_for(person.role if person else "demandeur")
            by_territory.setdefault(question.territoire, []).append(
                Input(key, label, kind, state.get(key, ""), hint=question.applicable,
                      options=options(question) if kind == "select" else (), error=errors.get(key), prefix=prefix))
    blocks = []
    for territory_id, local in by_territory.items():
        place = territory(territory_id) if territory_id else None
        filled = any(i.value or i.error for i in local)
        if place is None:
            blocks.append(Block(f"{prefix}local-{territory_id}", "Questions des aides locales", local, open=filled))
            continue
        blocks.append(Block(f"{prefix}local-{place.id}", place.formulaires.titre, local, note=place.formulaires.note,
                            open=filled or place.covers(depcom_of(state)),
                            codes_postaux=code_postal_prefixes(place.couverture)))
    return blocks


def commune_choice(state: dict[str, str], errors: dict[str, str], prefix: str) -> list[Input]:
    """Which commune, when the postcode serves several."""
    communes = shared_postcode_communes(state)
    if not communes:
        return []
    return [Input(COMMUNE_CHOICE, "Commune", "select", state.get(COMMUNE_CHOICE, ""),
                  options=(("", "Choisissez la commune"), *((c.depcom, c.nom) for c in communes)),
                  hint="Ce code postal est celui de plusieurs communes.", error=errors.get(COMMUNE_CHOICE),
                  prefix=prefix)]


def all_inputs(form_blocks: list[Block]) -> list[Input]:
    found: list[Input] = []
    for block in form_blocks:
        found += block.inputs
        found += all_inputs(block.groups)
    return found


def names(state: dict[str, str]) -> list[str]:
    return [i.name for i in all_inputs(blocks(state))]


def from_form(fields: dict[str, list[str]], prefix: str = "") -> dict[str, str]:
    """The answers sent by the form (fields named `prefix + key`); unknown names are ignored."""
    def get(name: str) -> str | None:
        values = fields.get(prefix + name)
        return values[-1].strip() if values else None

    state: dict[str, str] = {}
    for key in ("couple", "nb_enfants", "mois"):
        value = get(key)
        if value is not None:
            state[key] = value[:20]
    state["nb_enfants"] = str(nb_enfants(state))
    for name in names(state):
        value = get(name)
        if value:
            state[name] = value[:200]
    if shared_postcode_communes(state) and get(COMMUNE_CHOICE):  # asked once the postcode is known
        state[COMMUNE_CHOICE] = (get(COMMUNE_CHOICE) or "")[:10]
    return derive_lists(state)


def derive_lists(state: dict[str, str]) -> dict[str, str]:
    """`d.revenus` and `d.prestations` from the amount fields filled (benefits not filled: not received)."""
    for p in ("d", "c"):
        state[f"{p}.revenus"] = ",".join(k for k in RESSOURCES if state.get(f"{p}.{k}"))
        keys = PRESTATIONS_INDIVIDUELLES if p == "c" else tuple(PRESTATIONS_DECLARABLES)
        state[f"{p}.prestations"] = ",".join(k for k in keys if state.get(f"{p}.p.{k}"))
    return state


def from_loaded(state: dict[str, str]) -> dict[str, str]:
    """A state rebuilt by `household_to_state` (file loaded): only what this form shows."""
    kept = {k: v for k, v in state.items() if k in ("couple", "nb_enfants", "mois")}
    for name in names(state):
        if name in state:
            kept[name] = state[name]
    return derive_lists(kept)


def add_child(state: dict[str, str]) -> dict[str, str]:
    count = nb_enfants(state)
    if count >= MAX_ENFANTS:
        return state
    return {**state, "nb_enfants": str(count + 1)}


def remove_child(state: dict[str, str], number: int) -> dict[str, str]:
    """Remove child `number` (1-based); the following children move up one place."""
    count = nb_enfants(state)
    if not 1 <= number <= count:
        return state
    new = {k: v for k, v in state.items() if not k.startswith("e")}
    for key, value in state.items():
        if not key.startswith("e") or "." not in key:
            continue
        head, rest = key.split(".", 1)
        index = int(head[1:]) if head[1:].isdigit() else 0
        if index < number:
            new[key] = value
        elif index > number:
            new[f"e{index - 1}.{rest}"] = value
    new["nb_enfants"] = str(count - 1)
    return new


def has_minimum(state: dict[str, str]) -> bool:
    """Enough to compute: the demandeur's age (every rule reads it)."""
    return bool(state.get("d.age"))


def missing_ages(state: dict[str, str]) -> FormErrors:
    errors = FormErrors()
    if not state.get("d.age"):
        errors.add("d.age", "Indiquez l'âge de la personne accompagnée.")
    if state.get("couple") == OUI and not state.get("c.age"):
        errors.add("c.age", "Indiquez l'âge du conjoint, ou choisissez Non pour « En couple ».")
    for i in range(1, nb_enfants(state) + 1):
        if not (state.get(f"e{i}.{BIRTH_MONTH}") and state.get(f"e{i}.{BIRTH_YEAR}")):
            errors.add(f"e{i}.{BIRTH_MONTH}", f"Indiquez le mois et l'année de naissance de l'enfant n° {i}.")
    return errors


def facts(state: dict[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The facts used, in words, per section (for the printed and PDF recap). No names."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for block in blocks(state):
        if block.id == "conjoint" and state.get("couple") != OUI:
            continue
        rows = []
        for item in all_inputs([block]):
            if not item.value or item.name.endswith(".taux") and not item.value:
                continue
            if item.kind == "select":
                shown = dict(item.options).get(item.value, item.value)
                if item.value == "" or shown == "Non renseigné":
                    continue
            elif item.kind == "montant":
                try:
                    shown = f"{euros(parse_montant(item.value))}\u00a0€"
                except ValueError:
                    shown = item.value
                if item.suffix:
                    shown += " par mois"
            elif item.suffix:
                shown = f"{item.value} {item.suffix}"
            else:
                shown = item.value
            rows.append((item.label, shown))
        if rows:
            sections.append((block.title, rows))
    return sections
