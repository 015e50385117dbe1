"""Where the catalog and the extensions live (overridable for tests and local deployments)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_CATALOG = Path(__file__).resolve().parent / "catalog"


def extensions_root() -> Path:
    """`SIMULATOR_EXTENSIONS` names another folder of extensions (one sub-folder per territory)."""
    return Path(os.environ.get("SIMULATOR_EXTENSIONS", ROOT / "extensions"))


def extensions_dirs() -> list[Path]:
    root = extensions_root()
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    )
