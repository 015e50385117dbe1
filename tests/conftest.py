"""Shared fixtures: one engine (OpenFisca-France + extensions) for the whole test session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
os.environ.setdefault("SIMULATOR_WARMUP", "0")


@pytest.fixture(scope="session")
def engine():
    from simulator.engine import get_engine

    return get_engine()
