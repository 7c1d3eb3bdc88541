"""Reads of determinations and decisions, scoped to the user's delivery partner."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability

from .constants import DecisionStatus
from .models import Decision, Determination


def determination_get_for_user(*, user: Any, determination_id: int) -> Determination:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = Determination.objects.select_related("benefit_unit", "application", "determined_by")
    if scope is not None:
        queryset = queryset.filter(benefit_unit__delivery_partner_id=scope)
    try:
        return queryset.get(pk=determination_id)
    except Determination.DoesNotExist as exc:
        raise Http404 from exc


def decision_queryset_for_user(*, user: Any) -> QuerySet[Decision]:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = Decision.objects.select_related(
        "benefit_unit", "determination", "decided_by", "approved_by", "notice_en", "notice_fr"
    ).defer("notice_en__content", "notice_fr__content")
    if scope is not None:
        queryset = queryset.filter(benefit_unit__delivery_partner_id=scope)
    return queryset


def decision_get_for_user(*, user: Any, decision_id: int) -> Decision:
    try:
        return decision_queryset_for_user(user=user).get(pk=decision_id)
    except Decision.DoesNotExist as exc:
        raise Http404 from exc


def decisions_awaiting_approval_for_user(*, user: Any) -> list[Decision]:
    """Overrides waiting for a supervisor of the user's delivery partner, oldest first."""
    require_capability(user, Capability.DECISION_APPROVE_OVERRIDE)
    return list(
        decision_queryset_for_user(user=user)
        .filter(status=DecisionStatus.AWAITING_APPROVAL)
        .order_by("decided_at", "id")
    )


def latest_determination(*, benefit_unit: BenefitUnit) -> Determination | None:
    """The case's newest determination (the case was already permission-checked)."""
    return (
        Determination.objects.filter(benefit_unit=benefit_unit)
        .order_by("-determined_at", "-id")
        .first()
    )


def decisions_for_determination(*, determination: Determination) -> list[Decision]:
    return list(
        determination.decisions.select_related("decided_by", "approved_by").order_by(
            "-decided_at", "-id"
        )
    )


def latest_decision(*, benefit_unit: BenefitUnit) -> Decision | None:
    return (
        Decision.objects.filter(benefit_unit=benefit_unit)
        .select_related("determination")
        .order_by("-decided_at", "-id")
        .first()
    )
