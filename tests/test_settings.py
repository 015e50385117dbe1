"""The API's settings from SIMULATOR_* variables (pydantic-settings): names, units, clamps, French errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulator.api.settings import InvalidSettings, Settings


def test_defaults(monkeypatch):
    for name in ("MAX_BODY_BYTES", "TIMEOUT", "COALESCE_MS", "CORS_ORIGINS", "RATE_LIMIT", "FRAME_ANCESTORS"):
        monkeypatch.delenv(f"SIMULATOR_{name}", raising=False)
    settings = Settings.from_env()
    assert settings == Settings(max_body_bytes=1_000_000, max_json_depth=16, timeout=30.0, max_concurrent=2,
                                max_waiting=64, coalesce_window=0.005, coalesce_max_batch=64, rate_per_minute=0.0,
                                rate_burst=20, frame_ancestors="'self'", cors_origins=("*",), max_cost=20_000)


def test_variables_names_units_and_clamps(monkeypatch):
    values = {
        "MAX_BODY_BYTES": "2000", "MAX_JSON_DEPTH": "8", "TIMEOUT": "2.5", "MAX_CONCURRENT": "0",
        "MAX_WAITING": "-3", "COALESCE_MS": "20", "COALESCE_MAX": "0", "RATE_LIMIT": "60", "RATE_BURST": "0",
        "FRAME_ANCESTORS": "  ", "CORS_ORIGINS": " https://a.example.org, ,https://b.example.org ",
    }
    for name, value in values.items():
        monkeypatch.setenv(f"SIMULATOR_{name}", value)
    settings = Settings.from_env()
    assert (settings.max_body_bytes, settings.max_json_depth, settings.timeout) == (2000, 8, 2.5)
    assert (settings.max_concurrent, settings.max_waiting, settings.coalesce_max_batch, settings.rate_burst) == (
        1, 0, 1, 1)
    assert settings.coalesce_window == pytest.approx(0.02)  # milliseconds in the variable, seconds here
    assert settings.rate_per_minute == 60.0
    assert settings.frame_ancestors == "'self'"
    assert settings.cors_origins == ("https://a.example.org", "https://b.example.org")


def test_empty_variable_keeps_the_default(monkeypatch):
    monkeypatch.setenv("SIMULATOR_TIMEOUT", "")
    monkeypatch.setenv("SIMULATOR_COALESCE_MS", "")
    settings = Settings.from_env()
    assert settings.timeout == 30.0 and settings.coalesce_window == 0.005


def test_other_simulator_variables_are_not_settings(monkeypatch):
    monkeypatch.setenv("SIMULATOR_WARMUP", "0")
    monkeypatch.setenv("SIMULATOR_COALESCE_WINDOW", "abc")  # not a variable: the setting is SIMULATOR_COALESCE_MS
    assert Settings.from_env().coalesce_window == 0.005


@pytest.mark.parametrize(("name", "value"), [("TIMEOUT", "trente"), ("COALESCE_MS", "vite"),
                                             ("COALESCE_MAX", "1.5"), ("MAX_BODY_BYTES", "1Mo")])
def test_a_bad_value_is_named_in_french(monkeypatch, name, value):
    monkeypatch.setenv(f"SIMULATOR_{name}", value)
    with pytest.raises(InvalidSettings) as refused:
        Settings.from_env()
    message = str(refused.value)
    assert f"SIMULATOR_{name}" in message and value in message
    assert "invalide" in message and "nombre" in message


def test_serve_stops_at_once_on_a_bad_value():
    process = subprocess.run([sys.executable, "-m", "simulator.cli", "serve", "--port", "1"], capture_output=True,
                             text=True, timeout=60, env={"SIMULATOR_TIMEOUT": "trente", "PATH": ""})
    assert process.returncode == 2
    assert "SIMULATOR_TIMEOUT" in process.stderr and "Traceback" not in process.stderr
