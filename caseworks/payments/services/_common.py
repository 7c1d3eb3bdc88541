"""Checks shared by the payments services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from caseworks.core.errors import ApplicationError


def require_not_negative(cents: int, field: str) -> None:
    if cents < 0:
        raise ApplicationError(_("An amount cannot be negative."), field=field)


# --- Income reporting ---------------------------------------------------------------------
