"""audit_record(): the one way to write an AuditEvent (Zulip's RealmAuditLog pattern)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

from caseworks.core.actors import StaffActor

from .constants import AuditEventType
from .models import AuditEvent

# Sent with `event=` once an AuditEvent's transaction has committed (never for a rolled-back
# one). caseworks.ops connects the audit log stream to it: core sits below every app and does
# not import ops (docs/directory-structure.md). Observability only, no domain logic.
audit_event_committed = Signal()


def audit_record(
    *,
    acting_user: StaffActor | None,
    event_type: AuditEventType,
    subject: models.Model,
    delivery_partner_id: int | None = None,
    person_id: int | None = None,
    benefit_unit_id: int | None = None,
    extra_data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a business event. Must run inside the transaction that made the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record() must be called inside the service's transaction")
    if not isinstance(event_type, AuditEventType):
        raise TypeError(f"unknown audit event type {event_type!r}")
    # accounts.User (the foreign key's model) sits above core: the protocol names what is used.
    user: Any = acting_user if getattr(acting_user, "pk", None) else None
    event = AuditEvent.objects.create(
        event_type=event_type.value,
        acting_user=user,
        delivery_partner_id=delivery_partner_id,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        person_id=person_id,
        benefit_unit_id=benefit_unit_id,
        extra_data=extra_data or {},
    )
    # The audit log stream (ids only) gets the event once it is committed, never a rolled-back one.
    transaction.on_commit(
        partial(audit_event_committed.send, sender=AuditEvent, event=event), robust=True
    )
    return event
