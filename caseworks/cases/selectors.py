"""Reads of cases. Views and the API load cases only through *_for_user here."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.core.access import partner_scope, require_capability

from .constants import TaskStatus
from .models import BenefitUnit, BenefitUnitMember, CaseNote, CaseStatusChange, Task


def benefit_unit_queryset_for_user(*, user: Any) -> QuerySet[BenefitUnit]:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = BenefitUnit.objects.select_related("delivery_partner", "office", "caseworker")
    return queryset if scope is None else queryset.filter(delivery_partner_id=scope)


def current_members_prefetch() -> Prefetch:  # type: ignore[type-arg]  # stubs generics vary
    return Prefetch(
        "members",
        queryset=BenefitUnitMember.objects.filter(end_on__isnull=True).select_related("person"),
        to_attr="current_members",
    )


def benefit_unit_get_for_user(*, user: Any, benefit_unit_id: int) -> BenefitUnit:
    """One case, or Http404 when it doesn't exist or belongs to another delivery partner."""
    try:
        return (
            benefit_unit_queryset_for_user(user=user)
            .prefetch_related(current_members_prefetch())
            .get(pk=benefit_unit_id)
        )
    except BenefitUnit.DoesNotExist as exc:
        raise Http404 from exc


def benefit_unit_list_for_person(*, user: Any, person_id: int) -> list[BenefitUnit]:
    """The cases a person is or was on, within what the user may see, newest first."""
    return list(
        benefit_unit_queryset_for_user(user=user)
        .filter(members__person_id=person_id)
        .distinct()
        .order_by("-opened_on", "-id")
    )


def benefit_unit_members(*, benefit_unit: BenefitUnit) -> list[BenefitUnitMember]:
    """Every membership, past and present (the unit's composition over time)."""
    return list(benefit_unit.members.select_related("person").order_by("start_on", "id"))


def caseload_for_user(*, user: Any, caseworker_id: int | None = None) -> QuerySet[BenefitUnit]:
    """A worker's open cases (their own by default), with the applicant prefetched."""
    queryset = benefit_unit_queryset_for_user(user=user).filter(
        caseworker_id=caseworker_id or user.pk,
        status__in=["pending", "active", "suspended"],
    )
    return queryset.prefetch_related(current_members_prefetch()).order_by("case_number")


def task_list_for_user(*, user: Any, benefit_unit: BenefitUnit | None = None) -> QuerySet[Task]:
    """Open tasks: the user's own, or a case's (already permission-checked) tasks."""
    require_capability(user, Capability.CASE_VIEW)
    queryset = Task.objects.filter(status=TaskStatus.OPEN).select_related(
        "benefit_unit", "assigned_to"
    )
    if benefit_unit is not None:
        return queryset.filter(benefit_unit=benefit_unit)
    return queryset.filter(assigned_to=user)


def task_get_for_user(*, user: Any, task_id: int) -> Task:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = Task.objects.select_related("benefit_unit")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get(pk=task_id)
    except Task.DoesNotExist as exc:
        raise Http404 from exc


def case_status_history(*, benefit_unit: BenefitUnit) -> list[CaseStatusChange]:
    """A case's status changes, newest first (the case was already permission-checked)."""
    return list(benefit_unit.status_changes.select_related("changed_by"))


def case_note_list(*, benefit_unit: BenefitUnit) -> list[CaseNote]:
    """A case's notes, newest first (the case was already permission-checked)."""
    return list(benefit_unit.notes.select_related("author"))
