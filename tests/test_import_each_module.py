"""Every module of `simulator` imports alone, in a fresh interpreter: no hidden import cycle.

A cycle that happens to resolve in one import order (the test session's, the server's) fails in
another; importing each module first, by itself, finds it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simulator"


def modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_every_module_is_listed():
    names = modules()
    assert {"simulator.engine", "simulator.engine.openfisca.speedups", "simulator.services.explain"} <= set(names)


@pytest.mark.parametrize("module", modules())
def test_imports_alone(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
