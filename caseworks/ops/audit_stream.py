"""The audit/security log stream (logger `caseworks.audit`, see logs.py).

Fed by `caseworks.core.audit.audit_record()` (one line per audit event, once its transaction has
committed) and by the sign-in signals (signals.py). A line names the kind of event, the actor,
the delivery partner and the object by type and id; never a name, a SIN or any value from the
event's `extra_data` (old and new values stay in the database, which is access-controlled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog

from .logs import AUDIT_LOGGER
from .metrics import AUDIT_EVENTS

if TYPE_CHECKING:
    from caseworks.core.models import AuditEvent

audit_logger = structlog.get_logger(AUDIT_LOGGER)


def audit_event_logged(event: AuditEvent) -> None:
    """Write the audit stream's line for a committed AuditEvent (ids only)."""
    AUDIT_EVENTS.labels(event.event_type).inc()
    audit_logger.info(
        "audit_event",
        stream="audit",
        audit_event_id=event.pk,
        event_type=event.event_type,
        actor_id=event.acting_user_id,
        partner_id=event.delivery_partner_id,
        object_type=event.subject_type,
        object_id=event.subject_id,
        person_id=event.person_id,
        benefit_unit_id=event.benefit_unit_id,
        event_time=event.event_time.isoformat(),
    )


def security_event_logged(event: str, *, user: Any = None, **fields: Any) -> None:
    """Sign-in, sign-out, failed sign-in and lockout lines (ids and addresses only)."""
    audit_logger.info(
        event,
        stream="security",
        actor_id=getattr(user, "pk", None),
        partner_id=getattr(user, "delivery_partner_id", None),
        role=str(getattr(user, "role", "") or "") or None,
        **fields,
    )
