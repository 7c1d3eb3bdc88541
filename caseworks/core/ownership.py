"""The partner-ownership checks every write service makes before touching a record."""

from __future__ import annotations

from django.utils.translation import gettext as _

from caseworks.core.actors import StaffActor
from caseworks.core.errors import ApplicationError, PermissionDeniedError


def require_same_partner(
    acting_user: StaffActor, partner_id: int | None, *, message: str = ""
) -> None:
    """Refuse a write on another delivery partner's record (ApplicationError, nothing changed).

    `message` names the record when it is not a case ("This record belongs to …").
    """
    if acting_user.delivery_partner_id != partner_id:
        raise ApplicationError(message or _("This case belongs to another delivery partner."))


def own_partner_id(acting_user: StaffActor) -> int:
    """The delivery partner a new record of the acting staff member belongs to; a staff member
    of no partner (a superuser) cannot create one (PermissionDeniedError, nothing changed)."""
    partner_id: int | None = acting_user.delivery_partner_id
    if partner_id is None:
        raise PermissionDeniedError(
            _("Only staff of a delivery partner can create this record: sign in as one.")
        )
    return partner_id
