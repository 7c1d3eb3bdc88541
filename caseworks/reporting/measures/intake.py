"""Intake: applications received, decisions, grant rate, days to decision."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from caseworks.applications.constants import ApplicationStatus
from caseworks.eligibility.constants import DecisionOutcome, DecisionStatus

from .. import sources
from .base import DaysBetween
from .scope import PartsByGroup, Scope, collect


def intake_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    apps_src, dec_src = sources.applications(), sources.decisions()
    f = scope.filters
    received = scope.grouped(
        apps_src,
        apps_src.queryset.exclude(status=ApplicationStatus.DRAFT).filter(
            applied_on__gte=f.period_start, applied_on__lte=f.period_end
        ),
        received=Count("pk"),
    )
    decisions = (
        dec_src.queryset.filter(status=DecisionStatus.FINAL)
        .annotate(
            decided_on=TruncDate("decided_at"),
        )
        .filter(decided_on__gte=f.period_start, decided_on__lte=f.period_end)
        .annotate(days=DaysBetween(F("decided_on"), F("benefit_unit__application__applied_on")))
    )
    decided = scope.grouped(
        dec_src,
        decisions,
        decisions=Count("pk"),
        grants=Count("pk", filter=Q(outcome=DecisionOutcome.GRANT)),
        timed=Count("pk", filter=Q(days__isnull=False)),
        days_sum=Coalesce(Sum("days"), 0),
    )
    parts = collect(received, {"applications_received": ("received", None, None)})
    parts.update(
        collect(
            decided,
            {
                "decisions_final": ("decisions", None, None),
                "grant_rate": ("grants", "decisions", None),
                "days_to_decision": (None, "timed", "days_sum"),
            },
        )
    )
    return parts
