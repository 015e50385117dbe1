"""Issue 16: every request's cost bounded at validation, and bodies that once failed slowly answered fast.

Items 1, 2 and 8 (API side): lists bounded at the schema, error details capped, a cost budget, strict
history amounts and variation bounds, bad UTF-8 and unknown extension keys reported as what they are.
"""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from simulator.api import dependencies
from simulator.api.app import create_app
from simulator.api.cost import check_cost, household_cost
from simulator.api.errors import MAX_DETAILS
from simulator.api.settings import Settings
from simulator.household import MAX_INDIVIDUS, Household

JSON = {"content-type": "application/json"}
FOYER = {"mois": "2026-11", "individus": [{"id": "demandeur", "role": "demandeur", "age": 30}]}
EMPTY_PEOPLE = b"[" + b",".join([b"{}"] * 320_000) + b"]"  # ~960 KB: under the 1 MB body limit


class FakePool:
    """Answers at once: a request that passes validation is not computed here."""

    async def run(self, function, *args):
        return []


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings())
    app.dependency_overrides[dependencies.pool] = lambda: FakePool()
    app.dependency_overrides[dependencies.coalescer] = lambda: None
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.post("/api/v1/simulate", content=b'{"individus": [{}, {}]}', headers=JSON)  # first-call costs
        yield test_client


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/simulate", b'{"individus": ' + EMPTY_PEOPLE + b"}"),
    ("/api/v1/simulate/batch", b'{"foyers": [{"individus": ' + EMPTY_PEOPLE + b"}]}"),
    ("/api/v1/variation", b'{"max": 100, "foyer": {"individus": ' + EMPTY_PEOPLE + b"}}"),
    ("/api/v1/explain/ppa", b'{"individus": ' + EMPTY_PEOPLE + b"}"),
], ids=["simulate", "batch", "variation", "explain"])
def test_320000_empty_people_are_refused_fast_with_a_small_body(client, path, body):
    assert len(body) < 1_000_000
    start = time.perf_counter()
    response = client.post(path, content=body, headers=JSON)
    elapsed = time.perf_counter() - start
    assert response.status_code == 422, response.text[:300]
    assert len(response.content) < 20_000
    assert elapsed < 1.0, f"{elapsed:.2f} s"  # a bound, not a benchmark (11 s before)
    details = response.json()["details"]
    assert any(d["type"] == "trop_de_personnes" and f"au plus {MAX_INDIVIDUS} personnes" in d["message"]
               for d in details)


def test_error_details_are_capped_with_a_french_count(client):
    # 1,000 households of 2 people without id, role or age: 6,000 errors, 50 listed.
    body = {"foyers": [{"individus": [{}, {}]} for _ in range(1000)]}
    response = client.post("/api/v1/simulate/batch", json=body)
    assert response.status_code == 422
    details = response.json()["details"]
    assert len(details) == MAX_DETAILS + 1
    last = details[-1]
    assert last["type"] == "erreurs_non_detaillees" and last["champ"] == "$"
    assert "autres erreurs non détaillées" in last["message"]
    assert len(response.content) < 20_000


def big_family(mois: str = "2026-11") -> dict:
    """20 people: a parent and 19 children born in 19 different months of the 36-month history."""
    children = [{"id": f"enfant_{n}", "role": "enfant", "date_naissance": f"{2025 + n // 12}-{n % 12 + 1:02d}-15"}
                for n in range(19)]
    return {"mois": mois, "individus": [{"id": "demandeur", "role": "demandeur", "age": 40}, *children]}


def test_a_batch_over_the_cost_budget_is_refused_before_any_computation(client):
    assert household_cost(Household.model_validate(big_family())) == 20 * 20
    response = client.post("/api/v1/simulate/batch", json={"foyers": [big_family()] * 60})  # 24,000 > 20,000
    assert response.status_code == 422, response.text[:300]
    detail = response.json()["details"][0]
    assert detail["type"] == "cout_trop_eleve" and detail["champ"] == "$.foyers"
    assert "budget" in detail["message"]


def test_a_variation_over_the_cost_budget_names_its_steps(client):
    response = client.post("/api/v1/variation", json={"foyer": big_family(), "max": 2000, "etapes": 101})
    assert response.status_code == 422, response.text[:300]
    assert response.json()["details"][0] == {
        **response.json()["details"][0], "type": "cout_trop_eleve", "champ": "$.etapes"}


def test_ordinary_requests_fit_the_budget():
    budget = Settings().max_cost
    four = Household.model_validate({"mois": "2026-11", "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 40}, {"id": "conjoint", "role": "conjoint", "age": 38},
        {"id": "e1", "role": "enfant", "age": 8}, {"id": "e2", "role": "enfant", "age": 0}]})
    check_cost([four] * 1000, budget)  # 1,000 families of 4 with a baby: 8,000
    twenty = Household.model_validate({"mois": "2026-11", "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 40},
        *({"id": f"e{n}", "role": "enfant", "age": 5 + n % 10} for n in range(19))]})
    check_cost([twenty] * 1000, budget)  # the largest batch of the largest households without births
    check_cost([Household.model_validate(big_family())], budget, steps=21)


@pytest.mark.parametrize("value", [True, "1250", "1250.5"])
@pytest.mark.parametrize("field", ["revenus_3_derniers_mois", "revenus_12_derniers_mois"])
def test_history_amounts_are_strict(client, field, value):
    person = {"id": "demandeur", "role": "demandeur", "age": 30, field: {"salaire_net": value}}
    response = client.post("/api/v1/simulate", json={**FOYER, "individus": [person]})
    assert response.status_code == 422, response.text[:300]
    assert response.json()["details"][0]["champ"] == f"$.individus[0].{field}.salaire_net"


@pytest.mark.parametrize("bound", ["min", "max"])
@pytest.mark.parametrize("value", [True, "2500"])
def test_variation_bounds_are_strict(client, bound, value):
    body = {"foyer": FOYER, "min": 0, "max": 3000, bound: value}
    response = client.post("/api/v1/variation", json=body)
    assert response.status_code == 422, response.text[:300]
    assert response.json()["details"][0]["champ"] == f"$.{bound}"


def test_bad_utf8_has_its_own_type_and_message(client):
    body = b'{"individus": [{"id": "d\xe9mandeur", "role": "demandeur", "age": 30}]}'
    response = client.post("/api/v1/simulate", content=body, headers=JSON)
    assert response.status_code == 422
    detail = response.json()["details"][0]
    assert detail["type"] == "encodage_invalide"
    assert "UTF-8" in detail["message"] and "nombre" not in detail["message"].lower()


def test_an_unknown_key_is_reported_at_the_key(client):
    person = {"id": "demandeur", "role": "demandeur", "age": 30, "cle_inconnue": 1}
    response = client.post("/api/v1/simulate", json={**FOYER, "individus": [person]})
    assert response.status_code == 422
    assert response.json()["details"][0]["champ"] == "$.individus[0].cle_inconnue"
    logement = client.post("/api/v1/simulate", json={**FOYER, "logement": {"piscine": True}})
    assert logement.json()["details"][0]["champ"] == "$.logement.piscine"
