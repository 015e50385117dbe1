"""Month arithmetic, once: "2026-11" as a `Month`, months after or before it, ages on a day.

The household's checks (`simulator.household`, `simulator.consistency`) and the OpenFisca situation
(`simulator.situation`, which repeats every fact over 36 months) all count months here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache


@lru_cache(maxsize=4096)
def month_text(year: int, month: int) -> str:
    """2026, 3 -> "2026-03" (cached: the situation writes each of its 36 months for every variable)."""
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """"2026-11" -> Month(2026, 11)."""
        return cls(int(text[:4]), int(text[5:7]))

    def shift(self, months: int) -> Month:
        """The month `months` later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return month_text(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def current_month() -> str:
    return date.today().strftime("%Y-%m")


def first_day(month: str) -> date:
    """"2026-11" -> 1 November 2026."""
    return Month.parse(month).first_day


def first_day_after(month: str) -> date:
    """"2026-12" -> 1 January 2027: the first day that is no longer in the month."""
    return Month.parse(month).shift(1).first_day


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
