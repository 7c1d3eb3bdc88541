"""Outcome measures per delivery partner, office and month, and province-wide.

Every figure is computed in PostgreSQL with one aggregate query per group of measures
(`.values(<group>).annotate(...)`): no row is loaded into Python. The definitions (formula and
source of each measure) are in docs/measures.md; keys here match the headings there.

The measures read from the read replica when one is configured (`use_replica`, docs/scaling.md):
they are aggregates of past months, and a few seconds of replication lag do not change them.

A measure is computed per *group* (a delivery partner, or an office of one partner); the
provincial figure adds the groups' numerators and denominators (never averages of averages).

The measures themselves are defined in the `measures` package: the registry (`measures.registry`)
and one module per family of measures, each returning the parts (numerator, denominator, sum)
per group that `compute_measures` turns into cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from caseworks.core.db import use_replica

from . import sources
from .measures.base import (
    PROVINCE,
    FamilyType,
    GroupBy,
    ReportFilters,
    add_months,
    month_end,
    month_start,
    months_between,
)
from .measures.caseload import caseload_parts, caseload_series, earnings_parts
from .measures.employment import (
    exits_parts,
    jobs_parts,
    plan_reviews_parts,
    referral_aggregates,
    referrals_parts,
    retention_parts,
)
from .measures.intake import intake_parts
from .measures.overpayments import overpayments_parts
from .measures.registry import ADDITIVE_TOTALS, DERIVED, MEASURES, MEASURES_BY_KEY, Measure
from .measures.reviews import reviews_parts
from .measures.scope import FamilyTable, MeasureResults, Parts, PartsByGroup, Scope
from .suppression import Cell, count, mean, money_total, rate

__all__ = [
    "ADDITIVE_TOTALS",
    "DERIVED",
    "MEASURES",
    "MEASURES_BY_KEY",
    "PROVINCE",
    "FamilyType",
    "GroupBy",
    "Measure",
    "MeasureResults",
    "ReportFilters",
    "add_months",
    "compute_measures",
    "month_end",
    "month_start",
    "months_between",
    "referrals_by_provider",
]


def _cell(measure: Measure, parts: Parts | None) -> Cell:
    kind = measure.kind
    if parts is None:
        parts = {"n": 0, "d": 0, "s": 0}
    n, d, s = int(parts.get("n") or 0), int(parts.get("d") or 0), parts.get("s")
    if kind == "count":
        return count(n)
    if kind == "rate":
        cell = rate(n, d)
        if cell.value is not None and "scale" in parts:
            cell.value = cell.value * parts["scale"]
        return cell
    if kind == "money" and measure.key.startswith("overpayments_"):
        return money_total(int(s or 0), d)
    return mean(s if s is not None else 0, d, kind)


def _sum_parts(all_parts: Iterable[Parts]) -> Parts:
    total: Parts = {"n": 0, "d": 0, "s": 0}
    for parts in all_parts:
        for key in ("n", "d", "s"):
            if parts.get(key) is not None:
                total[key] = total[key] + parts[key]
        if "scale" in parts:
            total["scale"] = parts["scale"]
    return total


@use_replica()
def compute_measures(
    *,
    filters: ReportFilters,
    group_by: GroupBy = "partner",
    as_of: dt.date,
    families: FamilyTable | None = None,
) -> MeasureResults:
    """Every measure per group and for the whole scope (PROVINCE), unsuppressed.

    About 15 queries whatever the number of partners or cases (see test_query_count); none
    when `families` already holds the rows of another family-type view of the same report."""
    scope = Scope(filters, group_by, families)
    series = caseload_series(scope)
    parts: dict[str, PartsByGroup] = caseload_parts(scope, as_of)
    parts.update(intake_parts(scope, as_of))
    parts.update(earnings_parts(scope, as_of))
    parts.update(exits_parts(scope, as_of, series))
    parts.update(retention_parts(scope, as_of))
    parts.update(jobs_parts(scope, as_of))
    parts.update(referrals_parts(scope, as_of))
    parts.update(plan_reviews_parts(scope, as_of))
    parts.update(overpayments_parts(scope, as_of))
    parts.update(reviews_parts(scope, as_of))
    # Earnings rate denominator: the caseload at month end.
    for group, group_parts in parts["caseload_cases"].items():
        earning = parts["cases_with_earnings"].setdefault(group, {"n": 0, "d": 0, "s": None})
        earning["d"] = group_parts["n"]
    groups = sorted(
        {g for by_group in parts.values() for g in by_group} | set(series),
        key=lambda g: (g is None, g or 0),
    )
    results = MeasureResults(groups=groups)
    for measure in MEASURES:
        by_group = parts.get(measure.key, {})
        cells = {group: _cell(measure, by_group.get(group)) for group in groups}
        cells[PROVINCE] = _cell(measure, _sum_parts(by_group.values()))
        results.cells[measure.key] = cells
    results.series["caseload_cases"] = {
        group: [(m, count(v)) for m, v in points] for group, points in series.items()
    }
    totals: dict[dt.date, int] = {}
    for points in series.values():
        for m, v in points:
            totals[m] = totals.get(m, 0) + v
    results.series["caseload_cases"][PROVINCE] = [
        (m, count(totals.get(m, 0))) for m in filters.months
    ]
    return results


@use_replica()
def referrals_by_provider(*, filters: ReportFilters, as_of: dt.date) -> list[dict[str, Any]]:
    """Referrals made, accepted, completed, declined and unanswered, per provider (one query)."""
    src = sources.referrals()
    scope = Scope(filters, "partner")
    rows = (
        scope.apply(src)
        .filter(sent_on__gte=filters.period_start, sent_on__lte=filters.period_end)
        .values("provider_id", "provider__name")
        .order_by("provider__name", "provider_id")
        .annotate(**referral_aggregates(as_of))
    )
    out = []
    for row in rows:
        out.append(
            {
                "provider_id": row["provider_id"],
                "provider": row["provider__name"],
                "made": count(row["made"]),
                "accepted": rate(row["accepted"], row["made"]),
                "completed": count(row["completed"]),
                "declined": count(row["declined"]),
                "unanswered": count(row["unanswered"]),
            }
        )
    return out
