"""Reads about staff, offices and the delivery network for the home page (no client data)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from caseworks.core.access import partner_scope, require_capability
from caseworks.partners.models import DeliveryPartner, Office

from .constants import Capability
from .models import StaffInvitation, User


def staff_list_for_user(*, user: Any) -> QuerySet[User]:
    """The staff of the user's delivery partner (partner administrators)."""
    require_capability(user, Capability.STAFF_MANAGE)
    queryset = User.objects.select_related("office", "delivery_partner").order_by(
        "last_name", "first_name", "username"
    )
    scope = partner_scope(user)
    return queryset if scope is None else queryset.filter(delivery_partner_id=scope)


def office_list_for_user(*, user: Any) -> QuerySet[Office]:
    """The offices of the user's delivery partner, with how many staff work in each."""
    require_capability(user, Capability.STAFF_MANAGE)
    queryset = Office.objects.select_related("delivery_partner").annotate(
        staff_count=Count("staff")
    )
    scope = partner_scope(user)
    return queryset if scope is None else queryset.filter(delivery_partner_id=scope)


def delivery_partner_counts(*, user: Any) -> dict[str, int]:
    """How many active delivery partners there are, by kind (aggregates only)."""
    require_capability(user, Capability.REPORTS_VIEW)
    rows = (
        DeliveryPartner.objects.filter(is_active=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )
    return {row["kind"]: row["n"] for row in rows}


def invitation_list_for_user(*, user: Any) -> QuerySet[StaffInvitation]:
    """Invitations and role-change requests of the user's delivery partner, newest first."""
    require_capability(user, Capability.STAFF_MANAGE)
    queryset = StaffInvitation.objects.select_related(
        "delivery_partner", "office", "invited_by", "approved_by", "user"
    ).order_by("-created_at")
    scope = partner_scope(user)
    return queryset if scope is None else queryset.filter(delivery_partner_id=scope)
