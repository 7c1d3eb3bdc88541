"""Checks shared by the payments services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from caseworks.core.errors import ApplicationError


def require_own_partner(acting_user: Any, partner_id: int) -> None:
    if acting_user.delivery_partner_id != partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))


def require_not_negative(cents: int, field: str) -> None:
    if cents < 0:
        raise ApplicationError(_("An amount cannot be negative."), field=field)


# --- Income reporting ---------------------------------------------------------------------
