"""Ontario general minimum wage, dated, with its legal source.

Employment Standards Act, 2000, s. 23.1, and O. Reg. 285/01 (Exemptions, Special Rules and
Establishment of Minimum Wage); since 2022 the rate is indexed to the Ontario CPI every
1 October and announced by 1 April. https://www.ontario.ca/laws/statute/00e41#BK48 and
https://www.ontario.ca/document/your-guide-employment-standards-act-0/minimum-wage

Used to show job quality (is the job paying at least the minimum wage?), so that a poor job is
not counted as a plain success. Values are in integer cents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Reviewer: re-check the table against the Ministry of Labour page and move this date.
# The 1 October 2026 rate was NOT verified when this table was written: add it before relying on
# job-quality figures for jobs starting on or after 2026-10-01.
LAST_VALUE_STILL_VALID_ON = dt.date(2026, 9, 30)
CITATION = "Employment Standards Act, 2000, s. 23.1; O. Reg. 285/01"


@dataclass(frozen=True)
class MinimumWage:
    effective_on: dt.date
    hourly_cents: int
    source: str


MINIMUM_WAGE_TABLE: tuple[MinimumWage, ...] = (
    MinimumWage(dt.date(2022, 10, 1), 1550, f"{CITATION} (rate from 1 Oct 2022)"),
    MinimumWage(dt.date(2023, 10, 1), 1655, f"{CITATION} (rate from 1 Oct 2023)"),
    MinimumWage(dt.date(2024, 10, 1), 1720, f"{CITATION} (rate from 1 Oct 2024)"),
    MinimumWage(
        dt.date(2025, 10, 1),
        1760,
        f"{CITATION} (rate from 1 Oct 2025; Ontario announcement of 1 Apr 2025, OCPI +2.4%)",
    ),
)


def minimum_wage_on(on: dt.date) -> MinimumWage | None:
    """The general minimum wage in force on `on`, or None before the table starts."""
    found: MinimumWage | None = None
    for row in MINIMUM_WAGE_TABLE:
        if row.effective_on <= on:
            found = row
    return found
