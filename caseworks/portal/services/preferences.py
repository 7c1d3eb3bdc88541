"""The client's choices: e-letters."""

from __future__ import annotations

from django.db import transaction

from caseworks.accounts.models import User
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType

from ..models import PortalAccount
from ._common import (
    require_own_account,
)


@transaction.atomic
def portal_preferences_set(
    *, acting_user: User, account: PortalAccount, e_letters: bool
) -> PortalAccount:
    """Letters online (an e-mail or text message says a new one is waiting) or by mail."""
    require_own_account(acting_user=acting_user, account=account)
    locked = PortalAccount.objects.select_for_update().get(pk=account.pk)
    old = locked.e_letters
    locked.e_letters = e_letters
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["e_letters", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_PREFERENCES_CHANGED,
        subject=locked,
        delivery_partner_id=locked.benefit_unit.delivery_partner_id,
        person_id=locked.person_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={"e_letters": {"old": old, "new": e_letters}},
    )
    return locked
