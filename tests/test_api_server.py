"""`simulator serve --workers N`: uvicorn gets the app as a factory import string (required for workers)."""

from __future__ import annotations

import importlib
import logging

from simulator import server


def test_serve_passes_a_factory_import_string(monkeypatch):
    calls = {}
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kwargs: calls.update(app=app, **kwargs))
    server.serve(host="127.0.0.1", port=8123, workers=3)
    assert calls["workers"] == 3 and calls["factory"] is True
    module, name = calls["app"].split(":")
    assert getattr(importlib.import_module(module), name).__name__ == "create_app"
    assert calls["server_header"] is False
    assert calls["log_config"]["loggers"]["uvicorn.access"]["handlers"] == ["access"]


def test_access_log_keeps_method_path_status_only():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("203.0.113.7:5555", "POST", "/api/v1/simulate?q=secret", "1.1", 200), None)
    assert server.PrivateAccessFilter().filter(record)
    line = record.getMessage()
    assert line == "POST /api/v1/simulate 200"
