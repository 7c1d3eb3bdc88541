"""Clients online: every write of messages, reported changes and uploaded proofs.

Two kinds of caller. The client realm (caseworks.portal) calls the `*_from_client` services
with the signed-in client's `person`; each refuses, as "not found" (Http404), anything outside
that person's current benefit unit, and audits with no staff actor and the person's id. Staff
pages call the others with `acting_user`, scoped to the user's delivery partner.

One module per part; this package re-exports them so that imports of the package keep working.
"""

from ._common import (
    MAX_MONTHLY_CENTS,
    STALE,
    ClientFile,
    client_benefit_unit,
)
from .changes import (
    reported_change_decide,
    reported_change_submit_from_client,
)
from .escalation import (
    EscalationResult,
    message_threads_escalate,
    team_supervisor,
)
from .messages import (
    message_mark_read,
    message_mark_read_by_client,
    message_reply,
    message_send_from_client,
)
from .proofs import (
    checklist_document_upload_from_client,
    client_upload_accept,
)

__all__ = [
    "MAX_MONTHLY_CENTS",
    "STALE",
    "ClientFile",
    "EscalationResult",
    "checklist_document_upload_from_client",
    "client_benefit_unit",
    "client_upload_accept",
    "message_mark_read",
    "message_mark_read_by_client",
    "message_reply",
    "message_send_from_client",
    "message_threads_escalate",
    "reported_change_decide",
    "reported_change_submit_from_client",
    "team_supervisor",
]
