"""Four ordinary households, one meaning for their answers: the questionnaire, the caseworker page, the
answers file and the API give the same amounts to the cent.

The questionnaire sends 0 for every benefit not ticked ("not received yet"), the caseworker form for
every one left empty, the API and the answers file leave them out: the amounts shown are the stable
situation's in every route, and the first months' figure is said as such.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from web_flow import run_flow

from simulator.household import Household
from simulator.web.forms import one_page as cf
from simulator.web.forms.answers_file import answers_file
from simulator.web.forms.household import household_to_state

ENFANT = {"role": "enfant", "handicap": False, "garde_alternee": False}
REFERENCE = {
    # A couple with three children (2, 6, 11), one salary of 2,100 € net, renting 1,200 € in Paris 18e.
    "famille_de_cinq": {
        "mois": "2026-11",
        "individus": [
            {"id": "demandeur", "role": "demandeur", "age": 38, "activite": "actif", "salaire_net": 2100.0,
             "handicap": False},
            {"id": "conjoint", "role": "conjoint", "age": 36, "activite": "inactif", "handicap": False,
             "statut_marital": "marie"},
            {"id": "enfant_1", **ENFANT, "date_naissance": "2024-03-01"},
            {"id": "enfant_2", **ENFANT, "date_naissance": "2020-06-01", "scolarite": "primaire"},
            {"id": "enfant_3", **ENFANT, "date_naissance": "2015-09-01", "scolarite": "college"},
        ],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 1200.0, "code_postal": "75018",
                     "parisien": True},
    },
    # A single mother with two children, 900 € net, renting in Paris 20e.
    "mere_seule": {
        "mois": "2026-11",
        "individus": [
            {"id": "demandeur", "role": "demandeur", "age": 33, "activite": "actif", "salaire_net": 900.0,
             "handicap": False},
            {"id": "enfant_1", **ENFANT, "date_naissance": "2022-01-01", "scolarite": "maternelle"},
            {"id": "enfant_2", **ENFANT, "date_naissance": "2018-05-01", "scolarite": "primaire"},
        ],
        "logement": {"statut_occupation_logement": "locataire_hlm", "loyer": 520.0, "charges_locatives": 80.0,
                     "code_postal": "75020", "parisien": True},
    },
    # A 74-year-old living alone on a pension of 880 €, HLM tenant in Paris 20e.
    "retraitee_seule": {
        "mois": "2026-11",
        "individus": [
            {"id": "demandeur", "role": "demandeur", "age": 74, "activite": "retraite", "retraite_nette": 880.0,
             "handicap": False, "paris_complementaire_sante_payante": True, "paris_pass_renouvellement": False},
        ],
        "logement": {"statut_occupation_logement": "locataire_hlm", "loyer": 450.0, "code_postal": "75020",
                     "parisien": True},
    },
    # A job seeker of 52 at the end of his unemployment rights, who worked 5 of the last 10 years, in Montreuil.
    "demandeur_emploi_montreuil": {
        "mois": "2026-11",
        "individus": [
            {"id": "demandeur", "role": "demandeur", "age": 52, "activite": "chomeur", "handicap": False,
             "ass_precondition_remplie": True},
        ],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 600.0, "code_postal": "93100"},
    },
}
AIDE = re.compile(r'<li class="(?:carte-aide carte-eligible|acc-aide)" id="[^"]+" data-aide="([^"]+)" '
                  r'(?:data-montant="([^"]+)")?')



def household(name: str) -> Household:
    return Household.model_validate(REFERENCE[name])


def shown(html: str) -> dict[str, float | None]:
    """The claimable aids of a results page and their amounts."""
    return {aide: float(montant) if montant else None for aide, montant in AIDE.findall(html)}


def from_api(client, name: str) -> dict[str, float | None]:
    response = client.post("/api/v1/simulate", json=REFERENCE[name])
    assert response.status_code == 200, response.text
    return {a["id"]: a["montant"] for a in response.json()["aides"] if a["calculable"] and a["eligible"]}


def _questionnaire(client, name: str) -> str:
    pages, html = run_flow(client, household_to_state(household(name)))
    return html


def _caseworker(client, name: str) -> str:
    response = client.post("/accompagnement/resultats", data=cf.from_loaded(household_to_state(household(name))))
    assert response.status_code == 200
    return response.text


def _answers_file(client, name: str) -> str:
    body = json.dumps(answers_file(household(name))).encode()
    response = client.post("/accompagnement/charger", files={"fichier": ("r.json", body, "application/json")})
    assert response.status_code == 200
    return response.text


ROUTES = {"questionnaire": _questionnaire, "accompagnement": _caseworker, "fichier_de_reponses": _answers_file}


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_every_route_gives_the_same_amounts(client, name, route):
    """One test per household and route, so that a fault in one route does not hide the others."""
    api = from_api(client, name)
    assert api, "the household can claim something"
    assert shown(ROUTES[route](client, name)) == api


@pytest.mark.parametrize(("name", "most"), [
    ("famille_de_cinq", 14), ("mere_seule", 11), ("retraitee_seule", 9), ("demandeur_emploi_montreuil", 8)])
def test_no_more_pages_than_before(client, name, most):
    """The month and year of birth, the ASS question and the commune's list add no page: the counts are
    those of the questionnaire before them (commit b7d59e3, the same households, Montreuil by INSEE code)."""
    pages, _ = run_flow(client, household_to_state(household(name)))
    assert len(pages) - 1 <= most, pages  # the home page is not a step


def test_the_family_of_five_is_told_the_stable_figure_and_the_first_months(client, engine):
    api = client.post("/api/v1/simulate", json=REFERENCE["famille_de_cinq"]).json()
    ppa = next(a for a in api["aides"] if a["id"] == "ppa")
    assert ppa["premiers_mois"] is None  # nothing declared as not received: no first months to tell
    # The questionnaire: nothing ticked on "Les aides que vous recevez déjà" (every benefit sent as 0).
    _, html = run_flow(client, household_to_state(household("famille_de_cinq")))
    assert shown(html)["ppa"] == ppa["montant"]
    zeros = client.post("/api/v1/simulate", json={**REFERENCE["famille_de_cinq"], "individus": [
        {**p, **({"af": 0.0, "cf": 0.0, "paje_base": 0.0, "aide_logement": 0.0} if p["role"] == "demandeur" else {})}
        for p in REFERENCE["famille_de_cinq"]["individus"]]}).json()
    declared = next(a for a in zeros["aides"] if a["id"] == "ppa")
    assert declared["montant"] == ppa["montant"]
    first = declared["premiers_mois"]
    assert first is not None and first["montant"] > ppa["montant"]
    text = re.sub(r"\s+", " ", unescape(html)).replace("\u202f", " ").replace("\xa0", " ")
    assert "Les premiers mois, tant que" in text
    assert f"{first['montant']:.2f}".replace(".", ",") in text.replace(" ", "")


RICH = {"mois": "2026-11", "individus": [
    {"id": "demandeur", "role": "demandeur", "age": 45, "activite": "actif", "salaire_net": 6000.0, "handicap": False}],
    "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 1500.0, "code_postal": "75015"}}


def test_the_questionnaire_skips_city_questions_whose_answer_changes_nothing(client):
    """A Paris tenant on 6,000 € a month: no answer to the Paris questions changes a result (the API says
    the same with either answer), so the questionnaire does not ask them; the single mother is asked."""
    answers = {p: client.post("/api/v1/simulate", json={**RICH, "logement": {**RICH["logement"], "parisien": p}})
               .json()["aides"] for p in (True, False)}
    assert [(a["id"], a["calculable"], a["eligible"], a["montant"]) for a in answers[True]] == \
        [(a["id"], a["calculable"], a["eligible"], a["montant"]) for a in answers[False]]
    pages, html = run_flow(client, household_to_state(Household.model_validate(RICH)))
    assert "commune" not in pages
    assert shown(html) == {a["id"]: a["montant"] for a in answers[True] if a["calculable"] and a["eligible"]}
    asked, _ = run_flow(client, household_to_state(household("mere_seule")))
    assert "commune" in asked


def born_in_2012(month: int) -> dict:
    """A parent of three in Paris 19e whose eldest was born in `month` 2012: 14 in November 2026 either way."""
    return {"mois": "2026-11", "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 40, "activite": "actif", "salaire_net": 1800.0,
         "handicap": False},
        {"id": "enfant_1", "role": "enfant", "date_naissance": f"2012-{month:02d}-01", "handicap": False,
         "garde_alternee": False, "scolarite": "college"},
        {"id": "enfant_2", "role": "enfant", "age": 8, "handicap": False, "garde_alternee": False},
        {"id": "enfant_3", "role": "enfant", "age": 5, "handicap": False, "garde_alternee": False}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 900.0, "code_postal": "75019",
                     "parisien": True}}


@pytest.mark.parametrize("route", ["questionnaire", "accompagnement"])
def test_the_month_of_birth_typed_decides_the_age_supplement(client, route):
    """Allocations familiales: since March 2026 the age supplement starts at 14 only for a child born before
    March 2012 (18 after). Two children of 14, born in February and in April 2012: both web forms ask the month,
    and each shows the amount the API gives for that birth date, which differ."""
    shown_af = {}
    for month in (2, 4):
        data = born_in_2012(month)
        api = client.post("/api/v1/simulate", json=data).json()
        expected = next(a["montant"] for a in api["aides"] if a["id"] == "af")
        state = household_to_state(Household.model_validate(data))
        assert state["e1.naissance_mois"] == str(month), state
        if route == "questionnaire":
            html = run_flow(client, state)[1]
        else:
            html = client.post("/accompagnement/resultats", data=cf.from_loaded(state)).text
        shown_af[month] = shown(html)["af"]
        assert shown_af[month] == expected
    assert shown_af[2] > shown_af[4]
