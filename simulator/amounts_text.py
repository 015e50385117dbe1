"""Amounts written the French way ("1 234,50 € par mois"), for the pages and the engine's messages."""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

PERIODES = {"mensuelle": "€\u00a0par mois", "annuelle": "€\u00a0par an", "ponctuelle": "€ en une fois"}


def euros(value: float) -> str:
    """1234.5 -> "1 234,50" (narrow no-break space between thousands; no decimals for whole euros)."""
    whole = round(value, 2) == int(round(value, 2))
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def amount_text(value: float, periodicite: str) -> str:
    """993.18, "mensuelle" -> "993,18 € par mois"."""
    return f"{euros(value)}\u00a0{PERIODES[periodicite]}"


def pourcent(rate: float) -> str:
    """0.2749 -> "27,4 %": rounded down to a tenth of a point, so that a rate just under a minimum
    (29.96 % against 30 %) never reads as the minimum itself."""
    tenths = math.floor(rate * 1000 + 1e-6)
    text = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}".replace(".", ",")
    return f"{text}\u00a0%"


def to_the_euro(value: float) -> float:
    """1649.99 -> 1650.0 (half up): resources and ceilings in a sentence, the way a letter writes them,
    without the cent that converting a declared net amount to gross and back may add."""
    return float(Decimal(repr(float(value))).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


# Format specs that catalog messages may use: "{paris_base_ressources:euros_mois}". `euros...` round to
# the euro (resources, ceilings); `centimes...` keep the cents (an amount paid, a benefit's rate).
FORMATS: dict[str, Callable[[float], str]] = {
    "euros": lambda value: f"{euros(to_the_euro(value))}\u00a0€",
    "euros_mois": lambda value: amount_text(to_the_euro(value), "mensuelle"),
    "euros_an": lambda value: amount_text(to_the_euro(value), "annuelle"),
    "centimes": lambda value: f"{euros(value)}\u00a0€",
    "centimes_mois": lambda value: amount_text(value, "mensuelle"),
    "pourcent": pourcent,
}


class _FrenchFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in FORMATS:
            return FORMATS[format_spec](float(value))
        return super().format_field(value, format_spec)


_FORMATTER = _FrenchFormatter()


def format_message(template: str, values: Mapping[str, Any]) -> str:
    """`template` with its {name} or {name:spec} placeholders filled; spec may be one of `FORMATS`
    or any Python format spec. Raises KeyError, ValueError or IndexError for a bad template."""
    return _FORMATTER.vformat(template, (), values)
