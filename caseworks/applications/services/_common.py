"""Limits and helpers shared by the intake and application services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from ..constants import (
    VerificationKind,
)

MAX_MONTHLY_CENTS = 100_000_000  # $1,000,000 a month: anything above is a typing mistake
MAX_ASSET_CENTS = 10_000_000_000
APPOINTMENT_MINUTES = (15, 30, 45, 60, 90, 120)

# Verification checklist: per person (adults for identity; everyone for SIN and status) and
# per benefit unit (Ontario Works Policy Directive 9.1, "Reviewing eligibility", third-party
# verification; Directive 2.1 "Application process").
PER_PERSON_CHECKS = (
    VerificationKind.IDENTITY,
    VerificationKind.SIN,
    VerificationKind.STATUS_IN_CANADA,
)
PER_UNIT_CHECKS = (VerificationKind.SHELTER_COST, VerificationKind.INCOME, VerificationKind.ASSETS)


def _require_own(acting_user: User, partner_id: int) -> None:
    """The partner check, naming an intake record rather than a case."""
    require_same_partner(
        acting_user, partner_id, message=_("This record belongs to another delivery partner.")
    )


def _check_cents(value: Any, field_name: str, maximum: int = MAX_MONTHLY_CENTS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApplicationError(_("Enter an amount in dollars and cents."), field=field_name)
    if value < 0:
        raise ApplicationError(_("The amount cannot be negative."), field=field_name)
    if value > maximum:
        raise ApplicationError(_("The amount is too large; check it."), field=field_name)
    return value
