"""The JSON guard covers every POST endpoint under /api/ with a JSON body, read from the app's routes."""

from __future__ import annotations

from fastapi import APIRouter, Form
from fastapi.testclient import TestClient
from pydantic import BaseModel

from simulator.api.app import create_app
from simulator.api.middleware import json_routes
from simulator.api.settings import Settings

JSON = {"content-type": "application/json"}


class Essai(BaseModel):
    valeur: float | None = None
    liste: list | None = None


def app_with_new_endpoint():
    """The app, plus an endpoint declared after `create_app`, the way a new router would be."""
    app = create_app(Settings())
    router = APIRouter(prefix="/api/v1")

    @router.post("/essai/{cle}")
    def essai(cle: str, corps: Essai) -> dict:
        return {"cle": cle}

    @router.post("/formulaire")
    def formulaire(nom: str = Form()) -> dict:
        return {"nom": nom}

    app.include_router(router)
    return app


def test_a_new_post_endpoint_gets_the_json_checks():
    with TestClient(app_with_new_endpoint(), raise_server_exceptions=False) as client:
        assert client.post("/api/v1/essai/a", json={"valeur": 1.5}).json() == {"cle": "a"}
        nan = client.post("/api/v1/essai/a", content=b'{"valeur": NaN}', headers=JSON)
        assert nan.status_code == 422 and nan.json()["details"][0]["type"] == "nombre_invalide"
        deep = client.post("/api/v1/essai/a", content=b'{"liste": ' + b"[" * 40 + b"]" * 40 + b"}", headers=JSON)
        assert deep.status_code == 422 and deep.json()["details"][0]["type"] == "profondeur"
        plain = client.post("/api/v1/essai/a", content=b'{"valeur": 1}', headers={"content-type": "text/plain"})
        assert plain.status_code == 415 and "Content-Type" in plain.json()["erreur"]
        # A form endpoint is not a JSON one: its body is not refused as "not JSON".
        assert client.post("/api/v1/formulaire", data={"nom": "x"}).json() == {"nom": "x"}


def test_guarded_routes_are_the_json_post_routes_under_api():
    paths = {pattern.pattern for pattern in json_routes(app_with_new_endpoint().routes)}
    assert paths == {"^/api/v1/simulate$", "^/api/v1/simulate/batch$", "^/api/v1/variation$",
                     "^/api/v1/explain/(?P<aide_id>[^/]+)$", "^/api/v1/essai/(?P<cle>[^/]+)$"}
