"""Writes to participation agreements (OW Policy Directive 2.5, Sep 2023)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import OPEN_STATUSES, MemberRole, TaskStatus
from caseworks.cases.models import BenefitUnit, Task
from caseworks.cases.scheduling import scheduled_task_actor
from caseworks.cases.services import task_complete, task_create
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.documents.services import notice_store, sniff_content_type

from .constants import (
    FIRST_REVIEW_DAYS,
    PLAN_REVIEW_TASK_KIND,
    REVIEW_INTERVAL_MONTHS,
    ActivityStatus,
    AgreementStatus,
    DeferralReason,
    GoalCategory,
    ResponsibleParty,
    SignatureMethod,
)
from .letters import agreement_language, render_participation_agreement
from .models import (
    ParticipationAgreement,
    ParticipationDeferral,
    PlanActivity,
    PlanGoal,
    PlanReview,
)

logger = logging.getLogger(__name__)

ADULT_ROLES = frozenset({MemberRole.APPLICANT, MemberRole.SPOUSE, MemberRole.DEPENDANT_ADULT})


def first_review_due_on(start_on: dt.date) -> dt.date:
    """Directive 2.5: the agreement is first reviewed 30 days after it starts."""
    return start_on + dt.timedelta(days=FIRST_REVIEW_DAYS)


def next_review_due_on(reviewed_on: dt.date) -> dt.date:
    """Directive 2.5: then every 3 months, counted from the review just done."""
    return reviewed_on + relativedelta(months=REVIEW_INTERVAL_MONTHS)


def _save(obj: Any, acting_user: User, fields: list[str] | None = None) -> None:
    obj._history_user = acting_user
    obj.full_clean()
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "modified_at"])


def _audit(
    acting_user: User, event: AuditEventType, obj: Any, agreement: Any, **extra: Any
) -> None:
    audit_record(
        acting_user=acting_user,
        event_type=event,
        subject=obj,
        delivery_partner_id=agreement.benefit_unit.delivery_partner_id,
        person_id=agreement.person_id,
        benefit_unit_id=agreement.benefit_unit_id,
        extra_data=extra,
    )


def _lock_agreement(agreement: ParticipationAgreement) -> ParticipationAgreement:
    return (
        ParticipationAgreement.objects.select_for_update(of=("self",))
        .select_related("benefit_unit")
        .get(pk=agreement.pk)
    )


@transaction.atomic
def participation_agreement_create(
    *, acting_user: User, benefit_unit: BenefitUnit, person: Person, start_on: dt.date
) -> ParticipationAgreement:
    """A draft agreement for an adult member (applicant, spouse, dependent adult) of a case."""
    require_capability(acting_user, Capability.PLAN_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if benefit_unit.status not in OPEN_STATUSES:
        raise ApplicationError(_("Agreements can only be made on an open case."), field="status")
    member = benefit_unit.members.filter(person=person, end_on__isnull=True).first()
    if member is None:
        raise ApplicationError(
            _("This person is not a current member of the case."), field="person"
        )
    if member.role not in ADULT_ROLES:
        raise ApplicationError(
            _("Participation agreements are made with adult members only."), field="person"
        )
    if ParticipationAgreement.objects.filter(
        person=person, status__in=[AgreementStatus.DRAFT, AgreementStatus.ACTIVE]
    ).exists():
        raise ApplicationError(
            _("%(name)s already has an agreement in progress.") % {"name": person.full_name},
            field="person",
            code="agreement_exists",
        )
    agreement = ParticipationAgreement(
        benefit_unit=benefit_unit, person=person, start_on=start_on, created_by=acting_user
    )
    try:
        with transaction.atomic():
            _save(agreement, acting_user)
    except IntegrityError as exc:  # a concurrent create won
        raise ApplicationError(
            _("%(name)s already has an agreement in progress.") % {"name": person.full_name},
            field="person",
            code="agreement_exists",
        ) from exc
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_AGREEMENT_CREATED,
        agreement,
        agreement,
        start_on=start_on.isoformat(),
    )
    return agreement


SIGNATURE_MAX_BYTES = 200 * 1024  # a drawn signature is a small PNG


@transaction.atomic
def participation_agreement_sign(
    *,
    acting_user: User,
    agreement: ParticipationAgreement,
    signed_on: dt.date,
    signed_by: str,
    method: str = SignatureMethod.PAPER,
    confirmed: bool = False,
    signature_png: bytes | None = None,
) -> ParticipationAgreement:
    """Record the signature; the agreement takes effect and its first review is scheduled.

    On paper: the worker records that the printed agreement was signed on paper on
    `signed_on`. On screen: the participant signs now, on the worker's screen, by drawing
    (`signature_png`) or, as the keyboard-accessible alternative, by typing their name
    (`signed_by`) and ticking that they agree (`confirmed`); the signed agreement is rendered
    in their language and kept on the case (`signed_document`)."""
    require_capability(acting_user, Capability.PLAN_MANAGE)
    locked = _lock_agreement(agreement)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    if locked.status != AgreementStatus.DRAFT:
        raise ApplicationError(_("This agreement is already signed."), field="status")
    if method not in SignatureMethod.values:
        raise ApplicationError(_("Signature method: choose on paper or on screen."), field="method")
    if not signed_by.strip():
        raise ApplicationError(_("Give the name of the person who signed."), field="signed_by")
    if method == SignatureMethod.SCREEN:
        signed_on = timezone.localdate()  # signed now, in front of the worker
        if not confirmed:
            raise ApplicationError(
                _("Agreement: the participant must confirm that they agree (tick the box)."),
                field="confirmed",
            )
        if signature_png is not None and (
            len(signature_png) > SIGNATURE_MAX_BYTES
            or sniff_content_type(signature_png) != ("image/png", ".png")
        ):
            raise ApplicationError(
                _("Signature: the drawing could not be read. Clear it and sign again."),
                field="signature",
            )
    elif signature_png is not None:
        raise ApplicationError(
            _("Signature: a drawn signature is for a signature on screen."), field="signature"
        )
    if signed_on > timezone.localdate():
        raise ApplicationError(_("The signature date cannot be in the future."), field="signed_on")
    if not locked.goals.exists():
        raise ApplicationError(
            _("Add at least one goal before the agreement is signed."), field="goals"
        )
    locked.status = AgreementStatus.ACTIVE
    locked.signed_on = signed_on
    locked.signed_by = signed_by.strip()
    locked.signature_witnessed_by = acting_user
    locked.signature_method = method
    if method == SignatureMethod.SCREEN:
        language = agreement_language(locked)
        pdf = render_participation_agreement(
            locked,
            language,
            signature_png=signature_png,
            signed_on=signed_on,
            signed_by=locked.signed_by,
            method=method,
        )
        document = notice_store(
            acting_user=acting_user,
            benefit_unit=locked.benefit_unit,
            person=locked.person,
            title=(
                "Entente de participation signée"
                if language == "fr"
                else "Signed participation agreement"
            ),
            pdf=pdf,
            language=language,
        )
        locked.signed_document = document
    _save(
        locked,
        acting_user,
        [
            "status",
            "signed_on",
            "signed_by",
            "signature_witnessed_by",
            "signature_method",
            "signed_document",
        ],
    )
    review = PlanReview(agreement=locked, due_on=first_review_due_on(locked.start_on))
    _save(review, acting_user)
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_AGREEMENT_SIGNED,
        locked,
        locked,
        signed_on=signed_on.isoformat(),
        first_review_due_on=review.due_on.isoformat(),
        method=method,
        drawn=signature_png is not None,
        signed_document_id=locked.signed_document_id,
    )
    return locked


def _require_open(agreement: ParticipationAgreement) -> None:
    if agreement.status == AgreementStatus.ENDED:
        raise ApplicationError(_("This agreement has ended."), field="status")


@transaction.atomic
def plan_goal_add(
    *,
    acting_user: User,
    agreement: ParticipationAgreement,
    category: str,
    description: str,
    target_on: dt.date | None = None,
) -> PlanGoal:
    require_capability(acting_user, Capability.PLAN_MANAGE)
    locked = _lock_agreement(agreement)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    _require_open(locked)
    if category not in GoalCategory.values:
        raise ApplicationError(_("Choose the kind of goal."), field="category")
    if not description.strip():
        raise ApplicationError(_("Describe the goal."), field="description")
    if target_on is not None and target_on < locked.start_on:
        raise ApplicationError(
            _("The target date is before the agreement starts."), field="target_on"
        )
    goal = PlanGoal(
        agreement=locked, category=category, description=description.strip(), target_on=target_on
    )
    _save(goal, acting_user)
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_AGREEMENT_UPDATED,
        goal,
        locked,
        change="goal_added",
        category=category,
    )
    return goal


@transaction.atomic
def plan_activity_add(
    *,
    acting_user: User,
    agreement: ParticipationAgreement,
    description: str,
    start_on: dt.date,
    responsible_party: str,
    end_on: dt.date | None = None,
    responsible_detail: str = "",
    goal: PlanGoal | None = None,
) -> PlanActivity:
    require_capability(acting_user, Capability.PLAN_MANAGE)
    locked = _lock_agreement(agreement)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    _require_open(locked)
    if not description.strip():
        raise ApplicationError(_("Describe the activity."), field="description")
    if responsible_party not in ResponsibleParty.values:
        raise ApplicationError(_("Choose who is responsible."), field="responsible_party")
    if end_on is not None and end_on < start_on:
        raise ApplicationError(_("The end date is before the start date."), field="end_on")
    if goal is not None and goal.agreement_id != locked.pk:
        raise ApplicationError(_("That goal belongs to another agreement."), field="goal")
    activity = PlanActivity(
        agreement=locked,
        goal=goal,
        description=description.strip(),
        start_on=start_on,
        end_on=end_on,
        responsible_party=responsible_party,
        responsible_detail=responsible_detail.strip(),
        status=ActivityStatus.PLANNED,
    )
    _save(activity, acting_user)
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_AGREEMENT_UPDATED,
        activity,
        locked,
        change="activity_added",
        start_on=start_on.isoformat(),
        responsible_party=responsible_party,
    )
    return activity


@transaction.atomic
def participation_agreement_review_record(
    *, acting_user: User, agreement: ParticipationAgreement, reviewed_on: dt.date, notes: str
) -> PlanReview:
    """Record the pending review as done and schedule the next one 3 months later."""
    require_capability(acting_user, Capability.PLAN_MANAGE)
    locked = _lock_agreement(agreement)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    if locked.status != AgreementStatus.ACTIVE:
        raise ApplicationError(_("Only a signed agreement in effect is reviewed."), field="status")
    if reviewed_on > timezone.localdate():
        raise ApplicationError(_("The review date cannot be in the future."), field="reviewed_on")
    if reviewed_on < locked.start_on:
        raise ApplicationError(
            _("The review date is before the agreement starts."), field="reviewed_on"
        )
    if not notes.strip():
        raise ApplicationError(_("Summarise the review."), field="notes")
    review = PlanReview.objects.select_for_update().get(agreement=locked, reviewed_on__isnull=True)
    review.reviewed_on = reviewed_on
    review.reviewed_by = acting_user
    review.notes = notes.strip()
    _save(review, acting_user, ["reviewed_on", "reviewed_by", "notes"])
    if review.task_id is not None:
        task = Task.objects.get(pk=review.task_id)
        if task.status == TaskStatus.OPEN:
            task_complete(acting_user=acting_user, task=task)
    following = PlanReview(agreement=locked, due_on=next_review_due_on(reviewed_on))
    _save(following, acting_user)
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_AGREEMENT_REVIEWED,
        review,
        locked,
        due_on=review.due_on.isoformat(),
        reviewed_on=reviewed_on.isoformat(),
        next_review_due_on=following.due_on.isoformat(),
    )
    return review


@transaction.atomic
def participation_deferral_record(
    *,
    acting_user: User,
    agreement: ParticipationAgreement,
    reason: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    details: str = "",
) -> ParticipationDeferral:
    """Defer participation requirements for one of the Directive 2.5 reasons."""
    require_capability(acting_user, Capability.PLAN_MANAGE)
    locked = _lock_agreement(agreement)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    _require_open(locked)
    if reason not in DeferralReason.values:
        raise ApplicationError(_("Choose a reason for the deferral."), field="reason")
    if reason == DeferralReason.OTHER_EXCEPTIONAL and not details.strip():
        raise ApplicationError(
            _("Describe the exceptional circumstances."), field="details", code="details_required"
        )
    if reason == DeferralReason.AGE_65_PLUS:
        age = relativedelta(start_on, locked.person.date_of_birth).years
        if age < 65:
            raise ApplicationError(
                _("The participant is under 65 on the deferral start date."), field="reason"
            )
    if end_on is not None and end_on < start_on:
        raise ApplicationError(_("The end date is before the start date."), field="end_on")
    if (
        locked.deferrals.filter(end_on__isnull=True).exists()
        or locked.deferrals.filter(end_on__gte=start_on).exists()
    ):
        raise ApplicationError(_("A deferral is already in effect on that date."), field="start_on")
    deferral = ParticipationDeferral(
        agreement=locked,
        reason=reason,
        start_on=start_on,
        end_on=end_on,
        details=details.strip(),
        recorded_by=acting_user,
    )
    _save(deferral, acting_user)
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_DEFERRAL_RECORDED,
        deferral,
        locked,
        reason=reason,
        start_on=start_on.isoformat(),
        end_on=end_on.isoformat() if end_on else None,
    )
    return deferral


@transaction.atomic
def participation_agreement_end(
    *, acting_user: User, agreement: ParticipationAgreement, ended_on: dt.date, reason: str
) -> ParticipationAgreement:
    require_capability(acting_user, Capability.PLAN_MANAGE)
    locked = _lock_agreement(agreement)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    _require_open(locked)
    if not reason.strip():
        raise ApplicationError(_("Give the reason the agreement ends."), field="reason")
    if ended_on < locked.start_on:
        raise ApplicationError(_("The end date is before the start date."), field="ended_on")
    locked.status = AgreementStatus.ENDED
    locked.ended_on = ended_on
    locked.end_reason = reason.strip()
    if locked.signed_on is None:
        locked.signed_on = ended_on  # the check constraint needs a date; never signed → end date
    _save(locked, acting_user, ["status", "ended_on", "end_reason", "signed_on"])
    PlanReview.objects.filter(agreement=locked, reviewed_on__isnull=True).delete()
    _audit(
        acting_user,
        AuditEventType.PARTICIPATION_AGREEMENT_UPDATED,
        locked,
        locked,
        change="ended",
        ended_on=ended_on.isoformat(),
        reason=locked.end_reason,
    )
    return locked


@dataclass
class RaiseResult:
    created: int = 0
    skipped: int = 0


def plan_review_tasks_raise(*, as_of: dt.date | None = None) -> RaiseResult:
    """Scheduled job: a Task for every overdue review that has none yet (idempotent).

    A review is overdue when its due date has passed (due_on < as_of) and it is not recorded.
    Each review is handled in its own transaction under a row lock, so a job run twice (or two
    workers at once) never raises two tasks for the same review.
    """
    as_of = as_of or timezone.localdate()
    result = RaiseResult()
    pending_ids = list(
        PlanReview.objects.filter(
            reviewed_on__isnull=True,
            task__isnull=True,
            due_on__lt=as_of,
            agreement__status=AgreementStatus.ACTIVE,
            agreement__benefit_unit__status__in=list(OPEN_STATUSES),
        ).values_list("pk", flat=True)
    )
    for review_id in pending_ids:
        if _raise_review_task(review_id=review_id, as_of=as_of):
            result.created += 1
        else:
            result.skipped += 1
    return result


@transaction.atomic
def _raise_review_task(*, review_id: int, as_of: dt.date) -> bool:
    review = (
        PlanReview.objects.select_for_update(skip_locked=True)
        .filter(pk=review_id, task__isnull=True, reviewed_on__isnull=True)
        .first()
    )
    if review is None:
        return False
    agreement = ParticipationAgreement.objects.select_related(
        "benefit_unit__caseworker", "person", "created_by"
    ).get(pk=review.agreement_id)
    benefit_unit = agreement.benefit_unit
    actor = scheduled_task_actor(benefit_unit=benefit_unit, preferred=agreement.created_by)
    if actor is None:
        logger.warning("No staff member can take the review task for agreement %s", agreement.pk)
        return False
    task = task_create(
        acting_user=actor,
        title=_("Overdue participation agreement review: %(name)s (due %(due)s)")
        % {"name": agreement.person.full_name, "due": review.due_on.isoformat()},
        due_on=review.due_on,
        benefit_unit=benefit_unit,
        kind=PLAN_REVIEW_TASK_KIND,
    )
    review.task = task
    review._history_user = actor  # type: ignore[attr-defined]
    review.save(update_fields=["task", "modified_at"])
    return True
