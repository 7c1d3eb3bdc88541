"""Case notes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from ..models import (
    BenefitUnit,
    CaseNote,
)
from ._common import NOTE_MAX_LENGTH


@transaction.atomic
def case_note_create(*, acting_user: User, benefit_unit: BenefitUnit, body: str) -> CaseNote:
    require_capability(acting_user, Capability.CASE_NOTE_CREATE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    body = body.strip()
    if not body:
        raise ApplicationError(_("The note is empty."), field="body")
    if len(body) > NOTE_MAX_LENGTH:
        raise ApplicationError(
            _("A note can be at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}, field="body"
        )
    note = CaseNote(benefit_unit=benefit_unit, author=acting_user, body=body)
    note._history_user = acting_user  # type: ignore[attr-defined]
    note.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_NOTE_CREATED,
        subject=note,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"length": len(body)},
    )
    return note
