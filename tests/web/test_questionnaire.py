"""The guided questionnaire without a browser: pages asked, page counts, validation, amounts = API."""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web_flow import (  # noqa: E402
    api_body,
    assert_same_situation,
    household_from_results,
    page_key,
    run_flow,
    scenario_answers,
    submission,
)

from simulator.catalog import load_catalog  # noqa: E402
from simulator.household import current_month  # noqa: E402
from simulator.registry import Fact  # noqa: E402
from simulator.web.common import decode_state, encode_state  # noqa: E402
from simulator.web.forms import answers  # noqa: E402
from simulator.web.forms.answers import parse_montant  # noqa: E402
from simulator.web.forms.household import state_to_household  # noqa: E402
from simulator.web.questionnaire.steps import steps  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
# The four households of the issue, and the most pages each may take to reach the results.
PAGE_LIMITS = {
    "celibataire_smic_locataire_paris": 10,
    "parent_isole_deux_enfants": 12,
    "retraitee_petite_pension": 10,
    "couple_trois_enfants_un_salaire": 15,
}



@pytest.mark.parametrize("scenario", sorted(PAGE_LIMITS))
def test_page_count_and_amounts_equal_api(client, scenario):
    answers, household = scenario_answers(ROOT / "scenarios" / f"{scenario}.yaml")
    pages, html = run_flow(client, answers)
    assert len(pages) <= PAGE_LIMITS[scenario], pages
    shown = dict(re.findall(r'data-aide="([^"]+)" data-montant="([^"]+)"', html))
    built = household_from_results(html)
    assert_same_situation(built, household)
    api = client.post("/api/v1/simulate", json=api_body(built)).json()
    expected = {a["id"]: a["montant"] for a in api["aides"] if a["montant"] is not None}
    assert {k: float(v) for k, v in shown.items()} == expected
    eligible = [a for a in api["aides"] if a["eligible"]]
    assert eligible, "each of these households is entitled to something"
    for aide in eligible:
        assert aide["label"] in unescape(html)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_scenario_amounts_equal_api(client, path):
    answers, household = scenario_answers(path)
    _, html = run_flow(client, answers)
    built = household_from_results(html)
    assert_same_situation(built, household)
    assert [i.prestations_declarees() for i in built.individus] == [
        i.prestations_declarees() for i in household.model_validate(api_body(household)).individus]
    api = client.post("/api/v1/simulate", json=api_body(built)).json()
    shown = {k: float(v) for k, v in re.findall(r'data-aide="([^"]+)" data-montant="([^"]+)"', html)}
    assert shown == {a["id"]: a["montant"] for a in api["aides"] if a["montant"] is not None}


def test_pages_follow_the_household():
    catalog = load_catalog()
    young = {"d.age": "25", "d.activite": "actif", "couple": "non", "nb_enfants": "0"}
    keys = [s.key for s in steps(young, catalog)]
    assert "conjoint:c" not in keys and not any(k.startswith("enfant") for k in keys)
    assert "revenus:c" not in keys
    couple = {**young, "couple": "oui", "nb_enfants": "2"}
    keys = [s.key for s in steps(couple, catalog)]
    assert {"conjoint:c", "enfant:e1", "enfant:e2", "revenus:c"} <= set(keys)
    owner = {**young, "l.statut": "proprietaire", "l.commune": "75019"}
    assert "loyer" not in [s.key for s in steps(owner, catalog)]


def _revenus_html(client, age: str) -> str:
    state = {"d.age": age, "d.activite": "actif", "d.handicap": "non", "couple": "non", "nb_enfants": "0",
             "l.statut": "locataire_vide", "l.commune": "69387", "l.loyer": "500"}
    response = client.post("/simulateur", data={"etat": encode_state(state), "page": "loyer",
                                                "l.loyer": "500", "action": "continuer"})
    assert page_key(response.text) == "revenus:d"
    return response.text


def test_no_pension_question_for_a_young_adult(client):
    assert 'value="retraite_nette"' not in _revenus_html(client, "25")
    assert 'value="retraite_nette"' in _revenus_html(client, "70")


def test_a_fact_no_rule_needs_is_not_asked():
    """Remove `scolarite` from every catalog entry: no one is asked a child's school."""
    catalog = load_catalog()
    state = {"d.age": "40", "couple": "non", "nb_enfants": "1", "e1.naissance_mois": "3",
             "e1.naissance_annee": str(int(current_month()[:4]) - 12)}
    from simulator.web.questionnaire.pages import context
    from simulator.web.questionnaire.steps import step_fields

    child = next(s for s in steps(state, catalog) if s.key == "enfant:e1")
    names = [f.name for f in step_fields(child, context(state, catalog))]
    assert "e1.scolarite" in names
    trimmed = tuple(b.model_copy(update={"requiert": [f for f in b.requiert if f != "scolarite"]}) for b in catalog)
    child = next(s for s in steps(state, trimmed) if s.key == "enfant:e1")
    assert "e1.scolarite" not in [f.name for f in step_fields(child, context(state, trimmed))]
    # Same for a whole page: without `loyer` in any entry, the rent page disappears.
    renter = {**state, "l.statut": "locataire_vide", "l.commune": "75019"}
    assert "loyer" in [s.key for s in steps(renter, catalog)]
    no_rent = tuple(b.model_copy(update={"requiert": [f for f in b.requiert if f != "loyer"]}) for b in catalog)
    assert "loyer" not in [s.key for s in steps(renter, no_rent)]


def test_extension_questions_only_in_their_territory(monkeypatch):
    question = Fact(id="parisien", entite="logement", type="bool", libelle="Parisien", extension=True,
                    question="Habitez-vous à Paris depuis au moins 3 ans ?", territoires=["751"])
    monkeypatch.setattr(answers, "extension_facts", lambda: {"parisien": question})
    catalog = load_catalog()
    base = {"d.age": "40", "couple": "non", "nb_enfants": "0", "l.statut": "locataire_vide", "l.loyer": "500"}
    assert "commune" in [s.key for s in steps({**base, "l.commune": "75011"}, catalog)]
    assert "commune" not in [s.key for s in steps({**base, "l.commune": "69387"}, catalog)]
    assert "commune" not in [s.key for s in steps(base, catalog)]


def test_invalid_answers_come_back_with_an_error_summary(client):
    response = client.post("/simulateur", data={"etat": "", "page": "vous:d", "action": "continuer",
                                                "d.age": "cent ans", "d.activite": "actif"})
    assert response.status_code == 422
    html = response.text
    assert html.index('class="resume-erreurs"') < html.index('class="titre-page"')
    assert '<a href="#f-d-age">Indiquez l\'âge en années' in unescape(html)
    assert 'aria-invalid="true"' in html and 'aria-describedby="f-d-age-aide f-d-age-suffixe f-d-age-erreur"' in html
    assert "<title>Erreur : Vous – étape 1 sur 6" in html
    response = client.post("/simulateur", data={"etat": "", "page": "vous:d", "action": "continuer",
                                                "d.age": "130", "d.activite": "actif", "d.handicap": "non"})
    assert response.status_code == 422
    assert "L'âge doit être compris entre 0 et 120 ans." in unescape(response.text)  # the model's own message


def test_french_amounts():
    assert parse_montant("1 250,50") == 1250.5
    assert parse_montant("1\u202f250,50 €") == 1250.5
    assert parse_montant("1250.5") == 1250.5
    assert parse_montant("1.250,50") == 1250.5
    with pytest.raises(ValueError):
        parse_montant("mille")


def test_model_errors_are_mapped_to_fields():
    state = {"d.age": "30", "couple": "non", "nb_enfants": "0", "l.statut": "locataire_vide",
             "l.loyer": "-5", "l.commune": "7501"}
    with pytest.raises(answers.FormErrors) as error:
        state_to_household(state)
    assert error.value.errors["l.loyer"] == "Le montant ne peut pas être négatif."
    assert "l.commune" in error.value.errors


def test_benefits_not_received_are_sent_as_zero():
    state = {"d.age": "30", "couple": "non", "nb_enfants": "0", "d.revenus": "", "d.prestations": "rsa",
             "d.p.rsa": "607,75"}
    household = state_to_household(state)
    assert household.demandeur.rsa == 607.75
    assert household.demandeur.ppa == 0 and household.demandeur.aide_logement == 0


def test_recap_modify_returns_to_recap(client):
    answers, _ = scenario_answers(ROOT / "scenarios" / "celibataire_smic_locataire_paris.yaml")
    state = {k: v for k, v in answers.items()}
    recap = client.post("/simulateur", data={"etat": encode_state(state), "page": "vous:d",
                                             "action": "aller:recapitulatif"})
    assert page_key(recap.text) == "recapitulatif"
    assert recap.text.count(">Modifier<") >= 8
    page = client.post("/simulateur", data={"etat": encode_state(state), "page": "recapitulatif",
                                            "action": "aller:loyer"})
    assert page_key(page.text) == "loyer" and "Retour au récapitulatif" in page.text
    data = submission(page.text, {**answers, "l.loyer": "800"})
    after = client.post("/simulateur", data=data)
    assert page_key(after.text) == "recapitulatif"
    assert decode_state(re.search(r'name="etat" value="([^"]+)"', after.text).group(1))["l.loyer"] == "800"


def test_back_button_keeps_answers(client):
    answers, _ = scenario_answers(ROOT / "scenarios" / "celibataire_smic_locataire_paris.yaml")
    response = client.post("/simulateur", data={"etat": encode_state(answers), "page": "logement", "action": "retour"})
    assert page_key(response.text) == "foyer"
    assert re.search(r'name="couple" value="non"\s+checked', response.text)


def test_altered_state_is_refused_politely(client):
    response = client.post("/simulateur", data={"etat": "pas-du-base64!", "page": "vous:d"})
    assert response.status_code == 400
    assert "recommencer" in response.text
    assert "Traceback" not in response.text


def test_pages_ask_nothing_from_other_hosts(client):
    html = client.get("/simulateur").text
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<footer")[0])
    assert client.get("/static/site.css").status_code == 200
    assert "Content-Security-Policy" in client.get("/").headers


def test_conditional_question_only_where_it_can_matter():
    """The mutuelle question (Complément Santé Paris) is for elderly or disabled Parisians only."""
    from scenario_files import ROOT, load_scenario

    from simulator.engine import get_engine
    from simulator.household import Household
    from simulator.web.forms.household import household_to_state
    from simulator.web.questionnaire.pages import needed_facts

    catalog = get_engine().catalog

    def needed(name: str) -> set[str]:
        household = Household.model_validate(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
        return needed_facts(catalog, household.logement.depcom, household_to_state(household))

    assert "paris_complementaire_sante_payante" in needed("retraitee_petite_pension")
    assert "paris_complementaire_sante_payante" in needed("adulte_handicape_sans_revenu")
    assert "paris_complementaire_sante_payante" not in needed("celibataire_smic_locataire_paris")
    assert "paris_complementaire_sante_payante" not in needed("etudiant_petit_job")  # not in Paris
