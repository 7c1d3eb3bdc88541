"""What the messaging writes share: the client's benefit unit, partner checks, audit and locks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.clients.models import Person
from caseworks.core.errors import ApplicationError

from ..constants import (
    MESSAGE_MAX_CHARS,
)
from ..models import MessageThread

MAX_MONTHLY_CENTS = 100_000_00
STALE = _(
    "Someone else changed this record while you were working on it. "
    "Reload the page to see their change, then try again."
)


@dataclass(frozen=True)
class ClientFile:
    """A file a client sends: its name as on their device, and its bytes."""

    filename: str
    content: bytes


# --- Who may act ------------------------------------------------------------------------------
def client_benefit_unit(*, person: Person, benefit_unit_id: int | None = None) -> BenefitUnit:
    """The person's current benefit unit (Http404 if they are on none, or if `benefit_unit_id`
    names another one)."""
    membership = (
        BenefitUnitMember.objects.filter(person=person, end_on__isnull=True)
        .select_related("benefit_unit")
        .first()
    )
    if membership is None:
        raise Http404
    if benefit_unit_id is not None and membership.benefit_unit_id != benefit_unit_id:
        raise Http404
    return membership.benefit_unit


def _require_own_partner(acting_user: User, benefit_unit: BenefitUnit) -> None:
    if acting_user.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise Http404


def _client_audit(person: Person) -> dict[str, Any]:
    return {"client_person_id": person.pk, "channel": "client_online"}


def _clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise ApplicationError(_("Write your message."), field="body", code="required")
    if len(text) > MESSAGE_MAX_CHARS:
        raise ApplicationError(
            _("A message can be at most %(n)d characters.") % {"n": MESSAGE_MAX_CHARS},
            field="body",
            code="too_long",
        )
    return text


def _thread_lock(benefit_unit: BenefitUnit) -> MessageThread:
    """The case's thread, created on first use, locked for this transaction."""
    MessageThread.objects.get_or_create(benefit_unit=benefit_unit)
    return MessageThread.objects.select_for_update().get(benefit_unit=benefit_unit)
