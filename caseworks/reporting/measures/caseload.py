"""Caseload, time on assistance, family types and earnings (docs/measures.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from caseworks.payments.constants import IncomeKind

from .. import sources
from .base import (
    DAYS_PER_MONTH,
    DaysBetween,
    FamilyType,
    active_on_q,
    cases_with_family_type,
    cases_with_granted_on,
    family_q,
    month_end,
    month_start,
)
from .scope import PartsByGroup, Scope, collect


def caseload_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    end = scope.filters.period_end
    src = sources.Source(cases_with_family_type(end), "")
    tenure = DaysBetween(Value(end, output_field=DateField()), F("granted_on"))
    active = active_on_q(end)
    rows = scope.grouped(
        src,
        src.queryset.filter(active).annotate(tenure_days=tenure),
        cases=Count("pk"),
        tenure_sum=Coalesce(Sum("tenure_days"), 0),
        tenure_1=Count("pk", filter=Q(tenure_days__lt=365)),
        tenure_2=Count("pk", filter=Q(tenure_days__gte=365, tenure_days__lt=730)),
        tenure_3=Count("pk", filter=Q(tenure_days__gte=730, tenure_days__lt=1095)),
        tenure_4=Count("pk", filter=Q(tenure_days__gte=1095)),
        **{
            f"family_{key}": Count("pk", filter=family_q(key)) for key, _label in FamilyType.CHOICES
        },
    )
    parts = collect(
        rows,
        {
            "caseload_cases": ("cases", None, None),
            "time_on_assistance": (None, "cases", "tenure_sum"),
            "time_on_assistance_under_1y": ("tenure_1", None, None),
            "time_on_assistance_1_2y": ("tenure_2", None, None),
            "time_on_assistance_2_3y": ("tenure_3", None, None),
            "time_on_assistance_3y_plus": ("tenure_4", None, None),
            **{
                f"caseload_family_{key}": (f"family_{key}", None, None)
                for key, _label in FamilyType.CHOICES
            },
        },
    )
    # Mean months = mean days ÷ 30.4375.
    for group_parts in parts["time_on_assistance"].values():
        group_parts["s"] = Decimal(group_parts["s"] or 0) / DAYS_PER_MONTH
    members = sources.memberships()
    active_ids = cases_with_granted_on().filter(active).values("pk")
    member_rows = scope.grouped(
        members,
        members.queryset.filter(benefit_unit__in=active_ids, start_on__lte=end).filter(
            Q(end_on__isnull=True) | Q(end_on__gt=end)
        ),
        people=Count("pk"),
    )
    parts.update(collect(member_rows, {"caseload_beneficiaries": ("people", None, None)}))
    return parts


def caseload_series(scope: Scope) -> dict[Any, list[tuple[dt.date, int]]]:
    """Cases at each month end of the period, per group: one query."""
    months = scope.filters.months
    src = sources.Source(cases_with_granted_on(), "")
    rows = scope.grouped(
        src,
        src.queryset,
        **{
            f"m{index}": Count("pk", filter=active_on_q(month_end(m)))
            for index, m in enumerate(months)
        },
    )
    return {
        group: [(m, int(row[f"m{index}"])) for index, m in enumerate(months)]
        for group, row in rows.items()
    }


def earnings_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    src = sources.income_reports()
    f = scope.filters
    month, end = month_start(f.month_to), f.period_end
    active_ids = cases_with_granted_on().filter(active_on_q(end)).values("pk")
    rows = scope.grouped(
        src,
        src.queryset.filter(
            kind=IncomeKind.EARNINGS,
            income_month__gte=month,
            income_month__lte=end,
            amount_cents__gt=0,
            benefit_unit__in=active_ids,
        ),
        with_earnings=Count("benefit_unit", distinct=True),
        total=Coalesce(Sum("amount_cents"), 0),
    )
    parts = collect(
        rows,
        {
            "cases_with_earnings": ("with_earnings", None, None),
            "average_earnings": (None, "with_earnings", "total"),
        },
    )
    return parts
