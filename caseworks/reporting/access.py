"""Who may read which report: analysts every partner, partner staff their own (else a 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.core.access import partner_scope, require_capability
from caseworks.partners.models import DeliveryPartner, Office


def reports_scope(user: Any) -> int | None:
    """None for provincial staff (every partner), else the user's own partner id."""
    require_capability(user, Capability.REPORTS_VIEW)
    return partner_scope(user)


def office_get_for_reports(*, user: Any, office_id: int) -> Office:
    own = reports_scope(user)
    qs = Office.objects.select_related("delivery_partner")
    if own is not None:
        qs = qs.filter(delivery_partner_id=own)
    office = qs.filter(pk=office_id).first()
    if office is None:
        raise Http404
    return office


def partner_get_for_reports(*, user: Any, partner_id: int) -> DeliveryPartner:
    """Another partner's report is a 404 for partner staff."""
    own = reports_scope(user)
    if own is not None and own != partner_id:
        raise Http404
    partner = DeliveryPartner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner
