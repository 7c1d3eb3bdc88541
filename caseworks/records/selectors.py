"""Reads for the retention purge and the legal-holds page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability

from .constants import CLOSED_STATUSES
from .models import LegalHold, PurgedFile
from .services import retention_cutoff


@dataclass(frozen=True)
class PurgeCandidates:
    cutoff: dt.date
    eligible: list[int]  # benefit unit ids, oldest closing first
    held: list[int]  # past retention but under an active legal hold


def purge_candidates(
    *, as_of: dt.date, retention_years: int, delivery_partner_id: int | None = None
) -> PurgeCandidates:
    """Closed, denied or withdrawn cases unchanged since the cutoff and not yet purged."""
    cutoff = retention_cutoff(as_of=as_of, retention_years=retention_years)
    active_hold = LegalHold.objects.filter(benefit_unit=OuterRef("pk"), lifted_at__isnull=True)
    purged = PurgedFile.objects.filter(benefit_unit=OuterRef("pk"))
    queryset = (
        BenefitUnit.objects.filter(status__in=CLOSED_STATUSES, status_changed_on__lte=cutoff)
        .annotate(held=Exists(active_hold), purged=Exists(purged))
        .filter(purged=False)
        .order_by("status_changed_on", "pk")
    )
    if delivery_partner_id is not None:
        queryset = queryset.filter(delivery_partner_id=delivery_partner_id)
    eligible: list[int] = []
    held: list[int] = []
    for pk, is_held in queryset.values_list("pk", "held"):
        (held if is_held else eligible).append(pk)
    return PurgeCandidates(cutoff=cutoff, eligible=eligible, held=held)


def legal_holds_for_user(*, user: Any, include_lifted: bool = False) -> list[LegalHold]:
    """The partner's legal holds, active first (the page shows case numbers, never names)."""
    require_capability(user, Capability.LEGAL_HOLD_MANAGE)
    scope = partner_scope(user)
    queryset = LegalHold.objects.select_related("benefit_unit", "placed_by", "lifted_by")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    if not include_lifted:
        queryset = queryset.filter(lifted_at__isnull=True)
    return list(queryset.order_by("lifted_at", "-placed_at", "-id")[:500])


def legal_hold_get_for_user(*, user: Any, hold_id: int) -> LegalHold:
    require_capability(user, Capability.LEGAL_HOLD_MANAGE)
    scope = partner_scope(user)
    queryset = LegalHold.objects.select_related("benefit_unit")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get(pk=hold_id)
    except LegalHold.DoesNotExist as exc:
        raise Http404 from exc


def hold_case_get_for_user(*, user: Any, case_number: str) -> BenefitUnit:
    """The partner's case with this number, for placing a hold (404 for another partner's)."""
    require_capability(user, Capability.LEGAL_HOLD_MANAGE)
    scope = partner_scope(user)
    queryset = BenefitUnit.objects.filter(case_number=case_number.strip())
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get()
    except BenefitUnit.DoesNotExist as exc:
        raise Http404 from exc
