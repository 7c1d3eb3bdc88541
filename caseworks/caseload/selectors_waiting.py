"""What waits for a staff member: the home page's counters, the task queue (one's own, or the
team's for supervisors) with its bulk actions, and the notices of tasks colleagues handed over.

Each counter is a link to the filtered list it counts, scoped to the user's delivery partner
and shown only to roles that act on it. The counters take one query per source (tasks, the
caseload's flags, override decisions, payment runs), whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.constants import ROLE_CAPABILITIES, Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import OPEN_STATUSES, TaskStatus
from caseworks.cases.models import Task
from caseworks.cases.selectors import benefit_unit_queryset_for_user
from caseworks.core.access import partner_scope, require_capability
from caseworks.eligibility.constants import DecisionStatus
from caseworks.eligibility.models import Decision
from caseworks.payments.constants import RunStatus
from caseworks.payments.models import PaymentRun

from .selectors import _flag_expressions

TASK_QUEUE_LIMIT = 200
TASK_SCOPES = ("mine", "team")
TASK_DUE_FILTERS = ("", "overdue")


@dataclass(frozen=True)
class Counter:
    """One thing that waits: how many, and the list that shows them."""

    key: str
    label: str
    count: int
    url: str


def _with_query(name: str, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _task_counters(user: Any, today: dt.date) -> list[Counter]:
    if not user.has_capability(Capability.TASK_MANAGE):
        return []
    supervise = user.has_capability(Capability.CASELOAD_SUPERVISE)
    counts = Task.objects.filter(
        delivery_partner_id=user.delivery_partner_id, status=TaskStatus.OPEN
    ).aggregate(
        mine=Count("pk", filter=Q(assigned_to=user)),
        mine_overdue=Count("pk", filter=Q(assigned_to=user, due_on__lt=today)),
        team_overdue=Count("pk", filter=Q(due_on__lt=today) & ~Q(assigned_to=user))
        if supervise
        else Count("pk", filter=Q(pk__in=[])),
    )
    counters = [
        Counter("tasks", str(_("My open tasks")), counts["mine"], _with_query("caseload:tasks")),
        Counter(
            "tasks_overdue",
            str(_("My overdue tasks")),
            counts["mine_overdue"],
            _with_query("caseload:tasks", due="overdue"),
        ),
    ]
    if supervise:
        # Escalations: the team's tasks past their due date, for the supervisor to act on
        # (reassign or follow up).
        counters.append(
            Counter(
                "escalations",
                str(_("Escalations: the team's overdue tasks")),
                counts["team_overdue"],
                _with_query("caseload:tasks", scope="team", due="overdue"),
            )
        )
    return counters


def _caseload_counters(user: Any, today: dt.date) -> list[Counter]:
    wanted = {
        "income_report_missing": (
            Capability.INCOME_REPORT_RECORD,
            _("Income reports due on my cases"),
        ),
        "payment_hold": (Capability.PAYMENT_VIEW, _("My cases with a payment on hold")),
    }
    wanted = {key: value for key, value in wanted.items() if user.has_capability(value[0])}
    if not wanted or not user.has_capability(Capability.CASE_VIEW):
        return []
    expressions = _flag_expressions(today)
    counts = (
        benefit_unit_queryset_for_user(user=user)
        .filter(caseworker_id=user.pk, status__in=list(OPEN_STATUSES))
        .aggregate(**{key: Count("pk", filter=expressions[key]) for key in wanted})
    )
    keys = {"income_report_missing": "reports_due", "payment_hold": "holds"}
    return [
        Counter(keys[key], str(label), counts[key], _with_query("caseload:mine", filter=key))
        for key, (_capability, label) in wanted.items()
    ]


def _override_counters(user: Any, today: dt.date) -> list[Counter]:
    if not user.has_capability(Capability.DECISION_APPROVE_OVERRIDE):
        return []
    count = Decision.objects.filter(
        benefit_unit__delivery_partner_id=partner_scope(user),
        status=DecisionStatus.AWAITING_APPROVAL,
    ).count()
    return [
        Counter(
            "overrides",
            str(_("Overrides awaiting approval")),
            count,
            reverse("eligibility:approvals"),
        )
    ]


def _run_counters(user: Any, today: dt.date) -> list[Counter]:
    if not user.has_capability(Capability.PAYMENT_RUN_APPROVE):
        return []
    counts = PaymentRun.objects.filter(delivery_partner_id=partner_scope(user)).aggregate(
        to_approve=Count("pk", filter=Q(status=RunStatus.DRY_RUN_COMPLETE)),
        to_release=Count("pk", filter=Q(status=RunStatus.APPROVED)),
    )
    return [
        Counter(
            "runs_to_approve",
            str(_("Payment runs awaiting approval")),
            counts["to_approve"],
            _with_query("payments:run_list", status=RunStatus.DRY_RUN_COMPLETE.value),
        ),
        Counter(
            "runs_to_release",
            str(_("Payment runs awaiting release")),
            counts["to_release"],
            _with_query("payments:run_list", status=RunStatus.APPROVED.value),
        ),
    ]


# One function per source. The messages counter (another piece of work on issue 15) is added
# here as one more source, between the tasks and the caseload's counters.
COUNTER_SOURCES: list[Callable[[Any, dt.date], list[Counter]]] = [
    _task_counters,
    _caseload_counters,
    _override_counters,
    _run_counters,
]


def home_counters_for_user(*, user: Any, today: dt.date | None = None) -> list[Counter]:
    """What waits for the user, each with the link to its list (only staff of a partner)."""
    if user.delivery_partner_id is None:
        return []
    today = today or timezone.localdate()
    return [counter for source in COUNTER_SOURCES for counter in source(user, today)]


# --- The task queue and its bulk actions --------------------------------------------------------


@dataclass
class TaskQueue:
    tasks: list[Task]
    scope: str
    due: str
    total: int


def task_queue_for_user(
    *, user: Any, scope: str = "mine", due: str = "", today: dt.date | None = None
) -> TaskQueue:
    """Open tasks of the user (scope "mine") or of the whole partner (scope "team", supervisors
    only), optionally only the overdue ones, soonest due first."""
    require_capability(user, Capability.TASK_MANAGE)
    today = today or timezone.localdate()
    scope = scope if scope in TASK_SCOPES else "mine"
    due = due if due in TASK_DUE_FILTERS else ""
    queryset: QuerySet[Task] = Task.objects.filter(
        delivery_partner_id=partner_scope(user), status=TaskStatus.OPEN
    )
    if scope == "team":
        require_capability(user, Capability.CASELOAD_SUPERVISE)
        queryset = queryset.exclude(assigned_to=user)
    else:
        queryset = queryset.filter(assigned_to=user)
    if due == "overdue":
        queryset = queryset.filter(due_on__lt=today)
    tasks = list(
        queryset.select_related("benefit_unit", "assigned_to").order_by("due_on", "id")[
            :TASK_QUEUE_LIMIT
        ]
    )
    total = len(tasks) if len(tasks) < TASK_QUEUE_LIMIT else queryset.count()
    return TaskQueue(tasks=tasks, scope=scope, due=due, total=total)


def task_assignees_for_user(*, user: Any) -> list[User]:
    """Colleagues of the user's partner a task can be handed to (they manage tasks)."""
    require_capability(user, Capability.TASK_MANAGE)
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.TASK_MANAGE in caps]
    return list(
        User.objects.filter(
            delivery_partner_id=partner_scope(user), role__in=roles, is_active=True
        ).order_by("last_name", "first_name", "id")
    )


def task_notices_for_user(*, user: Any) -> list[Task]:
    """Open tasks colleagues handed to the user that the user has not seen yet."""
    if not user.has_capability(Capability.CASE_VIEW):
        return []
    return list(
        Task.objects.filter(
            assigned_to=user, status=TaskStatus.OPEN, assignment_seen_at__isnull=True
        )
        .exclude(assigned_by__isnull=True)
        .select_related("assigned_by", "benefit_unit")
        .order_by("-assigned_at", "-id")[:TASK_QUEUE_LIMIT]
    )
