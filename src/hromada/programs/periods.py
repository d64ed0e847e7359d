"""Report periods: a year, or the part of a year up to the end of a quarter.

Interim reports in Ukrainian practice are cumulative ("наростаючим підсумком"):
the period of quarter 3 runs from 1 January to 30 September. Quarter 0 stands
for the whole year, so that (year, quarter) is a plain unique key everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hromada.core.exceptions import ApplicationError

_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:\s*[-/ ]?\s*[QqКк]([0-4]))?\s*$")
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_QUARTER_LABEL = {
    1: "I квартал {year} року",
    2: "I півріччя {year} року",
    3: "9 місяців {year} року",
    4: "{year} рік",
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Period:
    """A report period: `quarter` 0 is the whole year, 1–4 run from 1 January to its end."""

    year: int
    quarter: int = 0

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2200:
            raise ApplicationError(f"Рік {self.year} поза допустимими межами.")
        if self.quarter not in (0, 1, 2, 3, 4):
            raise ApplicationError("Квартал має бути числом від 1 до 4.")

    @classmethod
    def parse(cls, value: str | int) -> Period:
        """Return the period written as '2015', '2015-Q3' (or '2015Q3', '2015-К3')."""
        match = _PERIOD_RE.match(str(value))
        if not match:
            raise ApplicationError(
                f"Неправильний період «{value}»: напишіть рік (2015) або рік і квартал (2015-Q3)."
            )
        return cls(int(match.group(1)), int(match.group(2) or 0))

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        """Return the quarter a day falls in (cumulative from 1 January)."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        """Return '2015' or '2015-Q3' (the form `parse` reads)."""
        return str(self.year) if self.quarter == 0 else f"{self.year}-Q{self.quarter}"

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        month, day = _QUARTER_END[self.quarter or 4]
        return date(self.year, month, day)

    @property
    def quarter_start(self) -> date:
        """Return the first day of the quarter itself (the whole year: 1 January)."""
        return date(self.year, 1 if self.quarter == 0 else (self.quarter - 1) * 3 + 1, 1)

    @property
    def is_year(self) -> bool:
        return self.quarter == 0

    @property
    def label(self) -> str:
        """Return '2015 рік', 'I квартал 2015 року', 'I півріччя 2015 року', '9 місяців …'."""
        if self.quarter == 0:
            return f"{self.year} рік"
        return _QUARTER_LABEL[self.quarter].format(year=self.year)

    @property
    def label_for(self) -> str:
        """Return the label after «за»: 'за 2015 рік', 'за I квартал 2015 року'."""
        return f"за {self.label}"

    @property
    def short_label(self) -> str:
        """Return '2015' or 'II кв. 2015' (tables, navigation)."""
        return str(self.year) if self.quarter == 0 else f"{_ROMAN[self.quarter]} кв. {self.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key
