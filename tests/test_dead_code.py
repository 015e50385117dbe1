"""Checks anyone can run: no dead code (vulture, configured in pyproject.toml), no import cycle
between the household and its consistency checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_vulture_finds_no_dead_code():
    """False positives (fields read by templates, hooks called by a framework) go to vulture_whitelist.py."""
    process = subprocess.run([sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
    assert process.returncode == 0, process.stdout + process.stderr


def test_consistency_does_not_import_the_household():
    """`household` calls `consistency`; `consistency` reads households it is given, without importing them."""
    code = "import sys, simulator.consistency; sys.exit('simulator.household' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120).returncode == 0
