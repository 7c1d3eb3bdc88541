"""The filters applied to a source and the group (partner or office) every aggregate is
grouped by; the parts (numerator, denominator, sum) each query yields per group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from .. import sources
from ..suppression import Cell
from .base import GroupBy, ReportFilters, cases_with_family_type, family_q

# Parts per group: "n" numerator/count, "d" denominator/people, "s" sum.
Parts = dict[str, Any]
PartsByGroup = dict[Any, Parts]


@dataclass
class MeasureResults:
    """Cells per measure and group (group ids, plus PROVINCE), and the caseload trend."""

    groups: list[Any]
    cells: dict[str, dict[Any, Cell]] = field(default_factory=dict)
    series: dict[str, dict[Any, list[tuple[dt.date, Cell]]]] = field(default_factory=dict)


class Scope:
    """Filters applied to a source, and the group field."""

    def __init__(self, filters: ReportFilters, group_by: GroupBy) -> None:
        self.filters = filters
        self.group_by = group_by
        # Family type is the case's composition at the end of the period. The case ids are
        # read once per scope: as a subquery inside every measure's query (beside its own
        # correlated subqueries) PostgreSQL planned a nested loop that took minutes on the demo.
        self.family_cases = (
            list(
                cases_with_family_type(filters.period_end)
                .filter(family_q(filters.family_type))
                .values_list("pk", flat=True)
            )
            if filters.family_type
            else None
        )

    def group_field(self, source: sources.Source) -> str:
        name = "delivery_partner_id" if self.group_by == "partner" else "office_id"
        return f"{source.case_path}{name}"

    def apply(self, source: sources.Source, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
        qs = source.queryset if queryset is None else queryset
        path = source.case_path
        if self.filters.partner_ids is not None:
            qs = qs.filter(**{f"{path}delivery_partner_id__in": self.filters.partner_ids})
        if self.filters.office_id is not None:
            qs = qs.filter(**{f"{path}office_id": self.filters.office_id})
        if self.family_cases is not None:
            qs = qs.filter(**{f"{path}pk__in": self.family_cases})
        return qs

    def grouped(
        self, source: sources.Source, queryset: QuerySet[Any], **aggregates: Any
    ) -> dict[Any, dict[str, Any]]:
        group = self.group_field(source)
        rows = self.apply(source, queryset).values(group).order_by(group).annotate(**aggregates)
        return {row[group]: row for row in rows}


def collect(
    rows: dict[Any, dict[str, Any]], spec: dict[str, tuple[str | None, str | None, str | None]]
) -> dict[str, PartsByGroup]:
    """Turn aggregate rows into parts per measure: spec[key] = (n, d, s) column names."""
    out: dict[str, PartsByGroup] = {key: {} for key in spec}
    for group, row in rows.items():
        for key, (n, d, s) in spec.items():
            out[key][group] = {
                "n": row[n] if n else None,
                "d": row[d] if d else None,
                "s": row[s] if s else None,
            }
    return out
