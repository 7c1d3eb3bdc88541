"""Receivers of signals sent by the apps below `employment` (connected in `apps.py`)."""

from __future__ import annotations

from typing import Any

from caseworks.accounts.models import User

from .services import session_attendances_withdraw_with_case


def on_case_transferred(
    sender: Any,
    *,
    transfer: Any,
    benefit_unit: Any,
    person_ids: list[int],
    acting_user: User,
    **kwargs: Any,
) -> dict[str, int]:
    """The case's upcoming registrations at the sender's workshop sessions are withdrawn."""
    return session_attendances_withdraw_with_case(
        acting_user=acting_user, transfer=transfer, benefit_unit=benefit_unit
    )
