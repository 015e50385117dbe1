"""Communes: INSEE codes, Paris postcodes, which territory a household lives in."""

from __future__ import annotations

import re

PARIS_COMMUNE = "75056"
_DEPCOM = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def is_valid_depcom(code: str) -> bool:
    return bool(_DEPCOM.fullmatch(code))


def is_paris(depcom: str | None) -> bool:
    return depcom is not None and (depcom.startswith("751") or depcom == PARIS_COMMUNE)


def depcom_from_code_postal(code_postal: str) -> str | None:
    """Paris postcodes 75001–75020 (and 75116) to arrondissement codes 75101–75120.

    Elsewhere a postcode can cover several communes, so only the INSEE code is accepted there.
    """
    if code_postal == "75116":
        return "75116"
    if code_postal.startswith("750"):
        arrondissement = int(code_postal[3:])
        if 1 <= arrondissement <= 20:
            return f"751{arrondissement:02d}"
    return None


def applies_to(territoires: list[str] | None, depcom: str | None) -> bool:
    """Whether an aid restricted to `territoires` (depcom prefixes) concerns this commune."""
    if not territoires:
        return True
    if depcom is None:
        return False
    if depcom == PARIS_COMMUNE:
        return any("751".startswith(prefix) or prefix.startswith("751") for prefix in territoires)
    return any(depcom.startswith(prefix) for prefix in territoires)
