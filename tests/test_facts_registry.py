"""The registry of facts: every fact a rule requires can be answered in the questionnaire, in the
caseworker form and through the API, and reaches the household with the same meaning."""

from __future__ import annotations

import pytest

from simulator.catalog import load_catalog
from simulator.household import Household
from simulator.registry import ALWAYS_ANSWERED, Fact, all_facts, core_facts
from simulator.web.forms import one_page as cf
from simulator.web.forms.answers import field_name
from simulator.web.forms.household import state_to_household
from simulator.web.questionnaire.pages import context
from simulator.web.questionnaire.steps import step_fields, steps

# A household in which every fact of the registry applies: an elderly job seeker with a disability,
# a partner, a child of school age, renting in Paris.
PROBE = {
    "mois": "2026-11", "couple": "oui", "nb_enfants": "1",
    "d.age": "62", "d.activite": "chomeur", "d.handicap": "oui",
    "c.age": "60", "c.statut_marital": "marie", "c.activite": "chomeur", "c.handicap": "non",
    "e1.naissance_mois": "4", "e1.naissance_annee": "2014", "e1.handicap": "non", "e1.garde_alternee": "non",
    "l.statut": "locataire_vide", "l.commune": "75019",
}


def required_facts() -> dict[str, list[str]]:
    """Fact id -> the catalog entries (national and extensions) that require it."""
    needed: dict[str, list[str]] = {}
    for benefit in load_catalog():
        for fact_id in [*benefit.requiert, *benefit.requiert_si]:
            if fact_id not in ALWAYS_ANSWERED:
                needed.setdefault(fact_id, []).append(benefit.id)
    return needed


def prefix_for(f: Fact) -> str:
    if f.entite == "logement":
        return "l"
    return {"demandeur": "d", "conjoint": "c", "enfant": "e1"}[f.roles[0]]


def an_answer(f: Fact) -> tuple[str, object]:
    """A form value for the fact, and the value the household model holds for it."""
    if f.type == "bool":
        return "oui", True
    if f.type in ("choix", "taux"):
        option = f.valeurs[-1].valeur
        return option, float(option) if f.type == "taux" else option
    if f.type == "commune":
        return "75019", "75119"
    return "321", 321.0


def with_conditions(state: dict[str, str], f: Fact, prefix: str) -> dict[str, str]:
    """The answers of the same person that make `f` apply (`si`: disability for the rate, asylum...)."""
    for other, values in f.si.items():
        value = values[0]
        state[field_name(prefix, all_facts()[other])] = "oui" if value is True else "non" if value is False else value
    return state


def held(household: Household, f: Fact, prefix: str) -> object:
    if f.entite == "logement":
        target = household.logement
    else:
        target = {"d": household.demandeur, "c": household.conjoint}.get(prefix) or household.enfants[0]
    value = getattr(target, f.id, None)
    if value is None:
        value = (target.model_extra or {}).get(f.id)
    return getattr(value, "value", value)


def questionnaire_fields(state: dict[str, str]) -> set[str]:
    catalog = load_catalog()
    ctx = context(state, catalog)
    names: set[str] = set()

    def walk(bound_fields) -> None:
        for bound in bound_fields:
            names.update(bound.names)
            for option in bound.options:
                walk(option.reveal)
    for step in steps(state, catalog):
        walk(step_fields(step, ctx))
    return names


def test_every_required_fact_is_in_the_registry():
    facts = all_facts()
    unknown = {fact_id: ids for fact_id, ids in required_facts().items() if fact_id not in facts}
    assert not unknown, f"Faits exigés par le catalogue mais absents du registre : {unknown}"


@pytest.mark.parametrize("fact_id", sorted(required_facts()))
def test_a_required_fact_is_reachable_in_the_questionnaire(fact_id):
    f = all_facts()[fact_id]
    prefix = prefix_for(f)
    name = field_name(prefix, f)
    assert name in questionnaire_fields(PROBE), f"{fact_id} ({required_facts()[fact_id]}) n'est jamais demandé"
    raw, value = an_answer(f)
    state = with_conditions({**PROBE, name: raw}, f, prefix)
    assert held(state_to_household(state), f, prefix) == value


@pytest.mark.parametrize("fact_id", sorted(required_facts()))
def test_a_required_fact_is_reachable_in_the_caseworker_form(fact_id):
    f = all_facts()[fact_id]
    prefix = prefix_for(f)
    name = field_name(prefix, f)
    assert name in cf.names(PROBE), f"{fact_id} manque au formulaire d'accompagnement"
    raw, value = an_answer(f)
    sent = {key: [text] for key, text in with_conditions({**PROBE, name: raw}, f, prefix).items()}
    assert held(state_to_household(cf.from_form(sent)), f, prefix) == value


@pytest.mark.parametrize("fact_id", sorted(required_facts()))
def test_a_required_fact_is_accepted_by_the_api(fact_id, client):
    f = all_facts()[fact_id]
    _, value = an_answer(f)
    body = {"mois": "2026-11", "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 62, "activite": "chomeur", "handicap": True},
        {"id": "conjoint", "role": "conjoint", "age": 60, "statut_marital": "marie"},
        {"id": "enfant_1", "role": "enfant", "date_naissance": "2014-04-01"},
    ], "logement": {"statut_occupation_logement": "locataire_vide", "depcom": "75119"}}
    key = "depcom" if f.type == "commune" else f.id
    if f.entite == "logement":
        body["logement"][key] = value
    else:
        body["individus"][{"demandeur": 0, "conjoint": 1, "enfant": 2}[f.roles[0]]][key] = value
    response = client.post("/api/v1/simulate", json=body)
    assert response.status_code == 200, response.text
    household = Household.model_validate(body)
    assert held(household, f, prefix_for(f)) == value



def test_every_choice_the_forms_offer_is_an_answer_the_model_accepts():
    """The questionnaire's and the caseworker form's options are the registry's values, nothing else."""
    for f in core_facts().values():
        if f.type != "choix":
            continue
        from simulator.household import ENUMS

        assert [v.valeur for v in f.valeurs] == [member.value for member in ENUMS[f.id]]
        caseworker = [value for value, _ in cf.options(f) if value]
        assert caseworker == [v.valeur for v in f.valeurs]


def test_a_job_seeker_who_worked_5_of_the_last_10_years_gets_ass_computed(engine, client):
    """ASS needs `ass_precondition_remplie`: asked under "Cherche un emploi", in both forms and the API."""
    state = {"mois": "2026-11", "couple": "non", "nb_enfants": "0", "d.age": "52", "d.activite": "chomeur",
             "d.handicap": "non", "d.ass_precondition_remplie": "oui", "d.revenus": "",
             "l.statut": "locataire_vide", "l.loyer": "600", "l.commune": "75019", "x.parisien": "oui"}
    page = client.post("/simulateur", data={"etat": "", "page": "vous:d", "action": "continuer", "d.age": "52"})
    assert "Avez-vous travaillé au moins 5 ans dans les 10 ans" in page.text
    household = state_to_household(state)
    ass = engine.simulate(household).aide("ass")
    assert ass is not None and ass.calculable and ass.eligible and ass.montant > 0
    caseworker = state_to_household(cf.from_form({k: [v] for k, v in state.items()}))
    assert engine.simulate(caseworker).aide("ass").montant == ass.montant
    api = client.post("/api/v1/simulate", json=household.model_dump(mode="json", exclude_none=True)).json()
    assert next(a for a in api["aides"] if a["id"] == "ass")["montant"] == ass.montant
