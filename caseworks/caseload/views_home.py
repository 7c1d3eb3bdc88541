"""The home page for each role: the caseworker's tasks and caseload, the administrator's staff,
the analyst's reports, …

It lives with the caseload (it shows one) rather than in accounts, which sits below cases in
the app graph (docs/directory-structure.md). URL name "home", path "/" (config/urls.py). The
templates keep their names (accounts/home_<role>.html)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.selectors import (
    delivery_partner_counts,
    office_list_for_user,
    staff_list_for_user,
)
from caseworks.accounts.views import staff_view
from caseworks.applications.selectors import appointments_today_for_user
from caseworks.cases.selectors import caseload_for_user, task_list_for_user
from caseworks.messaging.selectors import inbox_counts_for_user
from caseworks.partners.constants import PartnerKind

from .selectors_waiting import home_counters_for_user, task_notices_for_user

TASKS_SHOWN = 50
CASELOAD_SHOWN = 25  # the whole caseload is on its own page (caseload:mine)


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    """A home page suited to the role: the caseworker's tasks, the administrator's staff, …"""
    user: Any = request.user
    role = user.role
    if role == Role.PARTNER_ADMIN:
        return render(
            request,
            "accounts/home_partner_admin.html",
            {
                "staff": list(staff_list_for_user(user=user)),
                "offices": list(office_list_for_user(user=user)),
            },
        )
    if role == Role.MINISTRY_ANALYST:
        counts = delivery_partner_counts(user=user)
        by_kind = [(label, counts.get(value, 0)) for value, label in PartnerKind.choices]
        return render(
            request,
            "accounts/home_analyst.html",
            {"partner_total": sum(counts.values()), "partners_by_kind": by_kind},
        )
    if role == Role.AUDITOR:
        return render(request, "accounts/home_auditor.html")
    if user.has_capability(Capability.CASE_VIEW):
        caseload = list(caseload_for_user(user=user)[:CASELOAD_SHOWN])
        return render(
            request,
            "accounts/home_worker.html",
            {
                "tasks": list(task_list_for_user(user=user).order_by("due_on", "id")[:TASKS_SHOWN]),
                "caseload": caseload,
                "caseload_count": (
                    len(caseload)
                    if len(caseload) < CASELOAD_SHOWN
                    else caseload_for_user(user=user).count()
                ),
                "today": timezone.localdate(),
                # --- What waits (counters) and tasks colleagues handed over (wt-signals) ---
                **_waiting(user),
                "client_messages": inbox_counts_for_user(user=user),
                # --- Today's appointments (wt-intake) ---
                "appointments_today": appointments_today_for_user(user=user),
            },
        )
    return render(request, "accounts/home_other.html")


def _waiting(user: Any) -> dict[str, Any]:
    """The counters of what waits for the user, and the notices of tasks handed to them."""
    return {
        "counters": home_counters_for_user(user=user),
        "task_notices": task_notices_for_user(user=user),
    }
