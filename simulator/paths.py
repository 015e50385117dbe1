"""Where the catalog and the extensions live (overridable for tests and local deployments)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_CATALOG = Path(__file__).resolve().parent / "catalog"
# Corrections of OpenFisca-France itself (an extension folder, not a territory: no questions, no local
# aids). The national catalog reads its variables, so it is loaded whatever SIMULATOR_EXTENSIONS says.
NATIONAL_CORRECTIONS = ROOT / "extensions" / "france"


def extensions_root() -> Path:
    """`SIMULATOR_EXTENSIONS` names another folder of extensions (one sub-folder per territory)."""
    return Path(os.environ.get("SIMULATOR_EXTENSIONS", ROOT / "extensions"))


def extensions_dirs() -> list[Path]:
    """The territories' extensions (their facts, catalog entries and rules), national corrections aside."""
    root = extensions_root()
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.iterdir()
        if path.is_dir() and not path.name.startswith((".", "_")) and path.resolve() != NATIONAL_CORRECTIONS
    )


def national_corrections_dirs() -> list[Path]:
    """The folders of corrections to OpenFisca-France, loaded before the territories' extensions."""
    return [NATIONAL_CORRECTIONS] if NATIONAL_CORRECTIONS.is_dir() else []
