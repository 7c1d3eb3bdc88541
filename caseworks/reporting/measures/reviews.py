"""Internal reviews and appeals to the Social Benefits Tribunal."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    F,
    Q,
)

from .. import sources
from .scope import PartsByGroup, Scope, collect


def reviews_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    rev_src, app_src = sources.internal_reviews(), sources.appeals()
    if rev_src is None or app_src is None:
        return None
    f = scope.filters
    reviews = scope.grouped(
        rev_src,
        rev_src.queryset.filter(requested_on__gte=f.period_start, requested_on__lte=f.period_end),
        requested=Count("pk"),
        decided=Count("pk", filter=Q(status="decided")),
        on_time=Count("pk", filter=Q(status="decided", decided_on__lte=F("decision_due_on"))),
        changed=Count("pk", filter=Q(status="decided", outcome__in=("varied", "reversed"))),
    )
    appeals = scope.grouped(
        app_src,
        app_src.queryset.filter(filed_on__gte=f.period_start, filed_on__lte=f.period_end),
        filed=Count("pk"),
        decided=Count("pk", filter=Q(status="decided")),
        allowed=Count("pk", filter=Q(status="decided", outcome="allowed")),
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
