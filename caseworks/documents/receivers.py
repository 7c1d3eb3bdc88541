"""Receivers of signals sent by the apps below `documents` (connected in `apps.py`)."""

from __future__ import annotations

from typing import Any

from caseworks.accounts.models import User

from .services import documents_move_with_case


def on_case_transferred(
    sender: Any,
    *,
    transfer: Any,
    benefit_unit: Any,
    person_ids: list[int],
    acting_user: User,
    **kwargs: Any,
) -> dict[str, int]:
    """The case's documents, and its members' documents on no case, go with it."""
    return documents_move_with_case(transfer=transfer, person_ids=person_ids)
