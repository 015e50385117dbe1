"""`simulator new-aid` scaffolds an aid that the API lists and computes, touching only its folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from scenario_files import ROOT

from simulator.cli import main
from simulator.engine import reset_engine


@pytest.fixture
def extensions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "extensions"
    shutil.copytree(ROOT / "extensions" / "paris", root / "paris", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("SIMULATOR_EXTENSIONS", str(root))
    reset_engine()
    yield root
    monkeypatch.delenv("SIMULATOR_EXTENSIONS")
    reset_engine()


def client() -> TestClient:
    from simulator.api.app import create_app

    return TestClient(create_app())


def test_scaffolded_aid_reaches_the_api(extensions: Path, capsys):
    before = {p for p in ROOT.rglob("*") if ".venv" not in p.parts and "node_modules" not in p.parts}
    assert main(["new-aid", "villetest", "villetest_aide", "--extensions-dir", str(extensions)]) == 0
    assert "créé" in capsys.readouterr().out
    after = {p for p in ROOT.rglob("*") if ".venv" not in p.parts and "node_modules" not in p.parts}
    assert {p for p in after - before if "__pycache__" not in p.parts} == set(), "only the extension folder changes"

    # The developer says where the aid applies (here: Lyon), as the recipe asks.
    entry_path = extensions / "villetest" / "benefits" / "villetest_aide.yaml"
    entry = yaml.safe_load(entry_path.read_text(encoding="utf-8"))
    entry["territoires"] = ["69"]
    entry_path.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    reset_engine()

    with client() as api:
        listed = api.get("/api/v1/aides").json()
        assert "villetest_aide" in {a["id"] for a in listed}
        assert api.get("/api/v1/aides/villetest_aide").status_code == 200
        household = {
            "mois": "2026-11",
            "individus": [{"id": "d", "role": "demandeur", "age": 30, "salaire_net": 900, "handicap": False}],
            "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 500, "depcom": "69387"},
        }
        result = api.post("/api/v1/simulate", json=household).json()
        aide = next(a for a in result["aides"] if a["id"] == "villetest_aide")
        assert aide["calculable"] is True and aide["montant"] > 0
        household["logement"]["depcom"] = "75119"
        in_paris = api.post("/api/v1/simulate", json=household).json()
        assert "villetest_aide" not in {a["id"] for a in in_paris["aides"]}
