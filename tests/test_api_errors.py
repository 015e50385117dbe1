"""Every error class of the API: statuses, French bodies, headers; never a 500 for what a client sends."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from simulator.api import dependencies
from simulator.api.app import create_app
from simulator.api.middleware import TokenBuckets, json_depth
from simulator.api.settings import Settings
from simulator.results import SimulationResult

FOYER = {"mois": "2026-11", "individus": [{"id": "demandeur", "role": "demandeur", "age": 30}]}
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as test_client:
        yield test_client


def assert_french_error(response, status: int) -> dict:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["erreur"], str) and body["erreur"]
    assert isinstance(body["details"], list)
    return body


@pytest.mark.parametrize("body", [
    b'{"mois": "2026-11", "individus": [',
    b"not json at all",
    b'{"mois": "2026-11",}',
    b"\xff\xfe\x00garbage",
])
def test_malformed_json_is_422(client, body):
    details = assert_french_error(client.post("/api/v1/simulate", content=body, headers=JSON), 422)["details"]
    assert details[0]["type"] == "json_invalid"
    assert details[0]["champ"] == "$"
    assert "JSON" in details[0]["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data", "application/xml", ""])
def test_non_json_body_is_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/v1/simulate", content=b'{"individus": []}', headers=headers)
    assert "Content-Type" in assert_french_error(response, 415)["erreur"]


def test_real_form_body_is_415(client):
    response = client.post("/api/v1/simulate", content=b"age=34&salaire=1200",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert "Content-Type" in assert_french_error(response, 415)["erreur"]


def test_curl_default_content_type_with_json_is_read_as_json(client):
    """`curl -X POST .../simulate -d @household.json` labels the JSON as a form: it is simulated."""
    body = json.dumps({"mois": "2026-11", "individus": [{"id": "d", "role": "demandeur", "age": 30,
                                                            "salaire_net": 1000.0}]}).encode()
    response = client.post("/api/v1/simulate", content=body,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert {a["id"] for a in response.json()["aides"]} >= {"rsa", "ppa"}
    invalid = client.post("/api/v1/simulate", content=b'{"individus": []}',
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert invalid.status_code == 422


def test_json_with_charset_is_accepted(client):
    response = client.post("/api/v1/simulate", content=b'{"individus": []}',
                           headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 422  # reaches validation: an empty household


def test_unknown_fields_are_named(client):
    response = client.post("/api/v1/simulate", json={**FOYER, "inconnu": 1})
    details = assert_french_error(response, 422)["details"]
    assert details[0]["champ"] == "$.inconnu"
    assert details[0]["message"] == "Champ inconnu."
    person = {**FOYER["individus"][0], "pointure": 42}
    response = client.post("/api/v1/simulate", json={**FOYER, "individus": [person]})
    details = assert_french_error(response, 422)["details"]
    assert details[0]["champ"] == "$.individus[0].pointure"  # at the key (issue 16)
    assert "pointure" in details[0]["message"]


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e400", b"1" + b"0" * 30,
                                    b"9" * 5000])
def test_nan_infinity_and_huge_numbers_are_422(client, number):
    body = b'{"individus": [{"id": "demandeur", "role": "demandeur", "age": 30, "salaire_net": ' + number + b"}]}"
    details = assert_french_error(client.post("/api/v1/simulate", content=body, headers=JSON), 422)["details"]
    assert details[0]["type"] == "nombre_invalide"


@pytest.mark.parametrize(("field", "value"), [("salaire_net", 1e300), ("age", 10**15), ("salaire_net", -1),
                                               ("age", "trente"), ("age", 12.5)])
def test_out_of_range_values_are_422_with_path(client, field, value):
    person = {**FOYER["individus"][0], field: value}
    response = client.post("/api/v1/simulate", json={**FOYER, "individus": [person]})
    details = assert_french_error(response, 422)["details"]
    assert details[0]["champ"] == f"$.individus[0].{field}"


def test_deep_nesting_is_422(client):
    body = b'{"individus": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    details = assert_french_error(client.post("/api/v1/simulate", content=body, headers=JSON), 422)["details"]
    assert details[0]["type"] == "profondeur"
    assert json_depth(b'{"a": "[[[[[[[[", "b": [{"c": 1}]}') == 3


def test_body_over_one_megabyte_is_413(client):
    body = b'{"individus": [], "x": "' + b"a" * 1_100_000 + b'"}'
    response = client.post("/api/v1/simulate", content=body, headers=JSON)
    assert "1000 ko" in assert_french_error(response, 413)["erreur"]


def test_chunked_body_over_one_megabyte_is_413(client):
    def chunks():
        yield b'{"individus": [], "x": "'
        for _ in range(12):
            yield b"a" * 100_000
        yield b'"}'

    response = client.post("/api/v1/simulate", content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    assert_french_error(response, 413)


def test_lying_content_length_is_refused(client):
    response = client.post("/api/v1/simulate", content=b"{}", headers={**JSON, "content-length": "abc"})
    assert response.status_code in (400, 422)


def test_not_found_and_wrong_method(client):
    assert "inconnue" in assert_french_error(client.get("/api/v1/inexistant"), 404)["erreur"]
    assert "Méthode" in assert_french_error(client.get("/api/v1/simulate"), 405)["erreur"]
    assert_french_error(client.put("/api/v1/aides", json={}), 405)
    assert_french_error(client.post("/api/v1/health", json={}), 405)


def test_security_headers_everywhere(client):
    for response in (client.get("/api/v1/health"), client.get("/"), client.get("/api/v1/inexistant"),
                     client.post("/api/v1/simulate", content=b"x", headers=JSON)):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and csp.endswith("frame-ancestors 'self'")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "set-cookie" not in response.headers
    assert client.post("/api/v1/simulate", content=b"x", headers=JSON).headers["cache-control"] == "no-store"


def test_frame_ancestors_from_environment(monkeypatch):
    monkeypatch.setenv("SIMULATOR_FRAME_ANCESTORS", "'self' https://partenaire.example.org")
    with TestClient(create_app()) as client:
        csp = client.get("/api/v1/health").headers["content-security-policy"]
    assert "frame-ancestors 'self' https://partenaire.example.org" in csp


def test_cors_without_credentials(client):
    preflight = client.options("/api/v1/simulate", headers={
        "Origin": "https://asso.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    simple = client.get("/api/v1/aides/rsa", headers={"Origin": "https://asso.example.org"})
    assert simple.headers["access-control-allow-origin"] == "*"


# --- Engine failures, time limit, load limits: a fake engine stands in for OpenFisca -------------------

class FakeEngine:
    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.catalog = ()

    def simulate(self, household):
        return self.behaviour(household)

    def simulate_many(self, households):
        return [self.behaviour(h) for h in households]


def app_with(behaviour, **settings):
    app = create_app(Settings(**settings))
    app.dependency_overrides[dependencies.engine] = lambda: FakeEngine(behaviour)
    return app


def refuse(household):
    raise ValueError("Tous les foyers d'un lot doivent porter sur le même mois.")


def crash(household):
    raise RuntimeError("sentinelle_interne 1234.56")


def test_engine_value_error_is_422(caplog):
    with TestClient(app_with(refuse)) as client:
        body = assert_french_error(client.post("/api/v1/simulate", json=FOYER), 422)
    assert body["details"][0]["type"] == "hors_portee"
    assert "même mois" in body["details"][0]["message"]


def test_unexpected_error_is_a_plain_500_that_logs_no_data(caplog):
    with TestClient(app_with(crash), raise_server_exceptions=False) as client:
        response = client.post("/api/v1/simulate", json=FOYER)
    assert_french_error(response, 500)
    assert "sentinelle" not in response.text and "1234" not in response.text
    assert "RuntimeError" in caplog.text
    assert "sentinelle" not in caplog.text and "1234.56" not in caplog.text


def slow(household):
    time.sleep(1.0)
    raise AssertionError("never answered")


def test_time_limit_is_503_with_retry_after():
    with TestClient(app_with(slow, timeout=0.2)) as client:
        started = time.monotonic()
        response = client.post("/api/v1/simulate", json=FOYER)
    assert time.monotonic() - started < 0.9
    assert_french_error(response, 503)
    assert int(response.headers["retry-after"]) >= 1


def test_full_pool_refuses_at_once():
    def sleepy(household):
        time.sleep(0.5)
        raise ValueError("fini")

    app = app_with(sleepy, timeout=5, max_concurrent=1, max_waiting=1, coalesce_max_batch=1)

    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await asyncio.gather(*(client.post("/api/v1/simulate", json=FOYER) for _ in range(4)))

    statuses = sorted(r.status_code for r in run_in_own_loop(burst()))
    assert statuses == [422, 422, 503, 503]


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: another test's event loop may be running in this one."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


def test_concurrent_requests_are_computed_together():
    """Coalescing: 12 requests at once make far fewer engine runs, each request gets its own result."""
    runs = []

    class CountingEngine(FakeEngine):
        def simulate_many(self, households):
            runs.append(len(households))
            time.sleep(0.05)
            return [SimulationResult(mois=h.mois, aides=[]).model_copy(update={"mois": h.individus[0].id})
                    for h in households]

    app = create_app(Settings(coalesce_window=0.01))
    app.dependency_overrides[dependencies.engine] = lambda: CountingEngine(None)

    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            bodies = [dict(FOYER, individus=[dict(FOYER["individus"][0], id=f"p{i}")]) for i in range(12)]
            return await asyncio.gather(*(client.post("/api/v1/simulate", json=b) for b in bodies))

    responses = run_in_own_loop(burst())
    assert [r.status_code for r in responses] == [200] * 12
    assert [r.json()["mois"] for r in responses] == [f"p{i}" for i in range(12)]
    assert sum(runs) == 12 and len(runs) <= 3


def test_rate_limit_is_429_with_retry_after():
    with TestClient(app_with(refuse, rate_per_minute=60, rate_burst=2)) as client:
        statuses = [client.get("/api/v1/aides").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = client.get("/api/v1/aides")
        assert_french_error(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/api/v1/health").status_code == 200  # monitoring is never limited


def test_rate_limit_is_off_by_default(client):
    assert all(client.get("/api/v1/aides").status_code == 200 for _ in range(30))


def test_token_bucket_refills_and_forgets_clients():
    buckets = TokenBuckets(per_minute=60, burst=1, max_clients=2)
    assert buckets.take("a", now=0.0) == 0
    assert buckets.take("a", now=0.5) == pytest.approx(0.5)
    assert buckets.take("a", now=2.0) == 0
    buckets.take("b", now=2.0)
    buckets.take("c", now=2.0)
    assert "a" not in buckets.buckets and len(buckets.buckets) == 2
