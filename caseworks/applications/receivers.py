"""Receivers of signals sent by the apps below `applications` (connected in `apps.py`)."""

from __future__ import annotations

from typing import Any

from caseworks.accounts.models import User

from .services import applications_move_with_case


def on_case_transferred(
    sender: Any,
    *,
    transfer: Any,
    benefit_unit: Any,
    person_ids: list[int],
    acting_user: User,
    **kwargs: Any,
) -> dict[str, int]:
    """The case's application and its members' inquiries and appointments go with it."""
    return applications_move_with_case(
        acting_user=acting_user, transfer=transfer, benefit_unit=benefit_unit, person_ids=person_ids
    )
