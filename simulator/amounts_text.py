"""Amounts written the French way ("1 234,50 € par mois"), for the pages and the engine's messages."""

from __future__ import annotations

PERIODES = {"mensuelle": "€\u00a0par mois", "annuelle": "€\u00a0par an", "ponctuelle": "€ en une fois"}


def euros(value: float) -> str:
    """1234.5 -> "1 234,50" (narrow no-break space between thousands; no decimals for whole euros)."""
    whole = round(value, 2) == int(round(value, 2))
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def amount_text(value: float, periodicite: str) -> str:
    """993.18, "mensuelle" -> "993,18 € par mois"."""
    return f"{euros(value)}\u00a0{PERIODES[periodicite]}"


class Montant(float):
    """A figure quoted in a message: `{x:euros}` writes it in whole euros the French way ("31 200");
    any other format (`{x:.0f}`, `{x:.0%}`) is a float's."""

    def __format__(self, spec: str) -> str:
        return euros(round(self)) if spec == "euros" else super().__format__(spec)
