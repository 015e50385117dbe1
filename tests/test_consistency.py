"""Checks across the people of a household: the same French message on the same field through the model,
the API (422, `champ`, `message`), the caseworker page and the guided questionnaire."""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from random_households import random_household  # noqa: E402
from scenario_files import SCENARIOS, load_scenario  # noqa: E402

from simulator.api.app import create_app  # noqa: E402
from simulator.api.settings import Settings  # noqa: E402
from simulator.household import Household  # noqa: E402
from simulator.web.common import encode_state  # noqa: E402

ENFANT_40_ANS = ("Un enfant doit avoir au moins 12 ans de moins que chacun de ses parents : "
                 "l'enfant n° 2 a 40 ans, le demandeur 31 ans.")
CONJOINT_TROP_JEUNE = "Le conjoint doit avoir au moins 16 ans."
DEMANDEUR_TROP_JEUNE = "La personne qui demande doit avoir au moins 16 ans."
NE_APRES_LE_MOIS = ("La date de naissance doit être au plus tard dans le mois simulé (novembre 2026) : "
                    "une personne née après n'existe pas encore ce mois-là.")


def sans_enfant(article_label: str) -> str:
    return f"Vous indiquez recevoir {article_label} mais le foyer n'a pas d'enfant à charge : vérifiez ce montant."


AEEH_SANS_ENFANT = sans_enfant("l'allocation d'éducation de l'enfant handicapé (AEEH)")
AEEH_SANS_ENFANT_DE_MOINS_DE_20_ANS = (
    "Vous indiquez recevoir l'allocation d'éducation de l'enfant handicapé (AEEH) mais le foyer n'a pas "
    "d'enfant de moins de 20 ans : vérifiez ce montant.")
PAJE_SANS_ENFANT_DE_MOINS_DE_3_ANS = (
    "Vous indiquez recevoir l'allocation de base de la PAJE mais le foyer n'a pas d'enfant de moins de 3 ans : "
    "vérifiez ce montant.")


def demandeur(age=31, **kw):
    return {"id": "demandeur", "role": "demandeur", "age": age, **kw}


def conjoint(age=33, **kw):
    return {"id": "conjoint", "role": "conjoint", "age": age, **kw}


def enfant(n, age=None, **kw):
    person = {"id": f"enfant_{n}", "role": "enfant", **kw}
    if age is not None:
        person["age"] = age
    return person


def foyer(*individus, mois="2026-11"):
    return {"mois": mois, "individus": list(individus)}


PARENT_31_ENFANT_40 = foyer(demandeur(31), enfant(1, 5), enfant(2, 40))

# (household, [(location, message)]): every error, in order.
INCOHERENTS = {
    "enfant_de_40_ans_d_un_parent_de_31": (PARENT_31_ENFANT_40, [(("individus", 2, "age"), ENFANT_40_ANS)]),
    "enfant_trop_proche_des_deux_parents": (
        foyer(demandeur(31), conjoint(28), enfant(1, 20)),
        [(("individus", 2, "age"), "Un enfant doit avoir au moins 12 ans de moins que chacun de ses parents : "
                                   "l'enfant n° 1 a 20 ans, le demandeur 31 ans et le conjoint 28 ans.")]),
    "enfant_trop_proche_du_conjoint_seulement": (
        foyer(demandeur(45), conjoint(20), enfant(1, 9)),
        [(("individus", 2, "age"), "Un enfant doit avoir au moins 12 ans de moins que chacun de ses parents : "
                                   "l'enfant n° 1 a 9 ans, le conjoint 20 ans.")]),
    "enfant_ne_a_une_date_trop_proche_du_parent": (  # ages from the dates of birth, on the simulated month
        foyer(demandeur(None, date_naissance="1995-06-01"), enfant(1, date_naissance="2006-01-15")),
        [(("individus", 1, "date_naissance"), "Un enfant doit avoir au moins 12 ans de moins que chacun de ses "
                                              "parents : l'enfant n° 1 a 20 ans, le demandeur 31 ans.")]),
    "conjoint_de_9_ans": (foyer(demandeur(30), conjoint(9)), [(("individus", 1, "age"), CONJOINT_TROP_JEUNE)]),
    "conjoint_de_15_ans_le_mois_simule": (  # 16 today, 15 in the simulated month
        foyer(demandeur(30), conjoint(None, date_naissance="2010-11-20")),
        [(("individus", 1, "date_naissance"), CONJOINT_TROP_JEUNE)]),
    "demandeur_de_12_ans": (foyer(demandeur(12)), [(("individus", 0, "age"), DEMANDEUR_TROP_JEUNE)]),
    "enfant_ne_apres_le_mois_simule": (
        foyer(demandeur(30), enfant(1, date_naissance="2026-12-01")),
        [(("individus", 1, "date_naissance"), NE_APRES_LE_MOIS)]),
    "af_sans_enfant": (foyer(demandeur(30, af=140.0)),
                       [(("individus", 0, "af"), sans_enfant("les allocations familiales"))]),
    "cf_sans_enfant": (foyer(demandeur(30, cf=180.0)),
                       [(("individus", 0, "cf"), sans_enfant("le complément familial"))]),
    "asf_sans_enfant": (foyer(demandeur(30, asf=199.0)),
                        [(("individus", 0, "asf"), sans_enfant("l'allocation de soutien familial (ASF)"))]),
    "paje_sans_enfant": (foyer(demandeur(30, paje_base=190.0)),
                         [(("individus", 0, "paje_base"), sans_enfant("l'allocation de base de la PAJE"))]),
    "aeeh_sans_enfant": (foyer(demandeur(30, aeeh=150.0)), [(("individus", 0, "aeeh"), AEEH_SANS_ENFANT)]),
    "paje_sans_enfant_de_moins_de_3_ans": (
        foyer(demandeur(30, paje_base=190.0), enfant(1, 4)),
        [(("individus", 0, "paje_base"), PAJE_SANS_ENFANT_DE_MOINS_DE_3_ANS)]),
    "aeeh_sans_enfant_de_moins_de_20_ans": (
        foyer(demandeur(50, aeeh=150.0), enfant(1, 21, handicap=True, taux_incapacite=0.8)),
        [(("individus", 0, "aeeh"), AEEH_SANS_ENFANT_DE_MOINS_DE_20_ANS)]),
    "aide_declaree_sur_un_enfant": (
        foyer(demandeur(40), enfant(1, 6, af=140.0)),
        [(("individus", 1, "af"), "Vous indiquez que l'enfant n° 1 reçoit les allocations familiales : une aide "
                                  "déjà reçue se déclare sur le demandeur (ou son conjoint), pas sur un enfant.")]),
    "un_conjoint_refuse_seul_fait_attendre_le_foyer": (
        foyer(demandeur(31, aeeh=150.0, cf=100.0), conjoint(15), enfant(1, 40)),
        [(("individus", 1, "age"), CONJOINT_TROP_JEUNE)]),  # a person refused alone: the household waits
    "plusieurs_incoherences_a_la_fois": (
        foyer(demandeur(31, paje_base=190.0, aeeh=150.0), enfant(1, 40), enfant(2, 25)),
        [(("individus", 1, "age"), "Un enfant doit avoir au moins 12 ans de moins que chacun de ses parents : "
                                   "l'enfant n° 1 a 40 ans, le demandeur 31 ans."),
         (("individus", 2, "age"), "Un enfant doit avoir au moins 12 ans de moins que chacun de ses parents : "
                                   "l'enfant n° 2 a 25 ans, le demandeur 31 ans."),
         (("individus", 0, "paje_base"), PAJE_SANS_ENFANT_DE_MOINS_DE_3_ANS),
         (("individus", 0, "aeeh"), AEEH_SANS_ENFANT_DE_MOINS_DE_20_ANS)]),
}

COHERENTS = {
    "enfant_12_ans_de_moins": foyer(demandeur(31), conjoint(30), enfant(1, 18)),
    "prestations_a_zero_sans_enfant": foyer(demandeur(30, af=0.0, cf=0.0, asf=0.0, paje_base=0.0, aeeh=0.0)),
    "prestations_a_zero_sur_un_enfant": foyer(demandeur(30), enfant(1, 4, af=0.0, aah=0.0)),
    "ne_pendant_le_mois_simule": foyer(demandeur(30, paje_base=190.0), enfant(1, date_naissance="2026-11-30")),
    "paje_avec_un_bebe": foyer(demandeur(30, paje_base=190.0, af=140.0), enfant(1, 2), enfant(2, 7)),
    "aeeh_avec_un_enfant_de_19_ans": foyer(demandeur(50, aeeh=150.0), enfant(1, 19, handicap=True)),
    "asf_parent_isole": foyer(demandeur(30, asf=199.0), enfant(1, 8)),
}


def errors_of(data) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as raised:
        Household.model_validate(data)
    return [(error["loc"], error["msg"]) for error in raised.value.errors()]


@pytest.mark.parametrize("name", INCOHERENTS)
def test_model_refuses_with_the_field_and_a_french_message(name):
    data, expected = INCOHERENTS[name]
    assert errors_of(data) == expected


@pytest.mark.parametrize("name", COHERENTS)
def test_model_accepts_consistent_households(name):
    Household.model_validate(COHERENTS[name])


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenarios_are_consistent(path):
    Household.model_validate(load_scenario(path))


def test_random_households_are_consistent():
    for seed in range(300):
        Household.model_validate(random_household(seed))


def test_other_errors_are_kept_when_a_partner_is_too_young():
    data = foyer(demandeur(30), conjoint(9), enfant(1, "sept"), enfant(2, 130))
    assert errors_of(data) == [(("individus", 1, "age"), CONJOINT_TROP_JEUNE),
                               (("individus", 2, "age"), "Input should be a valid integer"),
                               (("individus", 3, "age"), "L'âge doit être compris entre 0 et 120 ans.")]


# --- API -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api():
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def champ(location: tuple, prefix: str = "$") -> str:
    return prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in location)


@pytest.mark.parametrize("name", INCOHERENTS)
def test_api_answers_422_with_the_field_and_the_message(api, name):
    data, expected = INCOHERENTS[name]
    response = api.post("/api/v1/simulate", json=data)
    assert response.status_code == 422, response.text[:300]
    details = response.json()["details"]
    assert [(d["champ"], d["message"]) for d in details] == [(champ(loc), message) for loc, message in expected]


def test_api_batch_names_the_household(api):
    body = {"foyers": [foyer(demandeur(30)), PARENT_31_ENFANT_40]}
    response = api.post("/api/v1/simulate/batch", json=body)
    assert response.status_code == 422
    assert [(d["champ"], d["message"]) for d in response.json()["details"]] == [
        ("$.foyers[1].individus[2].age", ENFANT_40_ANS)]


# --- Web forms -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(engine):
    with TestClient(create_app()) as test_client:
        yield test_client


def message_beside(html: str, field_id: str) -> str | None:
    """The error shown next to a form control (its `…-erreur` paragraph)."""
    match = re.search(rf'<p (?:class="message-erreur" )?id="{field_id}-erreur"(?: class="message-erreur")?>'
                      r'<span class="visuellement-cache">Erreur :</span>\s*(.*?)</p>', html, re.S)
    return unescape(match.group(1)).strip() if match else None


def born(prefix: str, age: str) -> dict[str, str]:
    """A child's month and year of birth in the forms, `age` years old in November 2026 ("" = not given)."""
    year = str(2026 - int(age)) if age else ""
    return {f"{prefix}.naissance_mois": "5" if age else "", f"{prefix}.naissance_annee": year}


CASEWORKER = {"couple": "non", "nb_enfants": "2", "d.age": "31", "d.activite": "actif", "d.salaire_net": "1200",
              **born("e1", "5"), **born("e2", "40"), "l.statut": "proprietaire", "l.commune": "69123",
              "mois": "2026-11"}


def caseworker_page(web, answers: dict[str, str]):
    return web.post("/accompagnement", data={**answers, "action": "recalculer"})


def test_caseworker_page_shows_the_40_year_old_child_refused(web):
    response = caseworker_page(web, CASEWORKER)
    assert message_beside(response.text, "f-e2-naissance_mois") == ENFANT_40_ANS
    assert 'href=\"#f-e2-naissance_mois\"' in response.text
    fragment = web.post("/accompagnement/resultats", data=CASEWORKER)
    assert fragment.status_code == 422
    assert 'href=\"#f-e2-naissance_mois\"' in fragment.text and ENFANT_40_ANS in unescape(fragment.text)
    assert "data-aide=" not in fragment.text  # no results for a household that cannot be


@pytest.mark.parametrize(("answers", "field", "message"), [
    ({"couple": "oui", "c.age": "15", "nb_enfants": "0", **born("e1", ""), **born("e2", "")}, "f-c-age",
     CONJOINT_TROP_JEUNE),
    ({"nb_enfants": "0", **born("e1", ""), **born("e2", ""), "d.p.aeeh": "150"}, "f-d-p-aeeh", AEEH_SANS_ENFANT),
    ({"nb_enfants": "0", **born("e1", ""), **born("e2", ""), "d.p.af": "140", "d.p.cf": "0"}, "f-d-p-af",
     sans_enfant("les allocations familiales")),
    ({**born("e2", "8"), "d.p.paje_base": "190"}, "f-d-p-paje_base", PAJE_SANS_ENFANT_DE_MOINS_DE_3_ANS),
])
def test_caseworker_page_shows_each_check_beside_its_field(web, answers, field, message):
    response = caseworker_page(web, {**CASEWORKER, **answers})
    assert message_beside(response.text, field) == message


def test_caseworker_page_accepts_benefits_left_at_zero(web):
    answers = {**CASEWORKER, "nb_enfants": "0", **born("e1", ""), **born("e2", ""), "d.p.af": "0", "d.p.aeeh": "0"}
    response = web.post("/accompagnement/resultats", data=answers)
    assert response.status_code == 200 and "data-aide=" in response.text


QUESTIONNAIRE = {"d.age": "31", "d.activite": "actif", "d.handicap": "non", "couple": "non", "nb_enfants": "2",
                 "mois": "2026-11"}
CHILD = {"scolarite": "primaire", "garde_alternee": "non", "handicap": "non"}


def child_page(web, state: dict[str, str], prefix: str, age: str):
    fields = {**born(prefix, age), **{f"{prefix}.{k}": v for k, v in CHILD.items()}}
    return web.post("/simulateur", data={"etat": encode_state(state), "page": f"enfant:{prefix}",
                                         "action": "continuer", **fields})


def test_questionnaire_refuses_a_40_year_old_child_on_its_page(web):
    state = {**QUESTIONNAIRE, **born("e1", "5"), **{f"e1.{k}": v for k, v in CHILD.items()}}
    response = child_page(web, state, "e2", "40")
    assert response.status_code == 422
    assert message_beside(response.text, "f-e2-naissance_mois") == ENFANT_40_ANS
    assert 'href=\"#f-e2-naissance_mois\"' in response.text


def test_questionnaire_refuses_the_first_child_before_the_second_is_asked(web):
    response = child_page(web, QUESTIONNAIRE, "e1", "40")
    assert response.status_code == 422
    assert message_beside(response.text, "f-e1-naissance_mois") == ENFANT_40_ANS.replace("n° 2", "n° 1")
    accepted = child_page(web, QUESTIONNAIRE, "e1", "19")
    assert accepted.status_code == 200 and 'data-page="enfant:e2"' in accepted.text


def test_questionnaire_refuses_a_partner_under_16_naming_the_partner(web):
    state = {**QUESTIONNAIRE, "couple": "oui", "nb_enfants": "0"}
    response = web.post("/simulateur", data={
        "etat": encode_state(state), "page": "conjoint:c", "action": "continuer", "c.age": "15",
        "c.statut_marital": "concubin", "c.activite": "etudiant", "c.handicap": "non"})
    assert response.status_code == 422
    assert message_beside(response.text, "f-c-age") == CONJOINT_TROP_JEUNE


def test_questionnaire_refuses_aeeh_without_a_child_under_20_on_the_benefit(web):
    state = {"d.age": "50", "d.activite": "actif", "d.handicap": "non", "couple": "non", "nb_enfants": "1",
             **born("e1", "21"), "e1.scolarite": "inconnue", "e1.garde_alternee": "non", "e1.handicap": "oui",
             "e1.taux": "0.8", "l.statut": "proprietaire", "l.commune": "69123", "d.revenus": "salaire_net",
             "d.salaire_net": "1500", "mois": "2026-11"}
    response = web.post("/simulateur", data={"etat": encode_state(state), "page": "prestations",
                                             "action": "continuer", "d.prestations": "aeeh", "d.p.aeeh": "150"})
    assert response.status_code == 422, response.text[:300]
    assert message_beside(response.text, "f-d-p-aeeh") == AEEH_SANS_ENFANT_DE_MOINS_DE_20_ANS


def test_questionnaire_results_send_back_to_the_inconsistent_page(web):
    """Answers that skipped the pages' checks (an altered state): the results page is not computed."""
    state = {**QUESTIONNAIRE, **born("e1", "40"), **{f"e1.{k}": v for k, v in CHILD.items()},
             **born("e2", "5"), **{f"e2.{k}": v for k, v in CHILD.items()},
             "l.statut": "proprietaire", "l.commune": "69123", "d.revenus": "salaire_net", "d.salaire_net": "1500",
             "d.prestations": ""}
    response = web.post("/simulateur", data={"etat": encode_state(state), "page": "recapitulatif",
                                             "action": "resultats"})
    assert response.status_code == 422
    assert 'data-page="enfant:e1"' in response.text
    assert message_beside(response.text, "f-e1-naissance_mois") == ENFANT_40_ANS.replace("n° 2", "n° 1")
