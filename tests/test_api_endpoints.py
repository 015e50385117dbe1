"""Each endpoint of the API, with amounts checked against the engine's own result for the same household."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from simulator.api.app import create_app
from simulator.api.settings import Settings
from simulator.household import Household
from simulator.services.variation import VariationPoint, cliffs, household_at

FAMILLE = {
    "mois": "2026-11",
    "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 34, "activite": "actif", "salaire_net": 1250.0},
        {"id": "enfant_1", "role": "enfant", "age": 7},
    ],
    "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 820.0, "charges_locatives": 60.0,
                 "depcom": "75119"},
}
RETRAITE = {
    "mois": "2026-11",
    "individus": [{"id": "demandeur", "role": "demandeur", "age": 70, "activite": "retraite",
                   "retraite_nette": 700.0}],
    "logement": {"statut_occupation_logement": "locataire_hlm", "loyer": 420.0, "depcom": "75120"},
}
SANS_REVENU = {
    "mois": "2026-11",
    "individus": [{"id": "demandeur", "role": "demandeur", "age": 40, "activite": "inactif"}],
    "logement": {"statut_occupation_logement": "loge_gratuitement", "depcom": "75111"},
}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def amounts(result: dict) -> dict:
    return {aide["id"]: (aide["montant"], aide["eligible"], aide["calculable"]) for aide in result["aides"]}


def engine_amounts(engine, household: dict) -> dict:
    return amounts(engine.simulate(Household.model_validate(household)).model_dump(mode="json"))


def test_simulate_matches_engine(client, engine):
    response = client.post("/api/v1/simulate", json=FAMILLE)
    assert response.status_code == 200
    body = response.json()
    assert body["mois"] == "2026-11"
    assert amounts(body) == engine_amounts(engine, FAMILLE)
    assert any(aide["eligible"] and aide["montant"] for aide in body["aides"])
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers


def test_batch_keeps_order_and_matches_engine(client, engine):
    foyers = [FAMILLE, RETRAITE, SANS_REVENU, FAMILLE]
    response = client.post("/api/v1/simulate/batch", json={"foyers": foyers})
    assert response.status_code == 200
    resultats = response.json()["resultats"]
    assert len(resultats) == 4
    expected = engine.simulate_many([Household.model_validate(f) for f in foyers])
    for got, want in zip(resultats, expected, strict=True):
        assert amounts(got) == amounts(want.model_dump(mode="json"))
    assert amounts(resultats[0]) == amounts(resultats[3])
    assert amounts(resultats[1]) == engine_amounts(engine, RETRAITE)
    assert amounts(resultats[0]) != amounts(resultats[1])
    assert response.headers["cache-control"] == "no-store"


def test_batch_error_names_the_household(client):
    bad = {**RETRAITE, "individus": [{"id": "demandeur", "role": "demandeur", "age": 130}]}
    response = client.post("/api/v1/simulate/batch", json={"foyers": [FAMILLE, FAMILLE, FAMILLE, bad]})
    assert response.status_code == 422
    details = response.json()["details"]
    assert details[0]["champ"] == "$.foyers[3].individus[0].age"
    assert "âge" in details[0]["message"]


def test_batch_bounds(client):
    assert client.post("/api/v1/simulate/batch", json={"foyers": []}).status_code == 422
    tiny = {"individus": [{"id": "demandeur", "role": "demandeur", "age": 30}]}
    response = client.post("/api/v1/simulate/batch", json={"foyers": [tiny] * 1001})
    assert response.status_code == 422
    assert response.json()["details"][0]["champ"] == "$.foyers"
    assert "1000" in response.json()["details"][0]["message"]


def test_variation_matches_engine(client, engine):
    response = client.post("/api/v1/variation", json={
        "foyer": FAMILLE, "individu": "demandeur", "ressource": "salaire_net", "min": 0, "max": 2000, "etapes": 3})
    assert response.status_code == 200
    body = response.json()
    assert [p["valeur"] for p in body["points"]] == [0.0, 1000.0, 2000.0]
    household = Household.model_validate(FAMILLE)
    for point in body["points"]:
        varied = household_at(household, "demandeur", "salaire_net", point["valeur"])
        result = engine.simulate(varied)
        want = {a.id: round(a.montant_mensuel, 2) for a in result.aides if a.type == "montant" and a.sens == "verse"}
        assert point["aides"] == pytest.approx(want, abs=0.011)
        assert point["ressources"] == point["valeur"]
        assert point["revenu_disponible"] == pytest.approx(point["ressources"] + point["total_aides"], abs=0.011)
        assert point["total_aides"] == pytest.approx(sum(point["aides"].values()), abs=0.011)
    assert isinstance(body["falaises"], list)
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("change", "field"), [
    ({"etapes": 1}, "$.etapes"),
    ({"etapes": 102}, "$.etapes"),
    ({"min": 2000, "max": 1000}, "$"),
    ({"min": -5}, "$.min"),
    ({"individu": "personne"}, "$"),
    ({"ressource": "salaire_brut"}, "$.ressource"),
])
def test_variation_refuses_bad_requests(client, change, field):
    demande = {"foyer": FAMILLE, "individu": "demandeur", "ressource": "salaire_net", "min": 0, "max": 2000,
               "etapes": 5, **change}
    response = client.post("/api/v1/variation", json=demande)
    assert response.status_code == 422
    assert response.json()["details"][0]["champ"] == field


def point(value: float, revenu: float, aides: dict) -> VariationPoint:
    return VariationPoint(valeur=value, aides=aides, total_aides=sum(aides.values()), ressources=value,
                          revenu_disponible=revenu)


def test_cliffs_are_steps_where_earning_more_lowers_income():
    points = [point(0, 1000, {"rsa": 1000}), point(100, 1050, {"rsa": 950}), point(200, 900, {"rsa": 0, "ppa": 700}),
              point(300, 1000, {"rsa": 0, "ppa": 700})]
    found = cliffs(points)
    assert len(found) == 1
    assert (found[0].de, found[0].a, found[0].perte) == (100, 200, 150)
    assert found[0].aides_en_baisse == ["rsa"]


def test_explain_tree_matches_the_amount(client, engine):
    # The handicap answered: left out, it changes the prime d'activité (at 80 %, AAH), not calculable.
    famille = {**FAMILLE, "individus": [{**FAMILLE["individus"][0], "handicap": False}, *FAMILLE["individus"][1:]]}
    response = client.post("/api/v1/explain/ppa", json=famille)
    assert response.status_code == 200
    body = response.json()
    result = engine.simulate(Household.model_validate(famille)).aide("ppa")
    assert result.montant > 0
    root = body["arbre"]
    assert root["variable"] == "ppa" and root["periode"] == "2026-11"
    assert root["valeur"] == pytest.approx(result.montant, abs=0.01)
    assert root["label"]
    assert root["enfants"], "the tree shows what the amount was computed from"
    assert body["noeuds"] <= 200 < body["noeuds_trace"]

    def walk(node, depth=0):
        yield node, depth
        for child in node["enfants"]:
            yield from walk(child, depth + 1)

    nodes = list(walk(root))
    assert len(nodes) == body["noeuds"]
    assert max(depth for _, depth in nodes) <= 4
    assert any(node["nature"] == "parametre" for node, _ in nodes)
    assert all(node["label"] for node, _ in nodes if node["nature"] == "variable")
    assert response.headers["cache-control"] == "no-store"


def test_explain_a_family_with_a_baby(client, engine):
    """The households before a birth (past months' sources) stay out of the traced simulation."""
    famille = {**FAMILLE, "individus": [*FAMILLE["individus"], {"id": "bebe", "role": "enfant", "age": 0}]}
    result = engine.simulate(Household.model_validate(famille)).aide("paje_base")
    assert result.montant > 0
    root = client.post("/api/v1/explain/paje_base", json=famille).json()["arbre"]
    assert root["valeur"] == pytest.approx(result.montant, abs=0.01)


def test_explain_bounds_and_unknown_benefit(client):
    small = client.post("/api/v1/explain/rsa?profondeur=1&max_noeuds=5", json=SANS_REVENU)
    assert small.status_code == 200
    assert small.json()["noeuds"] <= 5
    assert all(not child["enfants"] for child in small.json()["arbre"]["enfants"])
    unknown = client.post("/api/v1/explain/aide_imaginaire", json=FAMILLE)
    assert unknown.status_code == 404
    assert unknown.json()["erreur"] == "Aide inconnue : aide_imaginaire"
    assert client.post("/api/v1/explain/rsa?profondeur=0", json=FAMILLE).status_code == 422


def test_catalog_and_health(client, engine):
    aides = client.get("/api/v1/aides")
    assert aides.status_code == 200
    assert [a["id"] for a in aides.json()] == [b.id for b in engine.catalog]
    rsa = client.get("/api/v1/aides/rsa")
    assert rsa.status_code == 200 and rsa.json()["id"] == "rsa"
    missing = client.get("/api/v1/aides/inconnue")
    assert missing.status_code == 404 and "inconnue" in missing.json()["erreur"]
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["aides"] == len(engine.catalog)


def test_docs_page_uses_local_assets_only(client):
    page = client.get("/docs")
    assert page.status_code == 200
    references = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page.text)
    assert references, "the page loads Swagger UI"
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
        assert client.get(reference).status_code == 200, reference
    assert not re.search(r"https?://", page.text)
    assert "<script>" not in page.text, "no inline script: the CSP forbids them"
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "cdn" not in csp
    assert client.get("/redoc").status_code == 404


def test_openapi_documents_every_endpoint_with_examples(client):
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/simulate", "/api/v1/simulate/batch", "/api/v1/variation", "/api/v1/explain/{aide_id}",
                 "/api/v1/aides", "/api/v1/aides/{aide_id}", "/api/v1/health"):
        assert path in paths, path
    components = schema["components"]["schemas"]
    for name in ("Household", "Lot", "DemandeVariation"):
        assert components[name].get("examples"), name
    for path in ("/api/v1/simulate", "/api/v1/variation", "/api/v1/explain/{aide_id}"):
        assert "422" in paths[path]["post"]["responses"]
