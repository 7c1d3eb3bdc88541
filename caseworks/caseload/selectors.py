"""Caseload reads: a worker's cases with what needs attention, and the supervisor's overview.

Every list here runs a fixed number of queries whatever the number of cases (the flags are
EXISTS subqueries in the one case query; see tests/test_selectors.py for the query-count test).

Filters offered: overdue plan review, referral without response, job follow-up due, income
report missing, payment hold.

"Income report missing": recipients report income every month, even if zero (Ontario, "Working
and earning while on Ontario Works", https://www.ontario.ca/page/working-and-earning-while-ontario-works).
A case is flagged when it reported income (payments.IncomeReport) for any of the 3 months before
last month but has no report for last month: a case that has never reported income is not
expected to. "Payment hold": payments.PaymentProfile.on_hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.applications.constants import AppointmentStatus
from caseworks.applications.models import Appointment
from caseworks.cases.constants import OPEN_STATUSES, MemberRole, TaskStatus
from caseworks.cases.models import (
    BenefitUnit,
    BenefitUnitMember,
    CaseNote,
    CaseStatusChange,
    CaseTransfer,
    Task,
)
from caseworks.cases.selectors import benefit_unit_queryset_for_user, current_members_prefetch
from caseworks.core.access import partner_scope, require_capability
from caseworks.employment.constants import ReferralStatus
from caseworks.employment.models import OutcomeFollowUp, Referral
from caseworks.payments.models import IncomeReport, PaymentProfile
from caseworks.plans.constants import AgreementStatus
from caseworks.plans.models import PlanReview

WORKER_ROLES = (Role.CASEWORKER, Role.EMPLOYMENT_CASEWORKER, Role.SUPERVISOR)
CASELOAD_PAGE_LIMIT = 500

# name → label; the query for each is in _flags().
CASELOAD_FILTERS: dict[str, Any] = {
    "overdue_review": _("Plan review overdue"),
    "referral_no_response": _("Referral without response"),
    "follow_up_due": _("Job follow-up due"),
    "income_report_missing": _("Income report missing"),
    "payment_hold": _("Payment on hold"),
}


def _overdue_reviews(today: dt.date) -> QuerySet[PlanReview]:
    return PlanReview.objects.filter(
        reviewed_on__isnull=True, due_on__lt=today, agreement__status=AgreementStatus.ACTIVE
    )


def _unanswered_referrals(today: dt.date) -> QuerySet[Referral]:
    return Referral.objects.filter(status=ReferralStatus.SENT, response_due_on__lt=today)


def _due_follow_ups(today: dt.date) -> QuerySet[OutcomeFollowUp]:
    return OutcomeFollowUp.objects.filter(recorded_on__isnull=True, due_on__lte=today)


def _first_of_month(day: dt.date, months_back: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months_back, 12)
    return dt.date(year, month + 1, 1)


def _flag_expressions(today: dt.date) -> dict[str, Any]:
    case = OuterRef("pk")
    last_month = _first_of_month(today, 1)
    reported_last_month = Exists(
        IncomeReport.objects.filter(benefit_unit=case, income_month=last_month)
    )
    reported_before = Exists(
        IncomeReport.objects.filter(
            benefit_unit=case,
            income_month__gte=_first_of_month(today, 4),
            income_month__lt=last_month,
        )
    )
    return {
        "income_report_missing": ExpressionWrapper(
            Q(reported_before) & ~Q(reported_last_month), output_field=BooleanField()
        ),
        "payment_hold": Exists(PaymentProfile.objects.filter(benefit_unit=case, on_hold=True)),
        "overdue_review": Exists(_overdue_reviews(today).filter(agreement__benefit_unit=case)),
        "referral_no_response": Exists(_unanswered_referrals(today).filter(benefit_unit=case)),
        "follow_up_due": Exists(_due_follow_ups(today).filter(outcome__benefit_unit=case)),
    }


def _flags(queryset: QuerySet[BenefitUnit], today: dt.date) -> QuerySet[BenefitUnit]:
    return queryset.annotate(
        **_flag_expressions(today),
        open_task_count=Coalesce(
            Subquery(
                Task.objects.filter(benefit_unit=OuterRef("pk"), status=TaskStatus.OPEN)
                .order_by()
                .values("benefit_unit")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


@dataclass
class Caseload:
    worker: Any
    cases: list[BenefitUnit]
    counts: dict[str, int]
    total: int
    active_filter: str


def caseload_worker_get_for_user(*, user: Any, worker_id: int | None) -> Any:
    """The worker whose caseload is shown: oneself, or (supervisors) a worker of the partner."""
    require_capability(user, Capability.CASE_VIEW)
    if worker_id is None or worker_id == user.pk:
        return user
    require_capability(user, Capability.CASELOAD_SUPERVISE)
    try:
        return User.objects.get(
            pk=worker_id, delivery_partner_id=partner_scope(user), role__in=WORKER_ROLES
        )
    except User.DoesNotExist as exc:
        raise Http404 from exc


def caseload_get_for_user(
    *, user: Any, worker_id: int | None = None, case_filter: str = "", today: dt.date | None = None
) -> Caseload:
    """Open cases of a worker with attention flags; `case_filter` is a key of CASELOAD_FILTERS."""
    today = today or timezone.localdate()
    worker = caseload_worker_get_for_user(user=user, worker_id=worker_id)
    mine = benefit_unit_queryset_for_user(user=user).filter(
        caseworker_id=worker.pk, status__in=list(OPEN_STATUSES)
    )
    counts = mine.aggregate(
        total=Count("pk"),
        **{
            name: Count("pk", filter=expression)
            for name, expression in _flag_expressions(today).items()
        },
    )
    base = _flags(mine, today)
    queryset = base
    if case_filter in CASELOAD_FILTERS:
        queryset = queryset.filter(**{case_filter: True})
    else:
        case_filter = ""
    # Only what the page shows: no joined partner/office/worker rows, no member objects (the
    # applicant's name comes from a subquery), so 150 rows build and render quickly.
    applicant_name = (
        BenefitUnitMember.objects.filter(
            benefit_unit=OuterRef("pk"), role=MemberRole.APPLICANT, end_on__isnull=True
        )
        .annotate(full_name=Concat("person__first_name", Value(" "), "person__last_name"))
        .values("full_name")[:1]
    )
    cases: list[BenefitUnit] = list(
        queryset.select_related(None)
        .only("id", "case_number", "status", "caseworker_id", "delivery_partner_id")
        .annotate(applicant_name=Subquery(applicant_name))
        .order_by("case_number")[:CASELOAD_PAGE_LIMIT]
    )
    total = counts.pop("total")
    return Caseload(
        worker=worker, cases=cases, counts=counts, total=total, active_filter=case_filter
    )


def today_tasks_for_user(*, user: Any, today: dt.date | None = None) -> list[Task]:
    """The user's open tasks due today or overdue, oldest first."""
    require_capability(user, Capability.CASE_VIEW)
    today = today or timezone.localdate()
    return list(
        Task.objects.filter(assigned_to=user, status=TaskStatus.OPEN, due_on__lte=today)
        .select_related("benefit_unit")
        .order_by("due_on", "id")[:200]
    )


def today_appointments_for_user(*, user: Any, today: dt.date | None = None) -> list[Appointment]:
    """The user's own booked appointments today (their calendar, in their partner)."""
    require_capability(user, Capability.CASE_VIEW)
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = start + dt.timedelta(days=1)
    return list(
        Appointment.objects.filter(
            caseworker=user,
            delivery_partner_id=user.delivery_partner_id,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("person")
        .order_by("starts_at")
    )


def _tally(queryset: QuerySet[Any], worker_path: str) -> dict[int, int]:
    """{worker id: number of rows}, in one GROUP BY query."""
    rows = (
        queryset.order_by()
        .values(worker_path)
        .annotate(n=Count("pk"))
        .values_list(worker_path, "n")
    )
    return {worker: n for worker, n in rows if worker is not None}


def caseload_summary_for_supervisor(*, user: Any, today: dt.date | None = None) -> list[User]:
    """Each worker of the supervisor's partner with caseload size and overdue counts.

    Six queries whatever the size of the partner: the workers, then one GROUP BY per count
    (a single query with five correlated subqueries took seconds on a large partner).
    """
    require_capability(user, Capability.CASELOAD_SUPERVISE)
    today = today or timezone.localdate()
    scope = partner_scope(user)
    open_statuses = list(OPEN_STATUSES)
    workers = list(
        User.objects.filter(
            delivery_partner_id=scope, role__in=WORKER_ROLES, is_active=True
        ).order_by("last_name", "first_name", "id")
    )
    sizes = _tally(
        BenefitUnit.objects.filter(delivery_partner_id=scope, status__in=open_statuses),
        "caseworker_id",
    )
    reviews = _tally(
        _overdue_reviews(today).filter(
            agreement__benefit_unit__delivery_partner_id=scope,
            agreement__benefit_unit__status__in=open_statuses,
        ),
        "agreement__benefit_unit__caseworker_id",
    )
    referrals = _tally(
        _unanswered_referrals(today).filter(
            benefit_unit__delivery_partner_id=scope, benefit_unit__status__in=open_statuses
        ),
        "benefit_unit__caseworker_id",
    )
    follow_ups = _tally(
        _due_follow_ups(today).filter(
            outcome__benefit_unit__delivery_partner_id=scope,
            outcome__benefit_unit__status__in=open_statuses,
        ),
        "outcome__benefit_unit__caseworker_id",
    )
    tasks = _tally(
        Task.objects.filter(delivery_partner_id=scope, status=TaskStatus.OPEN, due_on__lt=today),
        "assigned_to_id",
    )
    for worker in workers:
        worker.caseload_size = sizes.get(worker.pk, 0)  # type: ignore[attr-defined]
        worker.overdue_reviews = reviews.get(worker.pk, 0)  # type: ignore[attr-defined]
        worker.referrals_no_response = referrals.get(worker.pk, 0)  # type: ignore[attr-defined]
        worker.follow_ups_due = follow_ups.get(worker.pk, 0)  # type: ignore[attr-defined]
        worker.overdue_tasks = tasks.get(worker.pk, 0)  # type: ignore[attr-defined]
    return workers


def unassigned_cases_for_supervisor(*, user: Any) -> list[BenefitUnit]:
    """Open cases with no caseworker (e.g. just transferred in from another partner)."""
    require_capability(user, Capability.CASELOAD_SUPERVISE)
    return list(
        benefit_unit_queryset_for_user(user=user)
        .filter(caseworker__isnull=True, status__in=list(OPEN_STATUSES))
        .prefetch_related(current_members_prefetch())
        .order_by("case_number")[:CASELOAD_PAGE_LIMIT]
    )


def workers_for_reassignment(*, user: Any) -> list[User]:
    require_capability(user, Capability.CASE_REASSIGN)
    return list(
        User.objects.filter(
            delivery_partner_id=partner_scope(user), role__in=WORKER_ROLES, is_active=True
        ).order_by("last_name", "first_name", "id")
    )


# --- Transfers: the receiving partner has the case; the sender keeps its own history --------


def transfer_list_for_user(*, user: Any) -> list[CaseTransfer]:
    """Transfers into or out of the user's partner (the transfer record itself)."""
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = CaseTransfer.objects.select_related(
        "benefit_unit", "from_partner", "to_partner", "from_office", "to_office"
    )
    if scope is not None:
        queryset = queryset.filter(Q(from_partner_id=scope) | Q(to_partner_id=scope))
    return list(queryset.order_by("-transferred_at", "-id")[:500])


@dataclass
class SentTransferHistory:
    """What the sending partner still sees: the transfer and its own history before it."""

    transfer: CaseTransfer
    notes: list[CaseNote]
    status_changes: list[CaseStatusChange]
    applicant: Any


def transfer_history_get_for_sender(*, user: Any, transfer_id: int) -> SentTransferHistory:
    """Read-only: the notes and status history dated before the transfer, for the partner that
    sent the case. Nothing written after the transfer, and not the current case file.
    Another partner's transfer, or a transfer the user's partner received → Http404."""
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = CaseTransfer.objects.select_related(
        "benefit_unit", "from_partner", "to_partner", "from_office", "to_office", "transferred_by"
    )
    if scope is not None:
        queryset = queryset.filter(from_partner_id=scope)
    try:
        transfer = queryset.get(pk=transfer_id)
    except CaseTransfer.DoesNotExist as exc:
        raise Http404 from exc
    before = transfer.transferred_at
    case_id = transfer.benefit_unit_id
    applicant_member = (
        BenefitUnit.objects.get(pk=case_id)
        .members.filter(role=MemberRole.APPLICANT, start_on__lte=before.date())
        .select_related("person")
        .order_by("-start_on", "-id")
        .first()
    )
    return SentTransferHistory(
        transfer=transfer,
        notes=list(
            CaseNote.objects.filter(benefit_unit_id=case_id, created_at__lt=before)
            .select_related("author")
            .order_by("-created_at", "-id")
        ),
        status_changes=list(
            CaseStatusChange.objects.filter(benefit_unit_id=case_id, changed_at__lt=before)
            .select_related("changed_by")
            .order_by("-changed_at", "-id")
        ),
        applicant=applicant_member.person if applicant_member else None,
    )
