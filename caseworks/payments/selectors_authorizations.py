"""Reads of health benefit authorizations (issue 16), scoped to the user's partner through the
case (`benefit_unit_get_for_user` first: another partner's case is a 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import require_capability

from .constants import HealthAuthorizationStatus
from .models import HealthAuthorization
from .services.authorization_invoices import (
    invoiced_cents,
)


def health_authorizations_for_user(*, user: Any, benefit_unit: BenefitUnit) -> list[dict[str, Any]]:
    """The case's authorizations, newest first, each with what is invoiced and remains and the
    status a person reads (expired after the period)."""
    require_capability(user, Capability.PAYMENT_VIEW)
    today = timezone.localdate()
    rows = []
    for auth in (
        HealthAuthorization.objects.filter(benefit_unit=benefit_unit)
        .select_related("member")
        .prefetch_related("invoices")
    ):
        invoiced = sum(i.amount_cents for i in auth.invoices.all())
        rows.append(
            {
                "authorization": auth,
                "status": auth.shown_status(today),
                "status_label": HealthAuthorizationStatus(auth.shown_status(today)).label,
                "invoiced_cents": invoiced,
                "remaining_cents": auth.limit_cents - invoiced,
            }
        )
    return rows


def health_authorization_get_for_user(
    *, user: Any, benefit_unit: BenefitUnit, authorization_id: int
) -> dict[str, Any]:
    require_capability(user, Capability.PAYMENT_VIEW)
    auth = (
        HealthAuthorization.objects.filter(benefit_unit=benefit_unit, pk=authorization_id)
        .select_related("member", "requested_by", "decided_by", "notice_en", "notice_fr")
        .first()
    )
    if auth is None:
        raise Http404
    invoiced = invoiced_cents(auth)
    return {
        "authorization": auth,
        "status": auth.shown_status(timezone.localdate()),
        "status_label": HealthAuthorizationStatus(auth.shown_status(timezone.localdate())).label,
        "invoiced_cents": invoiced,
        "remaining_cents": auth.limit_cents - invoiced,
        "invoices": list(auth.invoices.select_related("one_time_payment")),
    }
