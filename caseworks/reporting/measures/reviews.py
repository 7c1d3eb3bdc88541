"""Internal reviews and appeals to the Social Benefits Tribunal."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from caseworks.reviews.constants import AppealOutcome, AppealStatus, ReviewOutcome, ReviewStatus

from .. import sources
from .scope import PartsByGroup, Scope, collect

# A review that varied or reversed the decision changed it.
CHANGED = (ReviewOutcome.VARIED, ReviewOutcome.REVERSED)


def reviews_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    rev_src, app_src = sources.internal_reviews(), sources.appeals()
    f = scope.filters
    decided = Q(status=ReviewStatus.DECIDED)
    reviews = scope.grouped(
        rev_src,
        rev_src.queryset.filter(requested_on__gte=f.period_start, requested_on__lte=f.period_end),
        requested=Count("pk"),
        decided=Count("pk", filter=decided),
        on_time=Count("pk", filter=decided & Q(decided_on__lte=F("decision_due_on"))),
        changed=Count("pk", filter=decided & Q(outcome__in=CHANGED)),
    )
    appeals = scope.grouped(
        app_src,
        app_src.queryset.filter(filed_on__gte=f.period_start, filed_on__lte=f.period_end),
        filed=Count("pk"),
        decided=Count("pk", filter=Q(status=AppealStatus.DECIDED)),
        allowed=Count("pk", filter=Q(status=AppealStatus.DECIDED, outcome=AppealOutcome.ALLOWED)),
    )
    parts = collect(
        reviews,
        {
            "reviews_requested": ("requested", None, None),
            "reviews_on_time_rate": ("on_time", "decided", None),
            "reviews_changed_rate": ("changed", "decided", None),
        },
    )
    parts.update(
        collect(
            appeals,
            {
                "appeals_filed": ("filed", None, None),
                "appeals_decided": ("decided", None, None),
                "appeals_allowed_rate": ("allowed", "decided", None),
            },
        )
    )
    return parts
