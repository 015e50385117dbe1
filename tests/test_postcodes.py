"""Postcodes and INSEE commune codes of all of France: the table, the household's rules, the API's answers."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from simulator.api.app import create_app
from simulator.api.settings import Settings
from simulator.household import Household
from simulator.territory import (
    Commune,
    commune_name,
    communes_du_code_postal,
    depcom_from_code_postal,
    is_known_depcom,
    normalize_code,
)
from simulator.web.forms.answers import commune_fields


def foyer(**logement) -> dict:
    return {
        "mois": "2026-11",
        "individus": [{"id": "demandeur", "role": "demandeur", "age": 30, "activite": "actif",
                       "salaire_net": 900.0}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 600.0, "charges_locatives": 50.0,
                     **logement},
    }


def errors(data: dict) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        Household.model_validate(data)
    return caught.value.errors()


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(("code_postal", "depcom", "nom"), [
    ("93100", "93048", "Montreuil"),
    ("69003", "69383", "Lyon 3e Arrondissement"),
    ("13001", "13201", "Marseille 1er Arrondissement"),
    ("75001", "75101", "Paris 1er Arrondissement"),
    ("75016", "75116", "Paris 16e Arrondissement"),
    ("75116", "75116", "Paris 16e Arrondissement"),
    ("20000", "2A004", "Ajaccio"),
    ("97400", "97411", "Saint-Denis"),
])
def test_postcode_of_one_commune(code_postal, depcom, nom):
    assert communes_du_code_postal(code_postal) == [Commune(depcom, nom)]
    assert depcom_from_code_postal(code_postal) == depcom
    assert commune_name(depcom) == nom
    assert Household.model_validate(foyer(code_postal=code_postal)).logement.depcom == depcom


def test_known_commune_codes():
    whole_cities = ["75056", "69123", "13055"]
    arrondissements = ([f"751{n:02d}" for n in range(1, 21)] + [f"6938{n}" for n in range(1, 10)]
                       + [f"132{n:02d}" for n in range(1, 17)])
    assert all(is_known_depcom(code) for code in whole_cities + arrondissements)
    assert not any(is_known_depcom(code) for code in ("75099", "00000", "75121", "69390", "13217", "93100"))
    # The whole cities are communes, but their postcodes belong to their arrondissements.
    assert all(depcom_from_code_postal(code) != "75056" for code in ("75001", "75019"))


def test_shared_postcode_lists_its_communes():
    communes = communes_du_code_postal("77120")
    assert Commune("77131", "Coulommiers") in communes and len(communes) > 1
    assert depcom_from_code_postal("77120") is None
    [error] = errors(foyer(code_postal="77120"))
    assert error["type"] == "code_postal_partage"
    assert error["loc"] == ("logement", "code_postal")
    assert "Le code postal 77120 correspond à plusieurs communes" in error["msg"]
    assert "Coulommiers (77131)" in error["msg"] and "Mouroux (77320)" in error["msg"]
    assert "depcom" in error["msg"]


def test_shared_postcode_with_its_commune():
    household = Household.model_validate(foyer(code_postal="77120", depcom="77131"))
    assert household.logement.depcom == "77131"
    [error] = errors(foyer(code_postal="77120", depcom="93048"))
    assert error["type"] == "commune_incoherente" and "Coulommiers (77131)" in error["msg"]
    [error] = errors(foyer(code_postal="93100", depcom="93066"))
    assert error["type"] == "commune_incoherente" and "Montreuil (93048)" in error["msg"]


@pytest.mark.parametrize("code", ["00000", "75099"])
def test_unknown_codes_are_refused(code):
    [error] = errors(foyer(code_postal=code))
    assert error["type"] == "code_postal_inconnu" and error["loc"] == ("logement", "code_postal")
    assert "n'existe pas" in error["msg"] and "75019" in error["msg"]
    [error] = errors(foyer(depcom=code))
    assert error["type"] == "depcom_inconnu" and error["loc"] == ("logement", "depcom")
    assert "n'existe pas" in error["msg"]


def test_montreuil_postcode_is_not_a_commune_code():
    # 93100 is Montreuil's postcode; as a commune code it was taken for an unknown commune (another zone).
    [error] = errors(foyer(depcom="93100"))
    assert error["type"] == "depcom_inconnu"


def test_four_digits_message_matches_the_question():
    [error] = errors(foyer(code_postal="7501"))
    assert error["type"] == "code_postal"
    assert "5 chiffres" in error["msg"] and "75019 pour Paris 19e" in error["msg"]
    assert "75119" not in error["msg"]


def test_full_width_digits_are_normalised():
    assert normalize_code("７５０１９") == "75019"
    household = Household.model_validate(foyer(code_postal="７５０１９"))
    assert (household.logement.code_postal, household.logement.depcom) == ("75019", "75119")
    assert Household.model_validate(foyer(depcom="７５１１９")).logement.depcom == "75119"
    assert Household.model_validate(foyer(depcom="2a004")).logement.depcom == "2A004"
    # Other scripts' digits are not ASCII digits: refused, not misread.
    assert errors(foyer(code_postal="٧٥٠١٩"))[0]["type"] == "code_postal"


def detail(response, status: int = 422) -> dict:
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert body["erreur"]
    [item] = body["details"]
    return item


def test_api_shared_postcode_is_a_422_listing_the_communes(client):
    item = detail(client.post("/api/v1/simulate", json=foyer(code_postal="77120")))
    assert item["champ"] == "$.logement.code_postal"
    assert item["type"] == "code_postal_partage"
    assert item["message"].startswith("Le code postal 77120 correspond à plusieurs communes : ")
    assert "Coulommiers (77131)" in item["message"] and "Indiquez la commune (champ depcom" in item["message"]


@pytest.mark.parametrize(("field", "code", "kind"), [
    ("code_postal", "00000", "code_postal_inconnu"), ("code_postal", "75099", "code_postal_inconnu"),
    ("depcom", "00000", "depcom_inconnu"), ("depcom", "75099", "depcom_inconnu"),
    ("code_postal", "7501", "code_postal"),
])
def test_api_unknown_codes(client, field, code, kind):
    item = detail(client.post("/api/v1/simulate", json=foyer(**{field: code})))
    assert (item["champ"], item["type"]) == (f"$.logement.{field}", kind)
    assert "n'existe pas" in item["message"] or "5 chiffres" in item["message"]


def aide_logement(client, **logement) -> float:
    response = client.post("/api/v1/simulate", json=foyer(**logement))
    assert response.status_code == 200, response.text[:500]
    [aide] = [a for a in response.json()["aides"] if a["id"] == "aide_logement"]
    return aide["montant"]


def test_api_full_width_postcode(client):
    assert aide_logement(client, code_postal="７５０１９") == aide_logement(client, depcom="75119")


def test_montreuil_by_postcode_or_commune_code_same_housing_aid(client):
    by_postcode = aide_logement(client, code_postal="93100")
    assert by_postcode == aide_logement(client, depcom="93048")
    assert by_postcode > 0


def test_lyon_and_marseille_arrondissements_give_the_whole_city_results(engine):
    # OpenFisca-France maps arrondissements to their city for the housing-aid zone (zone_apl): no mapping is
    # needed on our side. If a rules upgrade breaks this, territory needs a depcom_for_rules.
    def results(depcom: str) -> list:
        result = engine.simulate(Household.model_validate(foyer(depcom=depcom))).model_dump(mode="json")
        return [(a["id"], a["montant"], a["eligible"], a["calculable"]) for a in result["aides"]]

    assert results("69383") == results("69123")
    assert results("13201") == results("13055")


@pytest.mark.parametrize(("typed", "fields"), [
    ("93100", {"code_postal": "93100"}),
    ("77120", {"code_postal": "77120"}),  # shared: the model lists its communes (was read as INSEE 77120)
    ("93048", {"depcom": "93048"}),
    ("2a004", {"depcom": "2A004"}),
    ("7501", {"code_postal": "7501"}),
    ("75099", {"code_postal": "75099"}),
    ("７５０１９", {"code_postal": "75019"}),
])
def test_web_form_reads_a_postcode_first(typed, fields):
    assert commune_fields(typed) == fields


def test_a_shared_postcode_asks_which_commune_in_both_web_forms():
    """77120 serves several communes: the questionnaire and the caseworker form list them, and the
    commune chosen is the one the household is computed for; the answers file gives it back."""
    from simulator.web.common import encode_state
    from simulator.web.forms import one_page as cf
    from simulator.web.forms.household import household_to_state, state_to_household

    state = {"mois": "2026-11", "d.age": "40", "d.activite": "actif", "d.handicap": "non", "couple": "non",
             "nb_enfants": "0"}
    with TestClient(create_app()) as client:
        page = client.post("/simulateur", data={
            "etat": encode_state(state), "page": "logement", "action": "continuer",
            "l.statut": "locataire_vide", "l.commune": "77120"})
        assert page.status_code == 422
        html = unescape(page.text)
        assert "Dans quelle commune habitez-vous ?" in html and 'value="77131"' in html and "Coulommiers" in html
        assert "choisissez la vôtre dans la liste" in html
        chosen = client.post("/simulateur", data={
            "etat": encode_state(state), "page": "logement", "action": "continuer",
            "l.statut": "locataire_vide", "l.commune": "77120", "l.depcom": "77131"})
        assert chosen.status_code == 200 and 'data-page="logement"' not in chosen.text
        caseworker = client.post("/accompagnement", data={**state, "l.statut": "locataire_vide", "l.loyer": "500",
                                                          "l.commune": "77120", "action": "recalculer"})
        assert 'name="l.depcom"' in caseworker.text and "Coulommiers" in unescape(caseworker.text)
    form = cf.from_form({k: [v] for k, v in {**state, "l.statut": "locataire_vide", "l.commune": "77120",
                                             "l.depcom": "77131"}.items()})
    household = state_to_household(form)
    assert (household.logement.code_postal, household.logement.depcom) == ("77120", "77131")
    back = household_to_state(household)
    assert (back["l.commune"], back["l.depcom"]) == ("77120", "77131")
    # Known only by its INSEE code (API, answers file): the form shows a postcode of that commune.
    api = Household.model_validate({"individus": [{"id": "d", "role": "demandeur", "age": 40}],
                                    "logement": {"depcom": "93048"}})
    assert household_to_state(api)["l.commune"] == "93100"


@pytest.mark.parametrize("code", ["00000", "75099"])
def test_unknown_postcodes_are_refused_in_both_web_forms(code):
    """00000 and 75099 look like postcodes but serve no commune: the questionnaire's housing page stays on
    screen (422) with the same French message as the API, and the caseworker page shows it at the field."""
    from simulator.web.common import encode_state

    state = {"mois": "2026-11", "d.age": "40", "d.activite": "actif", "d.handicap": "non", "couple": "non",
             "nb_enfants": "0"}
    with TestClient(create_app()) as client:
        api = client.post("/api/v1/simulate", json={"individus": [{"id": "d", "role": "demandeur", "age": 40}],
                                                     "logement": {"code_postal": code}})
        assert api.status_code == 422
        message = next(d["message"] for d in api.json()["details"] if d["champ"].endswith("code_postal"))
        page = client.post("/simulateur", data={
            "etat": encode_state(state), "page": "logement", "action": "continuer",
            "l.statut": "locataire_vide", "l.commune": code})
        assert page.status_code == 422 and 'data-page="logement"' in page.text
        assert message in unescape(page.text)
        caseworker = client.post("/accompagnement", data={**state, "l.statut": "locataire_vide", "l.loyer": "500",
                                                          "l.commune": code, "action": "recalculer"})
        assert message in unescape(caseworker.text)
