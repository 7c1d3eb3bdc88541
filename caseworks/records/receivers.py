"""Receivers of signals sent by the apps below `records` (connected in `apps.py`).

The legal-hold move lives here rather than in `services.py` because it is not a use case of its
own: it runs only inside `case_transfer`'s transaction, which writes the audit event.
"""

from __future__ import annotations

from typing import Any

from caseworks.accounts.models import User

from .models import LegalHold


def on_case_transferred(
    sender: Any,
    *,
    transfer: Any,
    benefit_unit: Any,
    person_ids: list[int],
    acting_user: User,
    **kwargs: Any,
) -> dict[str, int]:
    """The case's legal holds (current and lifted) go with the file: the receiving partner must
    see that the file is held, and is the one that may lift the hold."""
    holds = LegalHold.objects.select_for_update().filter(
        benefit_unit_id=transfer.benefit_unit_id, delivery_partner_id=transfer.from_partner_id
    )
    moved = 0
    for hold in holds.order_by("id"):
        hold.delivery_partner_id = transfer.to_partner_id
        hold._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        hold.save(update_fields=["delivery_partner"])
        moved += 1
    return {"legal_holds": moved} if moved else {}
