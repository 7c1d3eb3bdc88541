"""Clients online: every write of messages, reported changes and uploaded proofs.

Two kinds of caller. The client realm (caseworks.portal) calls the `*_from_client` services
with the signed-in client's `person`; each refuses, as "not found" (Http404), anything outside
that person's current benefit unit, and audits with no staff actor and the person's id. Staff
pages call the others with `acting_user`, scoped to the user's delivery partner.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.applications.constants import VerificationStatus
from caseworks.applications.models import VerificationItem
from caseworks.applications.services import verification_update
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.clients.models import Person
from caseworks.clients.services import person_update
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.business_days import add_business_days
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.documents.services import document_upload_from_client
from caseworks.payments.facts import month_start
from caseworks.payments.models import CircumstancesChange
from caseworks.payments.services import circumstances_change_record

from .constants import (
    ATTACHMENTS_MAX,
    MESSAGE_MAX_CHARS,
    REPLY_BUSINESS_DAYS,
    ReportedChangeKind,
    ReportedChangeStatus,
)
from .models import ClientUpload, Message, MessageThread, ReportedChange

logger = logging.getLogger(__name__)

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


# --- Messages ---------------------------------------------------------------------------------
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


# --- Escalation (a scheduled job) -------------------------------------------------------------
@dataclass
class EscalationResult:
    escalated: int = 0
    skipped: int = 0


def team_supervisor(benefit_unit: BenefitUnit) -> User | None:
    """The supervisor an unanswered thread goes to: one of the case's office (the case's, or
    else its caseworker's), else one of the delivery partner."""
    office_id = benefit_unit.office_id or (
        benefit_unit.caseworker.office_id if benefit_unit.caseworker else None
    )
    supervisors = User.objects.filter(
        delivery_partner_id=benefit_unit.delivery_partner_id,
        role=Role.SUPERVISOR,
        is_active=True,
    ).order_by("id")
    if office_id is not None:
        in_office = supervisors.filter(office_id=office_id).first()
        if in_office is not None:
            return in_office
    return supervisors.first()


def message_threads_escalate(*, as_of: dt.date | None = None) -> EscalationResult:
    """Scheduled job: every thread whose client is still waiting after its reply_due_on goes to
    the team's supervisor. Idempotent and resumable: each thread in its own transaction under a
    row lock (skip_locked), and an escalated thread is not escalated again until the client
    writes after an answer."""
    as_of = as_of or timezone.localdate()
    result = EscalationResult()
    due_ids = list(
        MessageThread.objects.filter(
            awaiting_reply_since__isnull=False,
            escalated_at__isnull=True,
            reply_due_on__lt=as_of,
        ).values_list("pk", flat=True)
    )
    for thread_id in due_ids:
        if _thread_escalate(thread_id=thread_id, as_of=as_of):
            result.escalated += 1
        else:
            result.skipped += 1
    return result


@transaction.atomic
def _thread_escalate(*, thread_id: int, as_of: dt.date) -> bool:
    thread = (
        MessageThread.objects.select_for_update(skip_locked=True)
        .filter(
            pk=thread_id,
            awaiting_reply_since__isnull=False,
            escalated_at__isnull=True,
            reply_due_on__lt=as_of,
        )
        .first()
    )
    if thread is None:
        return False
    unit = BenefitUnit.objects.select_related("caseworker").get(pk=thread.benefit_unit_id)
    supervisor = team_supervisor(unit)
    if supervisor is None:
        logger.warning("No supervisor can take the unanswered thread %s", thread.pk)
        return False
    thread.escalated_at = timezone.now()
    thread.escalated_to = supervisor
    thread.save(update_fields=["escalated_at", "escalated_to", "modified_at"])
    audit_record(
        acting_user=None,
        event_type=AuditEventType.MESSAGE_THREAD_ESCALATED,
        subject=thread,
        delivery_partner_id=unit.delivery_partner_id,
        benefit_unit_id=unit.pk,
        extra_data={
            "escalated_to": supervisor.pk,
            "reply_due_on": thread.reply_due_on.isoformat() if thread.reply_due_on else None,
            "waiting_since": thread.awaiting_reply_since.isoformat()
            if thread.awaiting_reply_since
            else None,
        },
    )
    return True


# --- Changes a client reports -----------------------------------------------------------------
@transaction.atomic
def reported_change_submit_from_client(
    *,
    person: Person,
    benefit_unit: BenefitUnit,
    kind: str,
    changed_on: dt.date,
    address_line: str = "",
    city: str = "",
    postal_code: str = "",
    shelter_cost_cents: int | None = None,
    details: str = "",
) -> ReportedChange:
    """A change the client reports (a move, a new housing cost, someone moving in or out):
    pending until the caseworker verifies it. Nothing the payment is calculated from changes
    before then."""
    unit = client_benefit_unit(person=person, benefit_unit_id=benefit_unit.pk)
    if kind not in ReportedChangeKind.values:
        raise ApplicationError(_("Choose what changed."), field="kind")
    today = timezone.localdate()
    if changed_on > today + dt.timedelta(days=90):
        raise ApplicationError(
            _("The date of the change can be at most 90 days from today."), field="changed_on"
        )
    if kind == ReportedChangeKind.ADDRESS:
        for name, value in (
            ("address_line", address_line),
            ("city", city),
            ("postal_code", postal_code),
        ):
            if not value.strip():
                raise ApplicationError(
                    _("Give the new address, the city and the postal code."), field=name
                )
    if kind == ReportedChangeKind.SHELTER_COST or shelter_cost_cents is not None:
        if (
            shelter_cost_cents is None
            or isinstance(shelter_cost_cents, bool)
            or not isinstance(shelter_cost_cents, int)
            or shelter_cost_cents < 0
        ):
            raise ApplicationError(
                _("Give the new monthly cost, in dollars and cents."), field="shelter_cost"
            )
        if shelter_cost_cents > MAX_MONTHLY_CENTS:
            raise ApplicationError(_("The amount is too large; check it."), field="shelter_cost")
    if kind == ReportedChangeKind.HOUSEHOLD and not details.strip():
        raise ApplicationError(
            _("Say who moved in or out, and when."), field="details", code="required"
        )
    change = ReportedChange(
        benefit_unit=unit,
        reported_by=person,
        kind=kind,
        changed_on=changed_on,
        address_line=address_line.strip()[:300],
        city=city.strip()[:100],
        postal_code=postal_code.strip().upper()[:7],
        shelter_cost_cents=shelter_cost_cents,
        details=details.strip(),
    )
    change.save()
    audit_record(
        acting_user=None,
        event_type=AuditEventType.REPORTED_CHANGE_SUBMITTED,
        subject=change,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=unit.pk,
        extra_data={
            **_client_audit(person),
            "kind": kind,
            "changed_on": changed_on.isoformat(),
            "shelter_cost_cents": shelter_cost_cents,
        },
    )
    return change


def _in_force(unit: BenefitUnit, month: dt.date) -> CircumstancesChange | None:
    return (
        CircumstancesChange.objects.filter(benefit_unit=unit, effective_month__lte=month)
        .order_by("-effective_month", "-id")
        .first()
    )


@transaction.atomic
def reported_change_decide(
    *,
    acting_user: User,
    change: ReportedChange,
    status: str,
    reason: str,
    expected_version: int | None = None,
) -> ReportedChange:
    """The caseworker verifies a reported change (an address or a housing cost becomes a new
    dated version of the case's circumstances from the month of the change; the reporting
    client's address is updated for a move) or rejects it; a reason either way. A change of
    household is verified here and the membership itself changed on the case's members page."""
    require_capability(acting_user, Capability.CASE_EDIT)
    locked = (
        ReportedChange.objects.select_for_update()
        .select_related("benefit_unit", "reported_by")
        .get(pk=change.pk)
    )
    unit = locked.benefit_unit
    _require_own_partner(acting_user, unit)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(STALE, field="version")
    if locked.status != ReportedChangeStatus.PENDING:
        raise ApplicationError(_("This change is already decided."), field="status")
    if status not in (ReportedChangeStatus.VERIFIED, ReportedChangeStatus.REJECTED):
        raise ApplicationError(_("Choose verified or not accepted."), field="status")
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason (the proof seen, or why it is not accepted)."),
            field="reason",
            code="required",
        )
    version = None
    if status == ReportedChangeStatus.VERIFIED and locked.kind != ReportedChangeKind.HOUSEHOLD:
        month = month_start(locked.changed_on)
        in_force = _in_force(unit, month)
        if in_force is None:
            raise ApplicationError(
                _(
                    "The case has no circumstances on file yet: record the change on the "
                    "application instead."
                ),
                field="status",
                code="no_circumstances",
            )
        is_move = locked.kind == ReportedChangeKind.ADDRESS
        version = circumstances_change_record(
            acting_user=acting_user,
            benefit_unit=unit,
            effective_month=month,
            shelter_type=in_force.shelter_type,
            shelter_cost_cents=(
                locked.shelter_cost_cents
                if locked.shelter_cost_cents is not None
                else in_force.shelter_cost_cents
            ),
            heat_cents=in_force.heat_cents,
            utilities_cents=in_force.utilities_cents,
            address_line=locked.address_line if is_move else in_force.address_line,
            city=locked.city if is_move else in_force.city,
            postal_code=locked.postal_code if is_move else in_force.postal_code,
            remote_community=in_force.remote_community,
            reason=_("Reported by the client online; verified: %(reason)s")
            % {"reason": reason.strip()},
        )
        if is_move:
            person_update(
                acting_user=acting_user,
                person=locked.reported_by,
                data={
                    "address_line": locked.address_line,
                    "city": locked.city,
                    "postal_code": locked.postal_code,
                },
            )
    old = locked.status
    locked.status = status
    locked.decision_reason = reason.strip()
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.circumstances_change = version
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(
        update_fields=[
            "status",
            "decision_reason",
            "decided_by",
            "decided_at",
            "circumstances_change",
            "version",
            "modified_at",
        ]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.REPORTED_CHANGE_DECIDED,
        subject=locked,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=locked.reported_by_id,
        benefit_unit_id=unit.pk,
        extra_data={
            "kind": locked.kind,
            "old": old,
            "new": status,
            "circumstances_change": version.pk if version else None,
        },
    )
    return locked


# --- Proofs for the verification checklist ----------------------------------------------------
@transaction.atomic
def checklist_document_upload_from_client(
    *, person: Person, item: VerificationItem, file: ClientFile
) -> ClientUpload:
    """A client uploads a proof against an item of their case's verification checklist. The
    item stays pending until the caseworker accepts the proof (client_upload_accept)."""
    application = item.application
    unit = client_benefit_unit(person=person, benefit_unit_id=application.benefit_unit_id)
    if item.status != VerificationStatus.PENDING:
        raise ApplicationError(
            _("This proof is no longer needed."), field="item", code="not_pending"
        )
    try:
        document = document_upload_from_client(
            person=person,
            benefit_unit=unit,
            title=str(item.get_kind_display()),
            filename=file.filename,
            content=file.content,
        )
    except ApplicationError as exc:
        raise ApplicationError(exc.message, field="file", code=exc.code) from exc
    upload = ClientUpload(item=item, benefit_unit=unit, document=document, uploaded_by=person)
    upload.save()
    audit_record(
        acting_user=None,
        event_type=AuditEventType.CLIENT_UPLOAD_RECEIVED,
        subject=upload,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=unit.pk,
        extra_data={**_client_audit(person), "item": item.pk, "document": document.pk},
    )
    return upload


@transaction.atomic
def client_upload_accept(*, acting_user: User, upload: ClientUpload) -> ClientUpload:
    """The caseworker accepts a client's proof: the checklist item becomes verified with it."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    locked = (
        ClientUpload.objects.select_for_update()
        .select_related("benefit_unit", "item__application", "document")
        .get(pk=upload.pk)
    )
    _require_own_partner(acting_user, locked.benefit_unit)
    if locked.accepted_at is not None:
        raise ApplicationError(_("This proof is already accepted."), field="upload")
    if locked.item.status != VerificationStatus.PENDING:
        raise ApplicationError(
            _("This checklist item is already verified or waived."), field="item"
        )
    verification_update(
        acting_user=acting_user,
        item=locked.item,
        status=VerificationStatus.VERIFIED,
        document=locked.document,
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = acting_user
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return locked
