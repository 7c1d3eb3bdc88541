"""Internal reviews and appeals to the Social Benefits Tribunal (deadlines in constants.py)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.core.ownership import require_same_partner
from caseworks.eligibility.constants import DecisionStatus
from caseworks.eligibility.models import Decision
from caseworks.payments.services import interim_assistance_overpayments_record

from .constants import (
    APPEAL_DAYS_AFTER_REVIEW,
    APPEAL_DAYS_WITHOUT_DECISION,
    MAILING_DAYS,
    REVIEW_DECISION_DAYS,
    REVIEW_REQUEST_CITATION,
    REVIEW_REQUEST_DAYS,
    AppealOutcome,
    AppealStatus,
    ReviewChannel,
    ReviewOutcome,
    ReviewStatus,
)
from .models import Appeal, InternalReview

STALE = _(
    "Someone else changed this record while you were working on it. "
    "Reload the page to see their change, then try again."
)


def review_deadlines(
    *, decision_date: dt.date, received_on: dt.date | None, requested_on: dt.date
) -> tuple[dt.date, dt.date, dt.date]:
    """(date received, request due, decision due). A mailed decision is deemed received
    MAILING_DAYS after it was made when the receipt date is not known."""
    received = received_on or decision_date + dt.timedelta(days=MAILING_DAYS)
    return (
        received,
        received + dt.timedelta(days=REVIEW_REQUEST_DAYS),
        requested_on + dt.timedelta(days=REVIEW_DECISION_DAYS),
    )


@transaction.atomic
def internal_review_request(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    decision_description: str,
    decision_date: dt.date,
    requested_on: dt.date,
    grounds: str,
    decision_received_on: dt.date | None = None,
    late_reason: str = "",
) -> InternalReview:
    """Record a request for internal review. A late request is flagged (with its reason),
    never refused: late requests may be accepted (ow-rules.md §5)."""
    require_capability(acting_user, Capability.REVIEW_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if not decision_description.strip():
        raise ApplicationError(_("Say which decision is to be reviewed."), field="decision")
    if not grounds.strip():
        raise ApplicationError(_("Say why the client disagrees."), field="grounds")
    today = timezone.localdate()
    if requested_on > today or decision_date > today:
        raise ApplicationError(_("A date cannot be in the future."), field="requested_on")
    if requested_on < decision_date:
        raise ApplicationError(
            _("The request cannot come before the decision."), field="requested_on"
        )
    received, request_due, decision_due = review_deadlines(
        decision_date=decision_date, received_on=decision_received_on, requested_on=requested_on
    )
    review = InternalReview(
        benefit_unit=benefit_unit,
        decision_description=decision_description.strip()[:300],
        decision_date=decision_date,
        decision_received_on=received,
        requested_on=requested_on,
        request_due_on=request_due,
        is_late=requested_on > request_due,
        late_reason=late_reason.strip(),
        grounds=grounds.strip(),
        decision_due_on=decision_due,
        recorded_by=acting_user,
    )
    review._history_user = acting_user  # type: ignore[attr-defined]
    review.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INTERNAL_REVIEW_REQUESTED,
        subject=review,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={
            "requested_on": requested_on.isoformat(),
            "is_late": review.is_late,
            "decision_due_on": decision_due.isoformat(),
        },
    )
    return review


def decision_review_deadline(*, decision: Decision) -> tuple[dt.date, dt.date]:
    """(the date the decision is deemed received, the last day to ask for a review) of a
    decision: mailed notices are deemed received MAILING_DAYS after the decision; the client
    then has REVIEW_REQUEST_DAYS days (REVIEW_REQUEST_CITATION)."""
    decided_on = timezone.localdate(decision.approved_at or decision.decided_at)
    received = decided_on + dt.timedelta(days=MAILING_DAYS)
    return received, received + dt.timedelta(days=REVIEW_REQUEST_DAYS)


@transaction.atomic
def internal_review_request_from_client(
    *, person: Person, decision: Decision, reason: str
) -> InternalReview:
    """A client's own request for internal review of a decision on their case, made online.

    It lands in the same workflow as a request staff record (the review decision is due
    REVIEW_DECISION_DAYS after it), with the deadline computed once and stored. Online, a
    request after the deadline is refused, naming the rule: a late request can still be made
    to the caseworker, who records it with the reason it is late (internal_review_request).
    A decision on another case than the person's current one is not found (Http404)."""
    if not BenefitUnitMember.objects.filter(
        person=person, benefit_unit_id=decision.benefit_unit_id, end_on__isnull=True
    ).exists():
        raise Http404
    if decision.status != DecisionStatus.FINAL:
        raise ApplicationError(
            _("This decision is not final yet: it cannot be reviewed."), field="decision"
        )
    grounds = reason.strip()
    if not grounds:
        raise ApplicationError(
            _("Say why you disagree with the decision."), field="reason", code="required"
        )
    received, request_due = decision_review_deadline(decision=decision)
    today = timezone.localdate()
    if today > request_due:
        raise ApplicationError(
            _(
                "The 30 days to ask for an internal review of this decision ended on %(due)s "
                "(%(rule)s). Contact your caseworker: a late request can still be made, with "
                "the reason it is late."
            )
            % {"due": request_due.isoformat(), "rule": REVIEW_REQUEST_CITATION},
            field="decision",
            code="review_deadline_passed",
        )
    if InternalReview.objects.filter(decision=decision, status=ReviewStatus.REQUESTED).exists():
        raise ApplicationError(
            _("A review of this decision is already requested."),
            field="decision",
            code="already_requested",
        )
    unit = BenefitUnit.objects.get(pk=decision.benefit_unit_id)
    decision_date = timezone.localdate(decision.approved_at or decision.decided_at)
    review = InternalReview(
        benefit_unit=unit,
        decision=decision,
        decision_description=_("Decision of %(date)s on the application")
        % {"date": decision_date.isoformat()},
        decision_date=decision_date,
        decision_received_on=received,
        requested_on=today,
        request_due_on=request_due,
        is_late=False,
        grounds=grounds,
        decision_due_on=today + dt.timedelta(days=REVIEW_DECISION_DAYS),
        requested_via=ReviewChannel.CLIENT_ONLINE,
        requested_by_person=person,
        recorded_by=None,
    )
    review.save()
    audit_record(
        acting_user=None,
        event_type=AuditEventType.INTERNAL_REVIEW_REQUESTED,
        subject=review,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=unit.pk,
        extra_data={
            "requested_on": today.isoformat(),
            "request_due_on": request_due.isoformat(),
            "decision_due_on": review.decision_due_on.isoformat(),
            "requested_via": ReviewChannel.CLIENT_ONLINE,
            "client_person_id": person.pk,
        },
    )
    return review


@transaction.atomic
def internal_review_decide(
    *,
    acting_user: User,
    review: InternalReview,
    outcome: str,
    reasons: str,
    decided_on: dt.date | None = None,
    expected_version: int | None = None,
) -> InternalReview:
    """Record the outcome. The reviewer should not be the person who recorded the request."""
    require_capability(acting_user, Capability.REVIEW_MANAGE)
    locked = InternalReview.objects.select_for_update().get(pk=review.pk)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(STALE, field="version")
    if locked.status != ReviewStatus.REQUESTED:
        raise ApplicationError(_("This review is already decided."), field="status")
    if outcome not in ReviewOutcome.values:
        raise ApplicationError(_("Choose the outcome."), field="outcome")
    if not reasons.strip():
        raise ApplicationError(_("Give the reasons for the outcome."), field="reasons")
    decided_on = decided_on or timezone.localdate()
    if decided_on < locked.requested_on:
        raise ApplicationError(
            _("The decision cannot come before the request."), field="decided_on"
        )
    locked.status = ReviewStatus.DECIDED
    locked.outcome = outcome
    locked.outcome_reasons = reasons.strip()
    locked.decided_on = decided_on
    locked.decided_by = acting_user
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INTERNAL_REVIEW_DECIDED,
        subject=locked,
        delivery_partner_id=locked.benefit_unit.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={
            "outcome": outcome,
            "decided_on": decided_on.isoformat(),
            "decided_late": decided_on > locked.decision_due_on,
        },
    )
    return locked


@transaction.atomic
def appeal_record(
    *,
    acting_user: User,
    review: InternalReview,
    filed_on: dt.date,
    tribunal_file_number: str = "",
    interim_assistance: bool = False,
    interim_ordered_on: dt.date | None = None,
) -> Appeal:
    """An appeal filed with the Social Benefits Tribunal after the internal review (a
    prerequisite). Due 30 days after the review decision, or 60 days after the request when no
    decision came within 30 days; a late filing is flagged (the Tribunal decides)."""
    require_capability(acting_user, Capability.REVIEW_MANAGE)
    require_same_partner(acting_user, review.benefit_unit.delivery_partner_id)
    if review.status == ReviewStatus.WITHDRAWN:
        raise ApplicationError(_("The internal review was withdrawn."), field="review")
    if review.decided_on is not None:
        due = review.decided_on + dt.timedelta(days=APPEAL_DAYS_AFTER_REVIEW)
    else:
        if timezone.localdate() <= review.decision_due_on:
            raise ApplicationError(
                _(
                    "An appeal can be filed after the internal review decision, or once the "
                    "review is overdue."
                ),
                field="review",
            )
        due = review.requested_on + dt.timedelta(days=APPEAL_DAYS_WITHOUT_DECISION)
    if interim_assistance and interim_ordered_on is None:
        raise ApplicationError(
            _("Give the date the Tribunal ordered interim assistance."), field="interim_ordered_on"
        )
    appeal = Appeal(
        review=review,
        benefit_unit=review.benefit_unit,
        filed_on=filed_on,
        filing_due_on=due,
        is_late=filed_on > due,
        tribunal_file_number=tribunal_file_number.strip(),
        interim_assistance=interim_assistance,
        interim_ordered_on=interim_ordered_on if interim_assistance else None,
        recorded_by=acting_user,
    )
    appeal._history_user = acting_user  # type: ignore[attr-defined]
    appeal.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPEAL_RECORDED,
        subject=appeal,
        delivery_partner_id=review.benefit_unit.delivery_partner_id,
        benefit_unit_id=review.benefit_unit_id,
        extra_data={
            "filed_on": filed_on.isoformat(),
            "is_late": appeal.is_late,
            "interim_assistance": interim_assistance,
        },
    )
    return appeal


@transaction.atomic
def appeal_update(
    *,
    acting_user: User,
    appeal: Appeal,
    hearing_on: dt.date | None = None,
    outcome: str = "",
    outcome_on: dt.date | None = None,
    outcome_notes: str = "",
    interim_assistance: bool | None = None,
    interim_ordered_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Appeal:
    """Hearing date, interim assistance and the Tribunal's outcome. Interim assistance stops
    with the outcome (the payment run no longer includes the case); if the appeal is denied or
    abandoned, the interim payments become an overpayment, recorded through the ledger."""
    require_capability(acting_user, Capability.REVIEW_MANAGE)
    locked = Appeal.objects.select_for_update().select_related("benefit_unit").get(pk=appeal.pk)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(STALE, field="version")
    if locked.status in (AppealStatus.DECIDED, AppealStatus.WITHDRAWN):
        raise ApplicationError(_("This appeal is closed."), field="status")
    if hearing_on is not None:
        locked.hearing_on = hearing_on
        locked.status = AppealStatus.HEARING_SCHEDULED
    if interim_assistance is not None:
        if interim_assistance and (interim_ordered_on or locked.interim_ordered_on) is None:
            raise ApplicationError(
                _("Give the date the Tribunal ordered interim assistance."),
                field="interim_ordered_on",
            )
        locked.interim_assistance = interim_assistance
        locked.interim_ordered_on = interim_ordered_on or locked.interim_ordered_on
    if outcome:
        if outcome not in AppealOutcome.values:
            raise ApplicationError(_("Choose the Tribunal's outcome."), field="outcome")
        locked.outcome = outcome
        locked.outcome_on = outcome_on or timezone.localdate()
        locked.outcome_notes = outcome_notes.strip()
        locked.status = (
            AppealStatus.WITHDRAWN if outcome == AppealOutcome.ABANDONED else AppealStatus.DECIDED
        )
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    if locked.interim_assistance and outcome in (AppealOutcome.DENIED, AppealOutcome.ABANDONED):
        interim_assistance_overpayments_record(
            acting_user=acting_user,
            benefit_unit=locked.benefit_unit,
            reason=_("Interim assistance paid while the appeal was pending; the appeal was %(o)s.")
            % {"o": AppealOutcome(outcome).label.lower()},
        )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPEAL_UPDATED,
        subject=locked,
        delivery_partner_id=locked.benefit_unit.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={
            "status": locked.status,
            "outcome": locked.outcome,
            "hearing_on": locked.hearing_on.isoformat() if locked.hearing_on else None,
            "interim_assistance": locked.interim_assistance,
        },
    )
    return locked
