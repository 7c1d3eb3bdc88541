"""Reads for clients online: staff reads are scoped to the partner (and to the team for the
inbox); client reads to the person's current benefit unit.

The team of a case: the staff of its office (the case's office, or else its caseworker's
office). A staff member's team inbox holds the threads of the cases they hold and of the cases
of their office; a staff member without an office, and a supervisor, sees the threads of the
whole delivery partner. So when the caseworker is away, the rest of the office sees the
client's message, and an unanswered one reaches the supervisor (services.message_threads_escalate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.applications.constants import VerificationStatus
from caseworks.applications.models import VerificationItem
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import Person
from caseworks.core.access import partner_scope, require_capability
from caseworks.eligibility.models import Decision

from .constants import ReportedChangeStatus
from .models import ClientUpload, Message, MessageThread, ReportedChange
from .services import client_benefit_unit


def _team_filter(user: Any, prefix: str = "benefit_unit__") -> Q:
    if user.has_capability(Capability.CASELOAD_SUPERVISE) or user.office_id is None:
        return Q()
    return (
        Q(**{f"{prefix}caseworker": user})
        | Q(**{f"{prefix}office_id": user.office_id})
        | Q(**{f"{prefix}office__isnull": True, f"{prefix}caseworker__office_id": user.office_id})
    )


def threads_for_user(*, user: Any, only_waiting: bool = False) -> QuerySet[MessageThread]:
    """The user's team inbox: threads of the team's cases, the waiting and escalated first."""
    require_capability(user, Capability.CASE_VIEW)
    partner_id = partner_scope(user)
    threads = MessageThread.objects.filter(_team_filter(user)).select_related(
        "benefit_unit", "benefit_unit__caseworker", "escalated_to"
    )
    if partner_id is not None:
        threads = threads.filter(benefit_unit__delivery_partner_id=partner_id)
    if only_waiting:
        threads = threads.filter(awaiting_reply_since__isnull=False)
    return threads.annotate(
        unread=Count(
            "messages",
            filter=Q(messages__author_person__isnull=False, messages__read_at__isnull=True),
        )
    ).order_by("reply_due_on", "-last_message_at", "id")


@dataclass(frozen=True)
class InboxCounts:
    waiting: int
    escalated_to_me: int


def inbox_counts_for_user(*, user: Any) -> InboxCounts:
    """For the home page: the team's threads waiting for a reply, and those escalated to the
    user (one query)."""
    if not user.has_capability(Capability.CASE_VIEW):
        return InboxCounts(0, 0)
    counts = threads_for_user(user=user, only_waiting=True).aggregate(
        waiting=Count("id", distinct=True),
        escalated=Count("id", filter=Q(escalated_to=user), distinct=True),
    )
    return InboxCounts(counts["waiting"] or 0, counts["escalated"] or 0)


def thread_for_case(*, user: Any, benefit_unit: BenefitUnit) -> MessageThread | None:
    """The case's thread with its messages (the caller loaded the case through
    benefit_unit_get_for_user, which scoped it to the partner)."""
    require_capability(user, Capability.CASE_VIEW)
    return (
        MessageThread.objects.filter(benefit_unit=benefit_unit)
        .select_related("escalated_to")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.select_related(
                    "author_person", "author_user"
                ).prefetch_related("attachments"),
            )
        )
        .first()
    )


def thread_get_for_user(*, user: Any, thread_id: int) -> MessageThread:
    require_capability(user, Capability.CASE_VIEW)
    partner_id = partner_scope(user)
    threads = MessageThread.objects.select_related("benefit_unit")
    if partner_id is not None:
        threads = threads.filter(benefit_unit__delivery_partner_id=partner_id)
    thread = threads.filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def reported_changes_for_user(
    *, user: Any, status: str = ReportedChangeStatus.PENDING
) -> QuerySet[ReportedChange]:
    """The team's reported changes with `status` (the verification queue)."""
    require_capability(user, Capability.CASE_VIEW)
    partner_id = partner_scope(user)
    changes = ReportedChange.objects.filter(_team_filter(user), status=status).select_related(
        "benefit_unit", "reported_by", "decided_by"
    )
    if partner_id is not None:
        changes = changes.filter(benefit_unit__delivery_partner_id=partner_id)
    return changes.order_by("reported_at", "id")


def reported_changes_for_case(*, user: Any, benefit_unit: BenefitUnit) -> list[ReportedChange]:
    """The case's reported changes, newest first (the caller loaded the case through
    benefit_unit_get_for_user)."""
    require_capability(user, Capability.CASE_VIEW)
    return list(
        ReportedChange.objects.filter(benefit_unit=benefit_unit)
        .select_related("reported_by", "decided_by", "circumstances_change")
        .order_by("-reported_at", "-id")
    )


def reported_change_get_for_user(*, user: Any, change_id: int) -> ReportedChange:
    require_capability(user, Capability.CASE_VIEW)
    partner_id = partner_scope(user)
    changes = ReportedChange.objects.select_related("benefit_unit", "reported_by")
    if partner_id is not None:
        changes = changes.filter(benefit_unit__delivery_partner_id=partner_id)
    change = changes.filter(pk=change_id).first()
    if change is None:
        raise Http404
    return change


def client_uploads_for_case(*, user: Any, benefit_unit: BenefitUnit) -> list[ClientUpload]:
    """Proofs the case's clients uploaded (the caller loaded the case through
    benefit_unit_get_for_user)."""
    require_capability(user, Capability.DOCUMENT_VIEW)
    return list(
        ClientUpload.objects.filter(benefit_unit=benefit_unit).select_related(
            "item", "item__person", "document", "uploaded_by", "accepted_by"
        )
    )


def client_upload_get_for_user(*, user: Any, upload_id: int) -> ClientUpload:
    require_capability(user, Capability.DOCUMENT_VIEW)
    partner_id = partner_scope(user)
    uploads = ClientUpload.objects.select_related("benefit_unit")
    if partner_id is not None:
        uploads = uploads.filter(benefit_unit__delivery_partner_id=partner_id)
    upload = uploads.filter(pk=upload_id).first()
    if upload is None:
        raise Http404
    return upload


# --- The client's own reads (the portal) ------------------------------------------------------
def threads_for_client(*, person: Person) -> list[MessageThread]:
    """The thread of the person's current case, with its messages (none yet: empty list)."""
    unit = client_benefit_unit(person=person)
    return list(
        MessageThread.objects.filter(benefit_unit=unit).prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.select_related("author_person").prefetch_related(
                    "attachments"
                ),
            )
        )
    )


def reported_changes_for_client(*, person: Person) -> list[ReportedChange]:
    unit = client_benefit_unit(person=person)
    return list(ReportedChange.objects.filter(benefit_unit=unit).order_by("-reported_at", "-id"))


def checklist_items_for_client(*, person: Person) -> list[VerificationItem]:
    """The proofs the person's case still owes (pending checklist items of its application),
    each with the uploads already sent (`client_uploads`)."""
    unit = client_benefit_unit(person=person)
    return list(
        VerificationItem.objects.filter(
            application__benefit_unit=unit, status=VerificationStatus.PENDING
        )
        .select_related("person")
        .prefetch_related("client_uploads")
        .order_by("kind", "id")
    )


def checklist_for_client(*, person: Person) -> list[VerificationItem]:
    """Every item of the person's case's verification checklist, whatever its status (still
    needed, verified, waived), each with the uploads already sent (`client_uploads`, oldest
    first): what the client sees on their "Documents we need" page."""
    unit = client_benefit_unit(person=person)
    return list(
        VerificationItem.objects.filter(application__benefit_unit=unit)
        .select_related("person")
        .prefetch_related(
            Prefetch("client_uploads", queryset=ClientUpload.objects.order_by("uploaded_at", "id"))
        )
        .order_by("kind", "id")
    )


def checklist_item_for_client(*, person: Person, item_id: int) -> VerificationItem:
    unit = client_benefit_unit(person=person)
    item = (
        VerificationItem.objects.filter(application__benefit_unit=unit, pk=item_id)
        .select_related("application")
        .first()
    )
    if item is None:
        raise Http404
    return item


def thread_for_client(*, person: Person, thread_id: int) -> MessageThread:
    unit = client_benefit_unit(person=person)
    thread = MessageThread.objects.filter(benefit_unit=unit, pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def decision_for_client(*, person: Person, decision_id: int) -> Decision:
    """A decision on the person's current case (for a review request), or Http404."""
    unit = client_benefit_unit(person=person)
    decision = Decision.objects.filter(benefit_unit=unit, pk=decision_id).first()
    if decision is None:
        raise Http404
    return decision
