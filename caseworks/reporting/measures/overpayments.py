"""Overpayments raised, recovered, written off and outstanding (the payments ledger)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from caseworks.payments.constants import LedgerEntryKind

from .. import sources
from .scope import PartsByGroup, Scope, collect

OVERPAYMENT = LedgerEntryKind.OVERPAYMENT
# Recoveries, repayments and write-offs are negative entries (payments.LedgerEntry).
RECOVERED = (LedgerEntryKind.RECOVERY, LedgerEntryKind.REPAYMENT)
WRITE_OFF = LedgerEntryKind.WRITE_OFF


def overpayments_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    src = sources.ledger_entries()
    f = scope.filters
    recorded = TruncDate("recorded_at")
    qs = src.queryset.annotate(recorded_on=recorded).filter(recorded_on__lte=f.period_end)
    in_period = Q(recorded_on__gte=f.period_start)
    balance_kinds = Q(kind__in=(OVERPAYMENT, *RECOVERED, WRITE_OFF))
    rows = scope.grouped(
        src,
        qs,
        raised=Count("pk", filter=in_period & Q(kind=OVERPAYMENT)),
        raised_cases=Count("benefit_unit", distinct=True, filter=in_period & Q(kind=OVERPAYMENT)),
        raised_sum=Coalesce(Sum("amount_cents", filter=in_period & Q(kind=OVERPAYMENT)), 0),
        recovered_cases=Count(
            "benefit_unit", distinct=True, filter=in_period & Q(kind__in=RECOVERED)
        ),
        # Recoveries, repayments and write-offs are negative entries (payments.LedgerEntry).
        recovered_sum=Coalesce(Sum("amount_cents", filter=in_period & Q(kind__in=RECOVERED)), 0),
        written_off_cases=Count(
            "benefit_unit", distinct=True, filter=in_period & Q(kind=WRITE_OFF)
        ),
        written_off_sum=Coalesce(Sum("amount_cents", filter=in_period & Q(kind=WRITE_OFF)), 0),
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
