"""Overpayments raised, recovered, written off and outstanding (the payments ledger)."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate

from .. import sources
from .scope import PartsByGroup, Scope, collect


def overpayments_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    src = sources.ledger_entries()
    if src is None:
        return None
    f = scope.filters
    recorded = TruncDate("recorded_at")
    qs = src.queryset.annotate(recorded_on=recorded).filter(recorded_on__lte=f.period_end)
    in_period = Q(recorded_on__gte=f.period_start)
    balance_kinds = Q(kind__in=("overpayment", "recovery", "repayment", "write_off"))
    rows = scope.grouped(
        src,
        qs,
        raised=Count("pk", filter=in_period & Q(kind="overpayment")),
        raised_cases=Count("benefit_unit", distinct=True, filter=in_period & Q(kind="overpayment")),
        raised_sum=Coalesce(Sum("amount_cents", filter=in_period & Q(kind="overpayment")), 0),
        recovered_cases=Count(
            "benefit_unit", distinct=True, filter=in_period & Q(kind__in=("recovery", "repayment"))
        ),
        # Recoveries, repayments and write-offs are negative entries (payments.LedgerEntry).
        recovered_sum=Coalesce(
            Sum("amount_cents", filter=in_period & Q(kind__in=("recovery", "repayment"))), 0
        ),
        written_off_cases=Count(
            "benefit_unit", distinct=True, filter=in_period & Q(kind="write_off")
        ),
        written_off_sum=Coalesce(Sum("amount_cents", filter=in_period & Q(kind="write_off")), 0),
        owing_cases=Count("benefit_unit", distinct=True, filter=balance_kinds),
        outstanding_sum=Coalesce(Sum("amount_cents", filter=balance_kinds), 0),
    )
    for row in rows.values():
        row["recovered_sum"] = -int(row["recovered_sum"])
        row["written_off_sum"] = -int(row["written_off_sum"])
    return collect(
        rows,
        {
            "overpayments_raised": ("raised", None, None),
            "overpayments_raised_amount": (None, "raised_cases", "raised_sum"),
            "overpayments_recovered_amount": (None, "recovered_cases", "recovered_sum"),
            "overpayments_written_off_amount": (None, "written_off_cases", "written_off_sum"),
            "overpayments_outstanding_amount": (None, "owing_cases", "outstanding_sum"),
        },
    )
