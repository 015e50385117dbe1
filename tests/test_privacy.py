"""Privacy of a real server: what a person sends appears in no log line and in no file written.

Starts `python -m simulator.cli serve` on a free loopback port (cwd in a temporary folder, stdout and
stderr captured), sends households carrying run-unique sentinel values, in valid requests and in
requests that fail (malformed JSON, 422, 404, 405, 413, 415), then reads every log line and every file
modified during the run under the temporary folder and /tmp.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from live_server import free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
MAX_SCANNED_BYTES = 20_000_000


def modified_files(roots: list[Path], since: float) -> list[Path]:
    found = []
    for root in roots:
        for directory, dirnames, filenames in os.walk(root, onerror=lambda e: None):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(directory, d))]
            for name in filenames:
                path = Path(directory, name)
                try:
                    stat = path.lstat()
                except OSError:
                    continue
                if path.is_file() and stat.st_mtime >= since and stat.st_size <= MAX_SCANNED_BYTES:
                    found.append(path)
    return found


@pytest.fixture(scope="module")
def sentinels() -> dict[str, str]:
    token = secrets.token_hex(4)
    cents = int(token, 16) % 10_000
    return {
        "salaire": f"1234.{cents:04d}1",
        "loyer": f"987.{cents:04d}3",
        "id": f"sentinelle_{token}",
        "query": f"SENTINEL{token.upper()}",
        "text": f"sentinelle-texte-{token}",
    }


def test_no_personal_data_in_logs_or_files(tmp_path, sentinels):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SIMULATOR_WARMUP": "0", "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = time.time() - 1
    stdout_path, stderr_path = tmp_path / "server.out", tmp_path / "server.err"
    with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulator.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path, env=env, stdout=stdout, stderr=stderr)
        try:
            wait_until_up(url, process)
            statuses = exercise(url, sentinels)
        finally:
            stop(process)

    assert statuses == {"simulate": 200, "batch": 200, "variation": 200, "malformed": 422, "invalid": 422,
                        "unknown_field": 422, "not_found": 404, "method": 405, "too_large": 413,
                        "wrong_type": 415, "nan": 422}
    logs = stdout_path.read_text(errors="replace") + stderr_path.read_text(errors="replace")
    access = [line for line in logs.splitlines() if "POST /api/v1/" in line or "GET /api/v1/" in line]
    assert any("POST /api/v1/simulate 200" in line for line in access), logs[-2000:]
    assert any("GET /api/v1/inexistant 404" in line for line in access), logs[-2000:]
    for line in access:
        assert "?" not in line, line
        assert "127.0.0.1:" not in line, line  # no client address

    for name, value in sentinels.items():
        assert value not in logs, f"{name} found in the server's logs"

    files = modified_files([tmp_path, Path("/tmp")], started)
    assert stdout_path in files  # the scan does see what the run wrote
    for path in files:
        try:
            content = path.read_bytes()
        except OSError:
            continue
        for name, value in sentinels.items():
            assert value.encode() not in content, f"{name} found in {path}"


def exercise(url: str, s: dict[str, str]) -> dict[str, int]:
    foyer = {
        "mois": "2026-11",
        "individus": [
            {"id": s["id"], "role": "demandeur", "age": 41, "activite": "actif", "salaire_net": float(s["salaire"])},
            {"id": "enfant_1", "role": "enfant", "age": 9},
        ],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": float(s["loyer"]), "depcom": "75118"},
    }
    query = {"q": s["query"]}
    statuses = {}
    with httpx.Client(base_url=url, timeout=120) as client:
        statuses["simulate"] = client.post("/api/v1/simulate", params=query, json=foyer).status_code
        statuses["batch"] = client.post("/api/v1/simulate/batch", params=query,
                                        json={"foyers": [foyer, foyer]}).status_code
        statuses["variation"] = client.post("/api/v1/variation", params=query, json={
            "foyer": foyer, "individu": s["id"], "min": 0, "max": float(s["salaire"]), "etapes": 2}).status_code
        statuses["malformed"] = client.post(
            "/api/v1/simulate", params=query, headers={"content-type": "application/json"},
            content=f'{{"individus": [{{"id": "{s["id"]}", "salaire_net": {s["salaire"]}'.encode()).status_code
        bad = {**foyer, "individus": [{**foyer["individus"][0], "age": s["text"]}]}
        statuses["invalid"] = client.post("/api/v1/simulate", params=query, json=bad).status_code
        statuses["unknown_field"] = client.post("/api/v1/simulate", json={**foyer, s["text"]: s["loyer"]}).status_code
        statuses["not_found"] = client.get("/api/v1/inexistant", params=query).status_code
        statuses["method"] = client.get("/api/v1/simulate", params=query).status_code
        statuses["too_large"] = client.post("/api/v1/simulate", params=query, headers={
            "content-type": "application/json"}, content=(s["text"] * 100_000).encode()).status_code
        statuses["wrong_type"] = client.post("/api/v1/simulate", params=query, headers={"content-type": "text/plain"},
                                             content=s["text"].encode()).status_code
        statuses["nan"] = client.post("/api/v1/simulate", params=query, headers={"content-type": "application/json"},
                                      content=f'{{"id": "{s["id"]}", "x": NaN}}'.encode()).status_code
    return statuses
