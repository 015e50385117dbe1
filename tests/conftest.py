"""Shared fixtures: one engine (OpenFisca-France + extensions) for the whole test session, and an HTTP
client of the app (API and web pages) per test module."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
os.environ.setdefault("SIMULATOR_WARMUP", "0")


@pytest.fixture(scope="session", autouse=True)
def openfisca_shortcuts():
    """The shortcuts through OpenFisca-Core, installed at start as the server and the CLI do."""
    from simulator.engine import install_shortcuts

    install_shortcuts()


@pytest.fixture(scope="session")
def engine():
    from simulator.engine import get_engine

    return get_engine()


@pytest.fixture(scope="module")
def client(engine):
    from fastapi.testclient import TestClient

    from simulator.api.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client
