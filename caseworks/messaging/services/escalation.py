"""Escalation (a scheduled job): threads unanswered after two business days go to a supervisor."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType

from ..models import MessageThread

logger = logging.getLogger(__name__)


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
