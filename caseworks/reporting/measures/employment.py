"""Employment: exits and returns, retention, jobs started, referrals, participation agreement
reviews."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.employment.constants import (
    FULL_TIME_HOURS_PER_WEEK,
    ExitReason,
    Permanence,
    ReferralStatus,
)

from .. import sources
from .base import (
    FOLLOW_UP_CHECKPOINTS,
    RETURN_WINDOWS,
    AddMonths,
    add_months,
)
from .scope import PartsByGroup, Scope, collect


def exits_parts(
    scope: Scope, as_of: dt.date, series: dict[Any, list[tuple[dt.date, int]]]
) -> dict[str, PartsByGroup]:
    src = sources.assistance_exits()
    f = scope.filters
    in_period = src.queryset.filter(exit_on__gte=f.period_start, exit_on__lte=f.period_end)
    rows = scope.grouped(
        src,
        in_period,
        exits=Count("pk"),
        employment=Count("pk", filter=Q(reason=ExitReason.EMPLOYMENT)),
    )
    parts = collect(
        rows,
        {"exits_all": ("exits", None, None), "exits_employment": ("employment", None, None)},
    )
    months = len(f.months)
    parts["exits_employment_rate"] = {}
    parts["exits_employment_rate_annual"] = {}
    # Average monthly caseload = mean of the month-end caseloads of the period (whole cases).
    for group, points in series.items():
        total = sum(value for _m, value in points)
        average = int((Decimal(total) / months).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        exits = int(rows.get(group, {}).get("employment", 0))
        parts["exits_employment_rate"][group] = {"n": exits, "d": average, "s": None}
        parts["exits_employment_rate_annual"][group] = {
            "n": exits,
            "d": average,
            "s": None,
            "scale": Decimal(12) / months,
        }
    # Returns within N months of an exit whose N-month window has ended by as_of.
    changes = sources.status_changes().queryset
    members = sources.memberships().queryset
    annotations: dict[str, Any] = {}
    aggregates: dict[str, Any] = {}
    for n in RETURN_WINDOWS:
        window_end = AddMonths(OuterRef("exit_on"), n)
        reinstated = Exists(
            changes.filter(
                benefit_unit=OuterRef("benefit_unit_id"),
                to_status=CaseStatus.ACTIVE,
                effective_on__gt=OuterRef("exit_on"),
                effective_on__lte=window_end,
            )
        )
        new_case = Exists(
            members.filter(
                person__in=members.filter(
                    benefit_unit=OuterRef(OuterRef("benefit_unit_id")), role=MemberRole.APPLICANT
                ).values("person_id"),
                start_on__gt=OuterRef("exit_on"),
                start_on__lte=window_end,
            ).exclude(benefit_unit=OuterRef("benefit_unit_id"))
        )
        annotations[f"back_{n}"] = reinstated
        annotations[f"new_{n}"] = new_case
        eligible = Q(exit_on__lte=add_months(as_of, -n))
        aggregates[f"exits_{n}"] = Count("pk", filter=eligible)
        aggregates[f"returned_{n}"] = Count(
            "pk", filter=eligible & (Q(**{f"back_{n}": True}) | Q(**{f"new_{n}": True}))
        )
    returns = scope.grouped(src, in_period.annotate(**annotations), **aggregates)
    parts.update(
        collect(
            returns,
            {f"returns_{n}m": (f"returned_{n}", f"exits_{n}", None) for n in RETURN_WINDOWS},
        )
    )
    return parts


def retention_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    src = sources.outcome_follow_ups()
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(due_on__gte=f.period_start, due_on__lte=min(f.period_end, as_of)),
        **{
            key: value
            for n in FOLLOW_UP_CHECKPOINTS
            for key, value in (
                (
                    f"known_{n}",
                    Count("pk", filter=Q(months_after_start=n, still_employed__isnull=False)),
                ),
                (f"employed_{n}", Count("pk", filter=Q(months_after_start=n, still_employed=True))),
            )
        },
    )
    return collect(
        rows,
        {f"retained_{n}m": (f"employed_{n}", f"known_{n}", None) for n in FOLLOW_UP_CHECKPOINTS},
    )


def jobs_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    src = sources.employment_outcomes()
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(start_on__gte=f.period_start, start_on__lte=f.period_end),
        jobs=Count("pk"),
        hours=Coalesce(Sum("hours_per_week"), Decimal(0)),
        under_20=Count("pk", filter=Q(hours_per_week__lt=20)),
        h20_29=Count(
            "pk", filter=Q(hours_per_week__gte=20, hours_per_week__lt=FULL_TIME_HOURS_PER_WEEK)
        ),
        full_time=Count("pk", filter=Q(hours_per_week__gte=FULL_TIME_HOURS_PER_WEEK)),
        permanent=Count("pk", filter=Q(permanence=Permanence.PERMANENT)),
        wage_known=Count("pk", filter=Q(minimum_wage_cents__isnull=False)),
        at_min_wage=Count("pk", filter=Q(hourly_wage_cents__gte=F("minimum_wage_cents"))),
        wage_sum=Coalesce(Sum("hourly_wage_cents"), 0),
    )
    return collect(
        rows,
        {
            "jobs_started": ("jobs", None, None),
            "job_mean_hours": (None, "jobs", "hours"),
            "job_hours_under_20": ("under_20", None, None),
            "job_hours_20_29": ("h20_29", None, None),
            "job_hours_30_plus": ("full_time", None, None),
            "job_full_time_rate": ("full_time", "jobs", None),
            "job_permanent_rate": ("permanent", "jobs", None),
            "job_min_wage_rate": ("at_min_wage", "wage_known", None),
            "job_mean_wage": (None, "jobs", "wage_sum"),
        },
    )


REFERRAL_ACCEPTED = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.STARTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.NO_SHOW,
)


def referral_aggregates(as_of: dt.date) -> dict[str, Any]:
    return {
        "made": Count("pk"),
        "accepted": Count("pk", filter=Q(status__in=REFERRAL_ACCEPTED)),
        "completed": Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        "declined": Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
        "unanswered": Count("pk", filter=Q(status=ReferralStatus.SENT, response_due_on__lt=as_of)),
    }


def referrals_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    src = sources.referrals()
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(sent_on__gte=f.period_start, sent_on__lte=f.period_end),
        **referral_aggregates(as_of),
    )
    return collect(
        rows,
        {
            "referrals_made": ("made", None, None),
            "referrals_accepted_rate": ("accepted", "made", None),
            "referrals_completed": ("completed", None, None),
            "referrals_declined": ("declined", None, None),
            "referrals_unanswered": ("unanswered", None, None),
        },
    )


def plan_reviews_parts(scope: Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
    src = sources.plan_reviews()
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(due_on__gte=f.period_start, due_on__lte=min(f.period_end, as_of)),
        due=Count("pk"),
        on_time=Count("pk", filter=Q(reviewed_on__isnull=False, reviewed_on__lte=F("due_on"))),
        overdue=Count("pk", filter=Q(reviewed_on__isnull=True, due_on__lt=as_of)),
    )
    return collect(
        rows,
        {
            "plan_reviews_due": ("due", None, None),
            "plan_reviews_on_time_rate": ("on_time", "due", None),
            "plan_reviews_overdue": ("overdue", None, None),
        },
    )
