"""Outcome measures per delivery partner, office and month, and province-wide.

Every figure is computed in PostgreSQL with one aggregate query per group of measures
(`.values(<group>).annotate(...)`): no row is loaded into Python. The definitions (formula and
source of each measure) are in docs/measures.md; keys here match the headings there.

The measures read from the read replica when one is configured (`use_replica`, docs/scaling.md):
they are aggregates of past months, and a few seconds of replication lag do not change them.

A measure is computed per *group* (a delivery partner, or an office of one partner); the
provincial figure adds the groups' numerators and denominators (never averages of averages).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.core.db import use_replica

from . import sources
from .suppression import Cell, CellKind, count, mean, money_total, rate

GroupBy = Literal["partner", "office"]
PROVINCE = "province"
# Cases that have been granted assistance (a pending, denied or withdrawn case never was).
GRANTED_STATUSES = (CaseStatus.ACTIVE, CaseStatus.SUSPENDED, CaseStatus.CLOSED)
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
RETURN_WINDOWS = (3, 6, 12)
FOLLOW_UP_CHECKPOINTS = (1, 3, 6, 12)
FULL_TIME_HOURS = Decimal(30)  # caseworks.employment.constants.FULL_TIME_HOURS_PER_WEEK


class FamilyType:
    SINGLE = "single"
    COUPLE = "couple"
    SOLE_SUPPORT = "sole_support"
    COUPLE_WITH_CHILDREN = "couple_with_children"

    CHOICES: tuple[tuple[str, Promise], ...] = (
        (SINGLE, _("Single (no spouse, no children)")),
        (COUPLE, _("Couple without children")),
        (SOLE_SUPPORT, _("Sole-support parent")),
        (COUPLE_WITH_CHILDREN, _("Couple with children")),
    )


# --------------------------------------------------------------------------- dates


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from `first` to `last` inclusive."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


# --------------------------------------------------------------------------- SQL helpers


class DaysBetween(Func):
    """`end - start` in whole days (PostgreSQL date subtraction gives an integer)."""

    template = "((%(expressions)s))"
    arg_joiner = ") - ("
    output_field = IntegerField()


class AddMonths(Func):
    template = "((%(expressions)s) + interval '%(months)s months')::date"
    output_field = DateField()

    def __init__(self, expression: Any, months: int) -> None:
        super().__init__(expression, months=int(months))


@dataclass(frozen=True)
class ReportFilters:
    month_from: dt.date
    month_to: dt.date
    partner_ids: tuple[int, ...] | None = None
    office_id: int | None = None
    family_type: str = ""

    @property
    def period_start(self) -> dt.date:
        return month_start(self.month_from)

    @property
    def period_end(self) -> dt.date:
        return month_end(self.month_to)

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.month_from, self.month_to)


def granted_on_subquery() -> Subquery:
    """The first day the case became active (assistance granted)."""
    return Subquery(
        sources.status_changes()
        .queryset.filter(benefit_unit=OuterRef("pk"), to_status=CaseStatus.ACTIVE)
        .values("benefit_unit")
        .annotate(first=Min("effective_on"))
        .values("first")[:1],
        output_field=DateField(),
    )


def cases_with_granted_on() -> QuerySet[Any]:
    """Cases with `granted_on`: the first change to active, or (a case recorded without its
    status history, e.g. imported) the day it opened."""
    return sources.cases().queryset.annotate(
        granted_on=Coalesce(granted_on_subquery(), F("opened_on"))
    )


def active_on_q(on: dt.date) -> Q:
    """A granted case not closed by `on` (docs/measures.md, "Caseload")."""
    return Q(status__in=GRANTED_STATUSES, granted_on__lte=on) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )


def _current_member(role_q: Q, on: dt.date) -> Exists:
    return Exists(
        sources.memberships()
        .queryset.filter(
            role_q,
            benefit_unit=OuterRef("pk"),
            start_on__lte=on,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=on))
    )


def cases_with_family_type(on: dt.date) -> QuerySet[Any]:
    """Cases annotated with has_spouse / has_children as on `on` (family type)."""
    return cases_with_granted_on().annotate(
        has_spouse=_current_member(Q(role=MemberRole.SPOUSE), on),
        has_children=_current_member(Q(role=MemberRole.DEPENDANT_CHILD), on),
    )


def family_q(family_type: str) -> Q:
    return {
        FamilyType.SINGLE: Q(has_spouse=False, has_children=False),
        FamilyType.COUPLE: Q(has_spouse=True, has_children=False),
        FamilyType.SOLE_SUPPORT: Q(has_spouse=False, has_children=True),
        FamilyType.COUPLE_WITH_CHILDREN: Q(has_spouse=True, has_children=True),
    }.get(family_type, Q())


# --------------------------------------------------------------------------- the measures


@dataclass(frozen=True)
class Measure:
    key: str
    section: Promise
    label: Promise
    kind: CellKind
    source: str  # the sources.py function(s) it reads, for docs and "not yet computed"
    # Rows that add up to another shown row (secondary suppression within a column).
    additive_group: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure("caseload_cases", _("Caseload"), _("Cases at month end"), "count", "cases"),
    Measure(
        "caseload_beneficiaries",
        _("Caseload"),
        _("Beneficiaries at month end"),
        "count",
        "cases, memberships",
    ),
    *(
        Measure(
            f"caseload_family_{key}", _("Caseload"), label, "count", "cases, memberships", "family"
        )
        for key, label in FamilyType.CHOICES
    ),
    Measure(
        "applications_received", _("Intake"), _("Applications received"), "count", "applications"
    ),
    Measure("decisions_final", _("Intake"), _("Decisions made"), "count", "decisions"),
    Measure("grant_rate", _("Intake"), _("Grant rate (granted ÷ decisions)"), "rate", "decisions"),
    Measure(
        "days_to_decision",
        _("Intake"),
        _("Mean days from application to decision"),
        "days",
        "decisions, applications",
    ),
    Measure(
        "time_on_assistance",
        _("Time on assistance"),
        _("Mean months on assistance (active cases)"),
        "months",
        "cases",
    ),
    Measure(
        "time_on_assistance_under_1y",
        _("Time on assistance"),
        _("On assistance under 1 year"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "time_on_assistance_1_2y",
        _("Time on assistance"),
        _("On assistance 1 to 2 years"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "time_on_assistance_2_3y",
        _("Time on assistance"),
        _("On assistance 2 to 3 years"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "time_on_assistance_3y_plus",
        _("Time on assistance"),
        _("On assistance 3 years or more"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "cases_with_earnings",
        _("Earnings"),
        _("Cases with earnings (% of caseload, last month)"),
        "rate",
        "income_reports",
    ),
    Measure(
        "average_earnings",
        _("Earnings"),
        _("Average monthly earnings of cases with earnings"),
        "money",
        "income_reports",
    ),
    Measure("exits_all", _("Exits"), _("Exits from assistance"), "count", "assistance_exits"),
    Measure("exits_employment", _("Exits"), _("Exits to employment"), "count", "assistance_exits"),
    Measure(
        "exits_employment_rate",
        _("Exits"),
        _("Exits to employment (% of average monthly caseload, period)"),
        "rate",
        "assistance_exits, cases",
    ),
    Measure(
        "exits_employment_rate_annual",
        _("Exits"),
        _("Exits to employment (% of average caseload, annualised)"),
        "rate",
        "assistance_exits, cases",
    ),
    *(
        Measure(
            f"returns_{n}m",
            _("Returns"),
            label,
            "rate",
            "assistance_exits, status_changes, memberships",
        )
        for n, label in (
            (3, _("Exits returning to assistance within 3 months")),
            (6, _("Exits returning to assistance within 6 months")),
            (12, _("Exits returning to assistance within 12 months")),
        )
    ),
    *(
        Measure(f"retained_{n}m", _("Employment retention"), label, "rate", "outcome_follow_ups")
        for n, label in (
            (1, _("Still employed at the 1-month follow-up")),
            (3, _("Still employed at the 3-month follow-up")),
            (6, _("Still employed at the 6-month follow-up")),
            (12, _("Still employed at the 12-month follow-up")),
        )
    ),
    Measure("jobs_started", _("Job quality"), _("Jobs started"), "count", "employment_outcomes"),
    Measure(
        "job_mean_hours", _("Job quality"), _("Mean hours per week"), "hours", "employment_outcomes"
    ),
    Measure(
        "job_hours_under_20",
        _("Job quality"),
        _("Jobs under 20 hours a week"),
        "count",
        "employment_outcomes",
        "hours",
    ),
    Measure(
        "job_hours_20_29",
        _("Job quality"),
        _("Jobs of 20 to 29 hours a week"),
        "count",
        "employment_outcomes",
        "hours",
    ),
    Measure(
        "job_hours_30_plus",
        _("Job quality"),
        _("Jobs of 30 hours a week or more (full time)"),
        "count",
        "employment_outcomes",
        "hours",
    ),
    Measure(
        "job_full_time_rate",
        _("Job quality"),
        _("Full-time jobs (30 hours or more)"),
        "rate",
        "employment_outcomes",
    ),
    Measure(
        "job_permanent_rate", _("Job quality"), _("Permanent jobs"), "rate", "employment_outcomes"
    ),
    Measure(
        "job_min_wage_rate",
        _("Job quality"),
        _("Jobs paying at least the Ontario minimum wage"),
        "rate",
        "employment_outcomes",
    ),
    Measure(
        "job_mean_wage", _("Job quality"), _("Mean hourly wage"), "money", "employment_outcomes"
    ),
    Measure("referrals_made", _("Referrals"), _("Referrals made"), "count", "referrals"),
    Measure(
        "referrals_accepted_rate", _("Referrals"), _("Referrals accepted"), "rate", "referrals"
    ),
    Measure("referrals_completed", _("Referrals"), _("Referrals completed"), "count", "referrals"),
    Measure("referrals_declined", _("Referrals"), _("Referrals declined"), "count", "referrals"),
    Measure(
        "referrals_unanswered",
        _("Referrals"),
        _("Referrals unanswered past their due date"),
        "count",
        "referrals",
    ),
    Measure(
        "plan_reviews_due",
        _("Participation agreements"),
        _("Agreement reviews due"),
        "count",
        "plan_reviews",
    ),
    Measure(
        "plan_reviews_on_time_rate",
        _("Participation agreements"),
        _("Agreement reviews done on time"),
        "rate",
        "plan_reviews",
    ),
    Measure(
        "plan_reviews_overdue",
        _("Participation agreements"),
        _("Agreement reviews overdue (not done)"),
        "count",
        "plan_reviews",
    ),
    Measure(
        "overpayments_raised",
        _("Overpayments"),
        _("Overpayments raised"),
        "count",
        "ledger_entries",
    ),
    Measure(
        "overpayments_raised_amount",
        _("Overpayments"),
        _("Overpayments raised (amount)"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "overpayments_recovered_amount",
        _("Overpayments"),
        _("Recovered (deductions and repayments)"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "overpayments_written_off_amount",
        _("Overpayments"),
        _("Written off"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "overpayments_outstanding_amount",
        _("Overpayments"),
        _("Outstanding at period end"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "reviews_requested",
        _("Reviews and appeals"),
        _("Internal reviews requested"),
        "count",
        "internal_reviews",
    ),
    Measure(
        "reviews_on_time_rate",
        _("Reviews and appeals"),
        _("Internal reviews decided on time"),
        "rate",
        "internal_reviews",
    ),
    Measure(
        "reviews_changed_rate",
        _("Reviews and appeals"),
        _("Internal reviews that changed the decision"),
        "rate",
        "internal_reviews",
    ),
    Measure(
        "appeals_filed",
        _("Reviews and appeals"),
        _("Appeals filed with the Social Benefits Tribunal"),
        "count",
        "appeals",
    ),
    Measure("appeals_decided", _("Reviews and appeals"), _("Appeals decided"), "count", "appeals"),
    Measure(
        "appeals_allowed_rate",
        _("Reviews and appeals"),
        _("Appeals allowed (of appeals decided)"),
        "rate",
        "appeals",
    ),
)
MEASURES_BY_KEY = {m.key: m for m in MEASURES}

# The shown row each additive group of rows adds up to (Measure.additive_group).
ADDITIVE_TOTALS = {
    "family": "caseload_cases",
    "tenure": "caseload_cases",
    "hours": "jobs_started",
}

# (base, derived, mutual): the derived figure is worked out from the base count (a rate, mean
# or amount over its people, or the same people counted another way), so it is suppressed
# whenever the base is; mutual: each is a deterministic function of the other (beneficiaries
# are 2 × cases for couples without children, 1 × for singles; the annualised rate is the
# period rate × 12 ÷ months; full-time jobs ÷ jobs started is the full-time rate), so each is
# suppressed whenever the other is. SUPPRESSION.md, "Derived measures".
DERIVED: tuple[tuple[str, str, bool], ...] = (
    ("caseload_cases", "caseload_beneficiaries", True),
    ("caseload_cases", "time_on_assistance", False),
    ("caseload_cases", "cases_with_earnings", False),
    ("cases_with_earnings", "average_earnings", False),
    ("decisions_final", "grant_rate", False),
    ("decisions_final", "days_to_decision", False),
    ("exits_employment", "exits_employment_rate", False),
    ("exits_employment_rate", "exits_employment_rate_annual", True),
    *(("exits_all", f"returns_{n}m", False) for n in RETURN_WINDOWS),
    *(
        ("jobs_started", key, False)
        for key in (
            "job_mean_hours",
            "job_full_time_rate",
            "job_permanent_rate",
            "job_min_wage_rate",
            "job_mean_wage",
        )
    ),
    ("job_hours_30_plus", "job_full_time_rate", True),
    ("referrals_made", "referrals_accepted_rate", False),
    ("plan_reviews_due", "plan_reviews_on_time_rate", False),
    ("overpayments_raised", "overpayments_raised_amount", False),
    ("reviews_requested", "reviews_on_time_rate", False),
    ("reviews_requested", "reviews_changed_rate", False),
    ("appeals_decided", "appeals_allowed_rate", False),
)


# Parts per group: "n" numerator/count, "d" denominator/people, "s" sum.
Parts = dict[str, Any]
PartsByGroup = dict[Any, Parts]


@dataclass
class MeasureResults:
    """Cells per measure and group (group ids, plus PROVINCE), and what could not be computed."""

    groups: list[Any]
    cells: dict[str, dict[Any, Cell]] = field(default_factory=dict)
    not_computed: dict[str, str] = field(default_factory=dict)
    series: dict[str, dict[Any, list[tuple[dt.date, Cell]]]] = field(default_factory=dict)


class _Scope:
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


def _collect(
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


def _caseload(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup]:
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
    parts = _collect(
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
    parts.update(_collect(member_rows, {"caseload_beneficiaries": ("people", None, None)}))
    return parts


def _caseload_series(scope: _Scope) -> dict[Any, list[tuple[dt.date, int]]]:
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


def _intake(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    apps_src, dec_src = sources.applications(), sources.decisions()
    if apps_src is None or dec_src is None:
        return None
    f = scope.filters
    received = scope.grouped(
        apps_src,
        apps_src.queryset.exclude(status="draft").filter(
            applied_on__gte=f.period_start, applied_on__lte=f.period_end
        ),
        received=Count("pk"),
    )
    decisions = (
        dec_src.queryset.filter(status="final")
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
        grants=Count("pk", filter=Q(outcome="grant")),
        timed=Count("pk", filter=Q(days__isnull=False)),
        days_sum=Coalesce(Sum("days"), 0),
    )
    parts = _collect(received, {"applications_received": ("received", None, None)})
    parts.update(
        _collect(
            decided,
            {
                "decisions_final": ("decisions", None, None),
                "grant_rate": ("grants", "decisions", None),
                "days_to_decision": (None, "timed", "days_sum"),
            },
        )
    )
    return parts


def _earnings(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    src = sources.income_reports()
    if src is None:
        return None
    f = scope.filters
    month, end = month_start(f.month_to), f.period_end
    active_ids = cases_with_granted_on().filter(active_on_q(end)).values("pk")
    rows = scope.grouped(
        src,
        src.queryset.filter(
            kind="earnings",
            income_month__gte=month,
            income_month__lte=end,
            amount_cents__gt=0,
            benefit_unit__in=active_ids,
        ),
        with_earnings=Count("benefit_unit", distinct=True),
        total=Coalesce(Sum("amount_cents"), 0),
    )
    parts = _collect(
        rows,
        {
            "cases_with_earnings": ("with_earnings", None, None),
            "average_earnings": (None, "with_earnings", "total"),
        },
    )
    return parts


def _exits(
    scope: _Scope, as_of: dt.date, series: dict[Any, list[tuple[dt.date, int]]]
) -> dict[str, PartsByGroup] | None:
    src = sources.assistance_exits()
    if src is None:
        return None
    f = scope.filters
    in_period = src.queryset.filter(exit_on__gte=f.period_start, exit_on__lte=f.period_end)
    rows = scope.grouped(
        src,
        in_period,
        exits=Count("pk"),
        employment=Count("pk", filter=Q(reason="employment")),
    )
    parts = _collect(
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
        _collect(
            returns,
            {f"returns_{n}m": (f"returned_{n}", f"exits_{n}", None) for n in RETURN_WINDOWS},
        )
    )
    return parts


def _retention(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    src = sources.outcome_follow_ups()
    if src is None:
        return None
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
    return _collect(
        rows,
        {f"retained_{n}m": (f"employed_{n}", f"known_{n}", None) for n in FOLLOW_UP_CHECKPOINTS},
    )


def _jobs(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    src = sources.employment_outcomes()
    if src is None:
        return None
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(start_on__gte=f.period_start, start_on__lte=f.period_end),
        jobs=Count("pk"),
        hours=Coalesce(Sum("hours_per_week"), Decimal(0)),
        under_20=Count("pk", filter=Q(hours_per_week__lt=20)),
        h20_29=Count("pk", filter=Q(hours_per_week__gte=20, hours_per_week__lt=FULL_TIME_HOURS)),
        full_time=Count("pk", filter=Q(hours_per_week__gte=FULL_TIME_HOURS)),
        permanent=Count("pk", filter=Q(permanence="permanent")),
        wage_known=Count("pk", filter=Q(minimum_wage_cents__isnull=False)),
        at_min_wage=Count("pk", filter=Q(hourly_wage_cents__gte=F("minimum_wage_cents"))),
        wage_sum=Coalesce(Sum("hourly_wage_cents"), 0),
    )
    return _collect(
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


REFERRAL_ACCEPTED = ("accepted", "started", "completed", "no_show")


def _referral_aggregates(as_of: dt.date) -> dict[str, Any]:
    return {
        "made": Count("pk"),
        "accepted": Count("pk", filter=Q(status__in=REFERRAL_ACCEPTED)),
        "completed": Count("pk", filter=Q(status="completed")),
        "declined": Count("pk", filter=Q(status="declined")),
        "unanswered": Count("pk", filter=Q(status="sent", response_due_on__lt=as_of)),
    }


def _referrals(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    src = sources.referrals()
    if src is None:
        return None
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(sent_on__gte=f.period_start, sent_on__lte=f.period_end),
        **_referral_aggregates(as_of),
    )
    return _collect(
        rows,
        {
            "referrals_made": ("made", None, None),
            "referrals_accepted_rate": ("accepted", "made", None),
            "referrals_completed": ("completed", None, None),
            "referrals_declined": ("declined", None, None),
            "referrals_unanswered": ("unanswered", None, None),
        },
    )


def _plan_reviews(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
    src = sources.plan_reviews()
    if src is None:
        return None
    f = scope.filters
    rows = scope.grouped(
        src,
        src.queryset.filter(due_on__gte=f.period_start, due_on__lte=min(f.period_end, as_of)),
        due=Count("pk"),
        on_time=Count("pk", filter=Q(reviewed_on__isnull=False, reviewed_on__lte=F("due_on"))),
        overdue=Count("pk", filter=Q(reviewed_on__isnull=True, due_on__lt=as_of)),
    )
    return _collect(
        rows,
        {
            "plan_reviews_due": ("due", None, None),
            "plan_reviews_on_time_rate": ("on_time", "due", None),
            "plan_reviews_overdue": ("overdue", None, None),
        },
    )


def _overpayments(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
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
    return _collect(
        rows,
        {
            "overpayments_raised": ("raised", None, None),
            "overpayments_raised_amount": (None, "raised_cases", "raised_sum"),
            "overpayments_recovered_amount": (None, "recovered_cases", "recovered_sum"),
            "overpayments_written_off_amount": (None, "written_off_cases", "written_off_sum"),
            "overpayments_outstanding_amount": (None, "owing_cases", "outstanding_sum"),
        },
    )


def _reviews(scope: _Scope, as_of: dt.date) -> dict[str, PartsByGroup] | None:
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
    parts = _collect(
        reviews,
        {
            "reviews_requested": ("requested", None, None),
            "reviews_on_time_rate": ("on_time", "decided", None),
            "reviews_changed_rate": ("changed", "decided", None),
        },
    )
    parts.update(
        _collect(
            appeals,
            {
                "appeals_filed": ("filed", None, None),
                "appeals_decided": ("decided", None, None),
                "appeals_allowed_rate": ("allowed", "decided", None),
            },
        )
    )
    return parts


_NEEDS = {
    "_intake": _("applications and decisions (caseworks.applications, caseworks.eligibility)"),
    "_earnings": _("monthly income reports (caseworks.payments.IncomeReport)"),
    "_exits": _("assistance exits (caseworks.employment.AssistanceExit)"),
    "_retention": _("employment follow-ups (caseworks.employment.OutcomeFollowUp)"),
    "_jobs": _("employment outcomes (caseworks.employment.EmploymentOutcome)"),
    "_referrals": _("referrals (caseworks.employment.Referral)"),
    "_plan_reviews": _("participation agreement reviews (caseworks.plans.PlanReview)"),
    "_overpayments": _("the overpayment ledger (caseworks.payments.LedgerEntry)"),
    "_reviews": _("internal reviews and appeals (caseworks.reviews)"),
}


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
    *, filters: ReportFilters, group_by: GroupBy = "partner", as_of: dt.date
) -> MeasureResults:
    """Every measure per group and for the whole scope (PROVINCE), unsuppressed.

    About 14 queries whatever the number of partners or cases (see test_query_count)."""
    scope = _Scope(filters, group_by)
    series = _caseload_series(scope)
    parts: dict[str, PartsByGroup] = _caseload(scope, as_of)
    computations: list[tuple[str, Callable[[], dict[str, PartsByGroup] | None]]] = [
        ("_intake", lambda: _intake(scope, as_of)),
        ("_earnings", lambda: _earnings(scope, as_of)),
        ("_exits", lambda: _exits(scope, as_of, series)),
        ("_retention", lambda: _retention(scope, as_of)),
        ("_jobs", lambda: _jobs(scope, as_of)),
        ("_referrals", lambda: _referrals(scope, as_of)),
        ("_plan_reviews", lambda: _plan_reviews(scope, as_of)),
        ("_overpayments", lambda: _overpayments(scope, as_of)),
        ("_reviews", lambda: _reviews(scope, as_of)),
    ]
    not_computed: dict[str, str] = {}
    for name, compute in computations:
        result = compute()
        if result is None:
            for measure in MEASURES:
                if measure.key not in parts:
                    not_computed.setdefault(measure.key, str(_NEEDS[name]))
            continue
        parts.update(result)
    # Earnings rate denominator: the caseload at month end.
    caseload = parts.get("caseload_cases", {})
    if "cases_with_earnings" in parts:
        for group, group_parts in caseload.items():
            earning = parts["cases_with_earnings"].setdefault(group, {"n": 0, "d": 0, "s": None})
            earning["d"] = group_parts["n"]
    groups = sorted(
        {g for by_group in parts.values() for g in by_group} | set(series),
        key=lambda g: (g is None, g or 0),
    )
    results = MeasureResults(groups=groups, not_computed=not_computed)
    for measure in MEASURES:
        if measure.key in not_computed:
            continue
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
    if src is None:
        return []
    scope = _Scope(filters, "partner")
    rows = (
        scope.apply(src)
        .filter(sent_on__gte=filters.period_start, sent_on__lte=filters.period_end)
        .values("provider_id", "provider__name")
        .order_by("provider__name", "provider_id")
        .annotate(**_referral_aggregates(as_of))
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
