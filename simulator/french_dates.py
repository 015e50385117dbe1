"""Months in French words, for what a person reads ("mars 2019", "novembre 2026")."""

from __future__ import annotations

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")


def month_and_year(month: str, year: str) -> str:
    """"3", "2019" -> "mars 2019" (as typed when it is not a month number)."""
    try:
        return f"{MOIS[int(month) - 1]} {year}".strip()
    except (ValueError, IndexError):
        return f"{month} {year}".strip()
