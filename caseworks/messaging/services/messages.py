"""Secure messages between a client and the worker's team inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.business_days import add_business_days
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.documents.services import document_upload_from_client

from ..constants import (
    ATTACHMENTS_MAX,
    REPLY_BUSINESS_DAYS,
)
from ..models import Message, MessageThread
from ._common import (
    ClientFile,
    _clean_body,
    _client_audit,
    _require_own_partner,
    _thread_lock,
    client_benefit_unit,
)


@transaction.atomic
def message_send_from_client(
    *,
    person: Person,
    benefit_unit: BenefitUnit,
    body: str,
    attachments: Sequence[ClientFile] = (),
) -> Message:
    """A client's message to the case's team. It starts (or keeps running) the reply clock:
    REPLY_BUSINESS_DAYS business days, then the thread goes to a supervisor."""
    unit = client_benefit_unit(person=person, benefit_unit_id=benefit_unit.pk)
    text = _clean_body(body)
    if len(attachments) > ATTACHMENTS_MAX:
        raise ApplicationError(
            _("Attach at most %(n)d files.") % {"n": ATTACHMENTS_MAX}, field="attachments"
        )
    thread = _thread_lock(unit)
    now = timezone.now()
    documents = []
    for index, upload in enumerate(attachments):
        try:
            documents.append(
                document_upload_from_client(
                    person=person,
                    benefit_unit=unit,
                    title=_("Sent with a message"),
                    filename=upload.filename,
                    content=upload.content,
                )
            )
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, field=f"attachments[{index}]", code=exc.code
            ) from exc
    message = Message(thread=thread, author_person=person, body=text, sent_at=now)
    message.save()
    message.attachments.set(documents)
    if thread.awaiting_reply_since is None:
        # A new question: a new clock (an earlier escalation was answered and stays in history).
        thread.awaiting_reply_since = now
        thread.reply_due_on = add_business_days(timezone.localdate(now), REPLY_BUSINESS_DAYS)
        thread.escalated_at = None
        thread.escalated_to = None
    thread.last_message_at = now
    thread.save(
        update_fields=[
            "awaiting_reply_since",
            "reply_due_on",
            "escalated_at",
            "escalated_to",
            "last_message_at",
            "modified_at",
        ]
    )
    audit_record(
        acting_user=None,
        event_type=AuditEventType.MESSAGE_SENT,
        subject=message,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=unit.pk,
        extra_data={
            **_client_audit(person),
            "attachments": [d.pk for d in documents],
            "reply_due_on": thread.reply_due_on.isoformat() if thread.reply_due_on else None,
        },
    )
    return message


@transaction.atomic
def message_reply(*, acting_user: User, thread: MessageThread, body: str) -> Message:
    """A staff member of the case's partner answers: the reply clock stops."""
    require_capability(acting_user, Capability.CASE_NOTE_CREATE)
    locked = (
        MessageThread.objects.select_for_update().select_related("benefit_unit").get(pk=thread.pk)
    )
    unit = locked.benefit_unit
    _require_own_partner(acting_user, unit)
    text = _clean_body(body)
    now = timezone.now()
    message = Message(thread=locked, author_user=acting_user, body=text, sent_at=now)
    message._history_user = acting_user  # type: ignore[attr-defined]
    message.save()
    was_waiting = locked.awaiting_reply_since
    read = _staff_read(locked, acting_user, now)  # answering reads the client's messages
    locked.awaiting_reply_since = None
    locked.reply_due_on = None
    locked.last_message_at = now
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(
        update_fields=["awaiting_reply_since", "reply_due_on", "last_message_at", "modified_at"]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.MESSAGE_SENT,
        subject=message,
        delivery_partner_id=unit.delivery_partner_id,
        benefit_unit_id=unit.pk,
        extra_data={
            "answered_waiting_since": was_waiting.isoformat() if was_waiting else None,
            "was_escalated": locked.escalated_at is not None,
            "read": read,
        },
    )
    return message


@transaction.atomic
def message_mark_read(*, acting_user: User, thread: MessageThread) -> int:
    """A staff member opened the thread: the client's unread messages are read (by them)."""
    require_capability(acting_user, Capability.CASE_VIEW)
    locked = (
        MessageThread.objects.select_for_update().select_related("benefit_unit").get(pk=thread.pk)
    )
    _require_own_partner(acting_user, locked.benefit_unit)
    unread = _staff_read(locked, acting_user, timezone.now())
    if unread:
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.MESSAGE_READ,
            subject=locked,
            delivery_partner_id=locked.benefit_unit.delivery_partner_id,
            benefit_unit_id=locked.benefit_unit_id,
            extra_data={"messages": unread},
        )
    return len(unread)


def _staff_read(thread: MessageThread, acting_user: User, now: dt.datetime) -> list[int]:
    """Mark the client's unread messages of the (locked) thread read; their ids."""
    unread = list(
        Message.objects.select_for_update().filter(
            thread=thread, author_person__isnull=False, read_at__isnull=True
        )
    )
    for message in unread:
        message.read_at = now
        message.read_by_user = acting_user
        message._history_user = acting_user  # type: ignore[attr-defined]
        message.save(update_fields=["read_at", "read_by_user"])
    return [m.pk for m in unread]


@transaction.atomic
def message_mark_read_by_client(*, person: Person, thread: MessageThread) -> int:
    """A client opened the thread: the staff's unread messages are read (by them)."""
    client_benefit_unit(person=person, benefit_unit_id=thread.benefit_unit_id)
    unread = list(
        Message.objects.select_for_update().filter(
            thread_id=thread.pk, author_user__isnull=False, read_at__isnull=True
        )
    )
    now = timezone.now()
    for message in unread:
        message.read_at = now
        message.read_by_person = person
        message.save(update_fields=["read_at", "read_by_person"])
    if unread:
        unit = BenefitUnit.objects.only("delivery_partner_id").get(pk=thread.benefit_unit_id)
        audit_record(
            acting_user=None,
            event_type=AuditEventType.MESSAGE_READ,
            subject=thread,
            delivery_partner_id=unit.delivery_partner_id,
            person_id=person.pk,
            benefit_unit_id=thread.benefit_unit_id,
            extra_data={**_client_audit(person), "messages": [m.pk for m in unread]},
        )
    return len(unread)
