"""The partner-ownership check every write service makes before touching a record."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from caseworks.core.errors import ApplicationError


def require_same_partner(acting_user: Any, partner_id: int | None, *, message: str = "") -> None:
    """Refuse a write on another delivery partner's record (ApplicationError, nothing changed).

    `message` names the record when it is not a case ("This record belongs to …").
    """
    if acting_user.delivery_partner_id != partner_id:
        raise ApplicationError(message or _("This case belongs to another delivery partner."))
