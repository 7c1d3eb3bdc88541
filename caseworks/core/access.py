"""Helpers every selector and service uses to check a staff member's rights."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from caseworks.core.errors import PermissionDeniedError


def require_capability(user: Any, capability: str) -> None:
    """Refuse an action the role does not allow (403 in views).

    `capability` is a `caseworks.accounts.constants.Capability` (a str enum); it is typed as
    str because core sits below accounts in the app graph."""
    if not user.is_authenticated or not user.has_capability(capability):
        raise PermissionDeniedError(_("Your role does not allow this action."))


def partner_scope(user: Any) -> int | None:
    """The delivery partner whose records the user may see; None means every partner.

    Only provincial staff (no partner: ministry analysts and provincial auditors) get None.
    Anyone else without a partner sees nothing (raises Http404).
    """
    if getattr(user, "is_provincial", False):
        return None
    if user.delivery_partner_id is None:
        raise Http404
    return int(user.delivery_partner_id)
