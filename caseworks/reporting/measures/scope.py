"""The filters applied to a source and the group (partner or office) every aggregate is
grouped by; the parts (numerator, denominator, sum) each query yields per group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, QuerySet, Value, When

from .. import sources
from ..suppression import Cell
from .base import (
    FAMILY_OF,
    FAMILY_VIEWS,
    FamilyType,
    GroupBy,
    ReportFilters,
    cases_with_family_type,
    family_q,
)

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
    """Filters applied to a source, and the group field.

    With a `FamilyTable` (one for the five family-type views of a report), the scope filters
    nothing by family type: every aggregate query is run once, grouped by family type too, and
    each view reads its rows from the table (SUPPRESSION.md, "Cost")."""

    def __init__(
        self, filters: ReportFilters, group_by: GroupBy, families: FamilyTable | None = None
    ) -> None:
        self.filters = filters
        self.group_by = group_by
        self.families = families
        # Family type is the case's composition at the end of the period. The case ids are
        # read once per scope: as a subquery inside every measure's query (beside its own
        # correlated subqueries) PostgreSQL planned a nested loop that took minutes on the demo.
        self.family_cases = (
            list(
                cases_with_family_type(filters.period_end)
                .filter(family_q(filters.family_type))
                .values_list("pk", flat=True)
            )
            if filters.family_type and families is None
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
        if self.families is not None:
            by_family = self.families.grouped(self, source, queryset, aggregates)
            return by_family[self.filters.family_type]
        rows = self.apply(source, queryset).values(group).order_by(group).annotate(**aggregates)
        return {row[group]: row for row in rows}


FAMILY_TYPE = "family_type_"


class FamilyTable:
    """The family type of every case at the end of the period, read once, and the rows of each
    aggregate query for every family type and for all of them (no filter).

    Each query is run once, grouped by group and family type; the no-filter row of a group adds
    up its family types' rows (every aggregate is a count or a sum, and a case has one family
    type, so the sum is what the unfiltered query gives). The five family-type views of a
    report then take about as many queries as one."""

    def __init__(self, on: dt.date) -> None:
        self.case_ids: dict[str, list[int]] = {key: [] for key, _label in FamilyType.CHOICES}
        rows = cases_with_family_type(on).values_list("pk", "has_spouse", "has_children")
        for pk, has_spouse, has_children in rows:
            self.case_ids[FAMILY_OF[(has_spouse, has_children)]].append(pk)
        self._rows: dict[tuple[str, ...], dict[str, dict[Any, dict[str, Any]]]] = {}

    def family_type(self, case_path: str) -> Case:
        return Case(
            *(
                When(**{f"{case_path}pk__in": ids}, then=Value(key))
                for key, ids in self.case_ids.items()
                if ids
            ),
            default=Value(None),
            output_field=CharField(),
        )

    def grouped(
        self, scope: Scope, source: sources.Source, queryset: QuerySet[Any], aggregates: Any
    ) -> dict[str, dict[Any, dict[str, Any]]]:
        group = scope.group_field(source)
        # The same measure under another family-type view builds the same query.
        key = (group, str(queryset.query), repr(sorted(aggregates.items())))
        found = self._rows.get(key)
        if found is not None:
            return found
        rows = (
            scope.apply(source, queryset)
            .annotate(**{FAMILY_TYPE: self.family_type(source.case_path)})
            .values(group, FAMILY_TYPE)
            .order_by(group, FAMILY_TYPE)
            .annotate(**aggregates)
        )
        by_family: dict[str, dict[Any, dict[str, Any]]] = {f: {} for f in FAMILY_VIEWS}
        for row in rows:
            family = row.pop(FAMILY_TYPE)
            if family is not None:  # a case recorded after the family types were read
                by_family[family][row[group]] = row
            total = by_family[""].setdefault(row[group], {group: row[group]})
            for name in aggregates:
                total[name] = total.get(name, 0) + row[name]
        self._rows[key] = by_family
        return by_family


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
