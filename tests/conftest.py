"""Shared fixtures: one engine (OpenFisca-France + extensions) for the whole test session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("SIMULATOR_WARMUP", "0")


@pytest.fixture(scope="session")
def engine():
    from simulator.engine import get_engine

    return get_engine()


def load_scenario(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
