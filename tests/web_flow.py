"""Drive the questionnaire with answers taken from a household (shared by the web and browser tests)."""

from __future__ import annotations

import re
from html import unescape

import yaml
from fastapi.testclient import TestClient

from simulator.household import Household
from simulator.registry import extension_facts
from simulator.situation import birth_date
from simulator.web.forms.answers import split_list
from simulator.web.forms.household import household_to_state


def scenario_household(path) -> Household:
    data = yaml.safe_load(open(path, encoding="utf-8"))
    return Household.model_validate(data)


def answers_for(household: Household) -> dict[str, str]:
    """What a person would type: every answer of the household, benefits not received left unticked."""
    return household_to_state(household)


INPUT = re.compile(r"<input\b([^>]*)>")
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def form_inputs(html: str) -> list[dict[str, str]]:
    form = html.split('class="formulaire"', 1)[-1]
    return [{k: unescape(v) for k, v in ATTR.findall(m.group(1))} for m in INPUT.finditer(form)]


def page_key(html: str) -> str:
    match = re.search(r'data-page="([^"]+)"', html)
    return match.group(1) if match else ""


def submission(html: str, answers: dict[str, str]) -> dict[str, list[str]]:
    """The form data a person sends on this page: hidden fields, then the answers for its fields."""
    data: dict[str, list[str]] = {}
    for attrs in form_inputs(html):
        name, kind, value = attrs.get("name"), attrs.get("type"), attrs.get("value", "")
        if not name:
            continue
        if kind == "hidden":
            data.setdefault(name, []).append(value)
        elif kind == "radio":
            if answers.get(name) == value:
                data[name] = [value]
        elif kind == "checkbox":
            if value in split_list(answers.get(name)):
                data.setdefault(name, []).append(value)
        elif name in answers:
            data[name] = [answers[name]]
    data["action"] = ["continuer"]
    return data


def scenario_answers(path) -> tuple[dict[str, str], Household]:
    """The answers for a scenario, with "non" where the questionnaire asks what the scenario leaves
    out (a child's handicap, shared custody), and the household those answers describe."""
    household = scenario_household(path)
    data = household.model_dump(mode="json", exclude_none=True)
    for individu in data["individus"]:
        individu.setdefault("handicap", False)
        if individu["role"] == "enfant":
            individu.setdefault("garde_alternee", False)
            individu.setdefault("scolarite", "inconnue")
    if "paris_complementaire_sante_payante" in extension_facts():
        data["individus"][0].setdefault("paris_complementaire_sante_payante", False)
    household = Household.model_validate(data)
    return answers_for(household), household


def api_body(household: Household) -> dict:
    """The API request for the same household: benefits not ticked are sent as 0 ("not received")."""
    from simulator.household import PRESTATIONS_DECLARABLES
    from simulator.web.forms.answers import PRESTATIONS_INDIVIDUELLES

    data = household.model_dump(mode="json", exclude_none=True)
    for individu in data["individus"]:
        keys = {"demandeur": PRESTATIONS_DECLARABLES, "conjoint": PRESTATIONS_INDIVIDUELLES}.get(individu["role"], ())
        for key in keys:
            individu.setdefault(key, 0.0)
    return data


def household_from_results(html: str) -> Household:
    """The household the person described, read back from the answers the results page carries."""
    from simulator.catalog import load_catalog
    from simulator.web.common import decode_state
    from simulator.web.forms.household import state_to_household
    from simulator.web.questionnaire.steps import prune

    etat = re.search(r'name="etat" value="([^"]+)"', html).group(1)
    return state_to_household(prune(decode_state(unescape(etat)), load_catalog()))


def assert_same_situation(built: Household, scenario: Household) -> None:
    """What the flow sent is the scenario: people, ages, activities, resources, housing."""
    assert len(built.individus) == len(scenario.individus)
    for mine, theirs in zip(built.individus, scenario.individus, strict=True):
        # Children are asked their month and year of birth: the same month as the age places them.
        assert (mine.role, built.age_of(mine), mine.activite) == (theirs.role, scenario.age_of(theirs), theirs.activite)
        if mine.role == "enfant":
            assert mine.date_naissance == birth_date(scenario, theirs)
        assert mine.ressources() == theirs.ressources()
    got, expected = built.logement, scenario.logement
    assert (got.statut_occupation_logement, got.loyer, got.depcom) == (
        expected.statut_occupation_logement, expected.loyer, expected.depcom)


def run_flow(client: TestClient, answers: dict[str, str]) -> tuple[list[str], str]:
    """Answer page after page from the home page; the keys of the pages seen and the results HTML."""
    home = client.get("/")
    assert home.status_code == 200
    response = client.get("/simulateur")
    pages = ["accueil", page_key(response.text)]
    for _ in range(30):
        assert response.status_code == 200, re.findall(r'<li><a href="[^"]+">([^<]+)', response.text)
        if page_key(response.text) == "resultats":
            return pages, response.text
        data = submission(response.text, answers)
        if page_key(response.text) == "recapitulatif":
            data["action"] = ["resultats"]
        response = client.post("/simulateur", data=data)
        assert "set-cookie" not in response.headers
        pages.append(page_key(response.text))
    raise AssertionError(f"no results after {pages}")


def aah_household(couple: bool) -> Household:
    """A disabled Parisian at 80 % receiving the AAH (declared 1,000 € a month), tenant in the 19th,
    with or without a partner earning 300 € a month. For the couple, Paris Solidarité depends on how
    the CASVP reads the AAH floor of the règlement (III 1.1 b/4); alone, it does not."""
    demandeur = {"id": "demandeur", "role": "demandeur", "age": 50, "activite": "inactif", "handicap": True,
                 "taux_incapacite": 0.8, "aah": 1000.0, "paris_complementaire_sante_payante": False,
                 "paris_pass_renouvellement": False}
    conjoint = {"id": "conjoint", "role": "conjoint", "age": 48, "activite": "actif", "salaire_net": 300.0,
                "statut_marital": "marie", "handicap": False}
    return Household.model_validate({
        "mois": "2026-11", "individus": [demandeur, conjoint] if couple else [demandeur],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 800.0, "depcom": "75119",
                     "parisien": True}})
