"""Reads of reviews and appeals."""

from __future__ import annotations

from typing import Any

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import require_capability

from .constants import AppealStatus
from .models import Appeal, InternalReview


def interim_assistance_unit_ids(*, delivery_partner_id: int) -> set[int]:
    """Cases of the partner with an undecided appeal and interim assistance ordered (used by
    the payment run; no user: it runs as the run's preparer has already been checked)."""
    return set(
        Appeal.objects.filter(
            benefit_unit__delivery_partner_id=delivery_partner_id,
            interim_assistance=True,
            status__in=(AppealStatus.FILED, AppealStatus.HEARING_SCHEDULED),
        ).values_list("benefit_unit_id", flat=True)
    )


def reviews_for_case(*, user: Any, benefit_unit: BenefitUnit) -> list[InternalReview]:
    """The case's reviews (the caller loaded the case through benefit_unit_get_for_user)."""
    require_capability(user, Capability.CASE_VIEW)
    return list(
        InternalReview.objects.filter(benefit_unit=benefit_unit).prefetch_related("appeals")
    )
