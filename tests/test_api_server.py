"""`simulator serve`: one process, or N forked workers sharing one engine; logs without personal data."""

from __future__ import annotations

import importlib
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from live_server import free_port, wait_until_up

from simulator import server

ROOT = Path(__file__).resolve().parent.parent


def test_serve_passes_a_factory_import_string(monkeypatch):
    calls = {}
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kwargs: calls.update(app=app, **kwargs))
    server.serve(host="127.0.0.1", port=8123, workers=1)
    assert calls["factory"] is True
    module, name = calls["app"].split(":")
    assert getattr(importlib.import_module(module), name).__name__ == "create_app"
    assert calls["server_header"] is False
    assert calls["log_config"]["loggers"]["uvicorn.access"]["handlers"] == ["access"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_forked_workers_answer_and_stop(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        household = {"mois": "2026-11", "individus": [{"id": "d", "role": "demandeur", "age": 30,
                                                         "salaire_net": 1000.0, "handicap": False}]}
        answers = [httpx.post(f"http://127.0.0.1:{port}/api/v1/simulate", json=household, timeout=60)
                   for _ in range(4)]
        assert [a.status_code for a in answers] == [200] * 4
        assert len({tuple((x["id"], x["montant"]) for x in a.json()["aides"]) for a in answers}) == 1
        assert len(_children(process.pid)) == 2
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0
    assert "2 processus de calcul" in output


def test_access_log_keeps_method_path_status_only():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("203.0.113.7:5555", "POST", "/api/v1/simulate?q=secret", "1.1", 200), None)
    assert server.PrivateAccessFilter().filter(record)
    line = record.getMessage()
    assert line == "POST /api/v1/simulate 200"
