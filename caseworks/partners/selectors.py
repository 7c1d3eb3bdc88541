"""Reads of the delivery network. The list of partners and offices is not personal data: any
signed-in staff member may read it (e.g. to choose where to transfer a case)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import DeliveryPartner, Office


def delivery_partner_list(
    *, kind: str | None = None, include_inactive: bool = False
) -> QuerySet[DeliveryPartner]:
    """Delivery partners by name, optionally of one kind (ministry, cmsm, dssab, first_nation)."""
    queryset = DeliveryPartner.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name")


def delivery_partner_get_by_code(*, code: str) -> DeliveryPartner:
    """One partner by its stable code (raises DeliveryPartner.DoesNotExist)."""
    return DeliveryPartner.objects.get(code=code)


def office_list_for_user(*, user: Any) -> QuerySet[Office]:
    """The active offices of the user's own delivery partner (none for provincial staff)."""
    if not getattr(user, "is_authenticated", False) or user.delivery_partner_id is None:
        return Office.objects.none()
    return Office.objects.filter(
        delivery_partner_id=user.delivery_partner_id, is_active=True
    ).order_by("name")
