"""Issue 16, item 8: outside /api, 404, 405, 400 and 413 are French HTML pages, never English JSON; a form
with more fields than Starlette parses is a French page, not a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from simulator.api.app import create_app
from simulator.api.settings import Settings


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def assert_french_page(response, status: int) -> str:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "Not Found" not in text and '"detail"' not in text
    assert "Désolé, nous ne pouvons pas continuer" in text
    return text


def test_unknown_page_is_a_french_404_page(client):
    text = assert_french_page(client.get("/page-inconnue"), 404)
    assert "existe pas" in text
    assert_french_page(client.get("/static/inconnu.css"), 404)


def test_wrong_method_is_a_french_405_page(client):
    response = client.delete("/simulateur")
    assert_french_page(response, 405)
    assert "GET" in response.headers.get("allow", "")


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/inconnu")
    assert response.status_code == 404 and response.json()["erreur"]


def test_too_large_and_bad_length_web_bodies_are_french_pages(client):
    text = assert_french_page(client.post("/simulateur", content=b"a=" + b"x" * 1_100_000,
                                          headers={"content-type": "application/x-www-form-urlencoded"}), 413)
    assert "volumineuses" in text
    bad = client.post("/simulateur", content=b"a=1", headers={
        "content-type": "application/x-www-form-urlencoded", "content-length": "abc"})
    assert_french_page(bad, 400)


FIELDS = "&".join(f"champ_{n}=x" for n in range(1100))
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("path", ["/accompagnement", "/accompagnement/resultats", "/accompagnement/variation"])
def test_a_form_with_1100_fields_on_the_caseworker_pages_is_not_a_500(client, path):
    response = client.post(path, content=FIELDS, headers=FORM)
    assert response.status_code in (400, 413), response.status_code
    assert response.headers["content-type"].startswith("text/html")
    assert "Erreur" in response.text or "erreur" in response.text


def test_a_form_with_1100_fields_on_the_questionnaire_is_a_french_413_page(client):
    text = assert_french_page(client.post("/simulateur", content=FIELDS, headers=FORM), 413)
    assert "trop de champs" in text


# As tests/web/test_caseworker.py: a parent alone with two children, HLM tenant in Paris 20e.
ANSWERS = {
    "couple": "non", "nb_enfants": "2",
    "d.age": "36", "d.activite": "actif", "d.handicap": "non", "d.salaire_net": "900",
    "e1.naissance_mois": "5", "e1.naissance_annee": "2022", "e1.scolarite": "maternelle", "e1.garde_alternee": "non",
    "e1.handicap": "non",
    "e2.naissance_mois": "5", "e2.naissance_annee": "2014", "e2.scolarite": "college", "e2.garde_alternee": "non",
    "e2.handicap": "non",
    "l.statut": "locataire_hlm", "l.loyer": "520", "l.charges": "80", "l.commune": "75020", "x.parisien": "oui",
    "mois": "2026-11",
}


class BusyPool:
    """Every calculation finds the pool full, as under load."""

    async def run(self, function, *args):
        from simulator.api.errors import ServiceBusy

        raise ServiceBusy("Le simulateur est momentanément surchargé : réessayez dans quelques instants.", 7)


@pytest.mark.parametrize("path", ["/accompagnement/detail/ppa", "/accompagnement/variation"])
def test_a_busy_pool_on_a_caseworker_page_is_a_503_page_with_retry_after(path, caplog):
    from simulator.api import dependencies

    app = create_app(Settings())
    app.dependency_overrides[dependencies.pool] = lambda: BusyPool()
    app.dependency_overrides[dependencies.coalescer] = lambda: None
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(path, data={**ANSWERS, "v.max": "2000"})
    assert response.status_code == 503, response.status_code
    assert response.headers["retry-after"] == "7"
    assert response.headers["content-type"].startswith("text/html")
    assert "surchargé" in response.text
    assert any(r.levelname == "WARNING" and "occupé" in r.getMessage() for r in caplog.records)
