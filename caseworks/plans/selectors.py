"""Reads of participation agreements, always through the partner-scoped case selector."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user

from .models import ParticipationAgreement


def agreement_list_for_case(*, benefit_unit: BenefitUnit) -> list[ParticipationAgreement]:
    """Agreements of an already permission-checked case, newest first."""
    return list(
        ParticipationAgreement.objects.filter(benefit_unit=benefit_unit)
        .select_related("person")
        .prefetch_related("reviews", "deferrals", "goals")
        .order_by("-start_on", "-id")
    )


def agreement_get_for_user(*, user: Any, agreement_id: int) -> ParticipationAgreement:
    """One agreement, or Http404 when absent or on another partner's case."""
    try:
        agreement = ParticipationAgreement.objects.select_related("person").get(pk=agreement_id)
    except ParticipationAgreement.DoesNotExist as exc:
        raise Http404 from exc
    # Raises Http404 for another partner's case, PermissionDeniedError without CASE_VIEW.
    agreement.benefit_unit = benefit_unit_get_for_user(
        user=user, benefit_unit_id=agreement.benefit_unit_id
    )
    return agreement
