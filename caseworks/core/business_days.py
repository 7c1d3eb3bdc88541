"""Business days in Ontario: weekdays that are not public holidays. The one calendar.

The holidays are those of the Employment Standards Act, 2000 (S.O. 2000, c. 41), s. 1(1)
"public holiday" (https://www.ontario.ca/document/your-guide-employment-standards-act-0/public-holidays):
New Year's Day, Family Day (third Monday of February), Good Friday, Victoria Day (the Monday
before May 25), Canada Day, Labour Day (first Monday of September), Thanksgiving (second Monday
of October), Christmas Day and Boxing Day. A holiday that falls on a weekend is observed on the
next working day (as the Ontario Public Service does: Christmas on a Saturday is observed on the
Monday and Boxing Day on the Tuesday). Civic Holiday (first Monday of August) is not a public
holiday under the Act and is not counted: offices that close that day are still within the
clock. Dates are computed, so the calendar does not run out; the tests check them against the
published dates for 2026 and 2027.
"""

from __future__ import annotations

import datetime as dt
import functools

SATURDAY = 5


def _easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher")."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (7 - first.weekday()) % 7  # Monday is 0
    return first + dt.timedelta(days=offset + 7 * (n - 1))


@functools.cache
def ontario_holidays(year: int) -> frozenset[dt.date]:
    """The observed public holidays of `year`."""
    may_24 = dt.date(year, 5, 24)
    fixed = [dt.date(year, 1, 1), dt.date(year, 7, 1), dt.date(year, 12, 25)]
    observed: set[dt.date] = {
        _nth_monday(year, 2, 3),  # Family Day
        _easter_sunday(year) - dt.timedelta(days=2),  # Good Friday
        may_24 - dt.timedelta(days=may_24.weekday()),  # Victoria Day: Monday on or before May 24
        _nth_monday(year, 9, 1),  # Labour Day
        _nth_monday(year, 10, 2),  # Thanksgiving
    }
    # Boxing Day after Christmas: a Christmas moved to Monday moves Boxing Day to Tuesday.
    for day in [*fixed, dt.date(year, 12, 26)]:
        observed.add(_next_free_weekday(day, observed))
    return frozenset(observed)


def _next_free_weekday(day: dt.date, taken: set[dt.date]) -> dt.date:
    while day.weekday() >= SATURDAY or day in taken:
        day += dt.timedelta(days=1)
    return day


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in ontario_holidays(day.year)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start` (start itself not counted)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day
