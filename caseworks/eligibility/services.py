"""Determinations and decisions. A decision is made from one stored determination and drives
the case status, the notice of decision and, later, payments, reviews and appeals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.applications.constants import ApplicationStatus
from caseworks.applications.models import Application
from caseworks.calculation import engine
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import case_status_change
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.documents.services import notices_store
from caseworks.payments.calc import calculate_many, determination_for
from caseworks.payments.circumstances import circumstances_from_application
from caseworks.payments.facts import application_month_facts

from .constants import DecisionOutcome, DecisionStatus, DeterminationResult
from .letters import render_notice_of_decision
from .models import Decision, Determination
from .notice_sections import notice_sections
from .situation import verification_section


@transaction.atomic
def determination_run(
    *,
    acting_user: User,
    application: Application,
    benefit_month: dt.date | None = None,
) -> Determination:
    """Calculate the application's month through the one rules-input builder (the payment
    run's), and store the snapshot."""
    require_capability(acting_user, Capability.DETERMINATION_RUN)
    require_same_partner(acting_user, application.delivery_partner_id)
    month = (benefit_month or application.applied_on).replace(day=1)
    if month < application.applied_on.replace(day=1) or month > (
        timezone.localdate() + dt.timedelta(days=366)
    ):
        raise ApplicationError(
            _("The benefit month must be between the month of application and a year from now."),
            field="benefit_month",
        )
    application = Application.objects.select_for_update().get(pk=application.pk)
    facts = application_month_facts(application, month)
    facts.missing += verification_section(application)
    determination = determination_for(
        calculate_many([facts])[0],
        benefit_month=month,
        acting_user_id=acting_user.pk,
        rules_version=engine.rules_version(),
        application_id=application.pk,
    )
    determination.save()  # custom-check: allow save-needs-update-fields (a new row: a create)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.DETERMINATION_RUN,
        subject=determination,
        delivery_partner_id=application.delivery_partner_id,
        benefit_unit_id=application.benefit_unit_id,
        extra_data={
            "result": determination.result,
            "benefit_month": month.isoformat(),
            "payment_cents": determination.payment_cents,
            "rules_version": determination.rules_version,
        },
    )
    return determination


def _rule_based_outcome(determination: Determination) -> str | None:
    if determination.result == DeterminationResult.ELIGIBLE:
        return DecisionOutcome.GRANT
    if determination.result == DeterminationResult.INELIGIBLE:
        return DecisionOutcome.DENY
    return None


def _decision_reasons(determination: Determination, outcome: str, reason: str) -> list[Any]:
    if outcome == DecisionOutcome.DENY and determination.result == DeterminationResult.INELIGIBLE:
        return list(determination.ineligibility_reasons)
    if determination.result == DeterminationResult.INSUFFICIENT_INFORMATION:
        return [
            {
                "code": "information_not_provided",
                "citation": "Ontario Works Act, 1997, s. 14; O. Reg. 134/98, s. 14",
                "detail": item,
            }
            for item in determination.missing_information
        ]
    return [{"code": "caseworker_reason", "citation": "", "detail": reason}] if reason else []


def _apply_decision(*, acting_user: User, decision: Decision) -> None:
    """Carry a final decision out: case status, application status, notices."""
    benefit_unit = decision.benefit_unit
    application = Application.objects.select_for_update().get(benefit_unit=benefit_unit)
    determination = decision.determination
    if decision.outcome == DecisionOutcome.GRANT and (
        (application_month_facts(application, determination.benefit_month).unit or {})
        != determination.situation
    ):
        # The grant writes the application's facts as the case's first versions: they must be
        # the very input the determination (and so the notice) was calculated from.
        raise ApplicationError(
            _(
                "The household, income or housing changed after this determination: run the "
                "determination again and decide on the new one (a decision waiting for "
                "approval is rejected first)."
            ),
            field="determination",
        )
    if decision.outcome == DecisionOutcome.GRANT:
        case_status_change(
            acting_user=acting_user,
            benefit_unit=benefit_unit,
            to_status=CaseStatus.ACTIVE,
            reason=_("Application granted"),
            effective_on=decision.effective_on,
        )
        application.status = ApplicationStatus.GRANTED
        # The application's facts become the case's first dated versions, so the months the
        # decision was calculated for are paid from the same input (the notice is the payment).
        circumstances_from_application(
            acting_user=acting_user,
            application=application,
            first_month=decision.first_payment_month or decision.effective_on,
        )
    else:
        case_status_change(
            acting_user=acting_user,
            benefit_unit=benefit_unit,
            to_status=CaseStatus.DENIED,
            reason=_("Application denied"),
            effective_on=decision.effective_on,
        )
        application.status = ApplicationStatus.DENIED
    application.version += 1
    application._history_user = acting_user  # type: ignore[attr-defined]
    application.save(update_fields=["status", "version", "modified_at"])
    notices_generate(acting_user=acting_user, decision=decision)


@transaction.atomic
def decision_make(
    *,
    acting_user: User,
    determination: Determination,
    outcome: str,
    effective_on: dt.date | None = None,
    reason: str = "",
    override_reason: str = "",
) -> Decision:
    """Grant or deny from a stored determination.

    Following the rules' result is final at once. Going against it (granting an ineligible
    or insufficient-information determination, or denying an eligible one) is an override: it
    needs a reason and waits for a supervisor's approval before anything happens.
    """
    require_capability(acting_user, Capability.DECISION_MAKE)
    benefit_unit = BenefitUnit.objects.select_for_update().get(pk=determination.benefit_unit_id)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if outcome not in DecisionOutcome.values:
        raise ApplicationError(_("Choose grant or deny."), field="outcome")
    if benefit_unit.status != CaseStatus.PENDING:
        raise ApplicationError(
            _("This case is not waiting for a decision (status: %(status)s).")
            % {"status": CaseStatus(benefit_unit.status).label},
            field="status",
        )
    latest = (
        Determination.objects.filter(benefit_unit=benefit_unit)
        .order_by("-determined_at", "-id")
        .first()
    )
    if latest is None or latest.pk != determination.pk:
        raise ApplicationError(
            _("A newer determination exists for this case; decide on the newest one."),
            field="determination",
        )
    if Decision.objects.filter(
        benefit_unit=benefit_unit, status=DecisionStatus.AWAITING_APPROVAL
    ).exists():
        raise ApplicationError(
            _("A decision on this case is waiting for a supervisor's approval."), field="outcome"
        )
    rule_outcome = _rule_based_outcome(determination)
    # Denying for information the applicant did not provide follows the rules too.
    is_override = outcome != rule_outcome and not (
        outcome == DecisionOutcome.DENY
        and determination.result == DeterminationResult.INSUFFICIENT_INFORMATION
    )
    if is_override and not override_reason.strip():
        raise ApplicationError(
            _("Going against the rules' result needs a reason for the supervisor."),
            field="override_reason",
        )
    if (
        outcome == DecisionOutcome.DENY
        and not is_override
        and not (
            determination.ineligibility_reasons
            or determination.missing_information
            or reason.strip()
        )
    ):
        raise ApplicationError(_("Give the reason for the denial."), field="reason")
    effective_on = effective_on or timezone.localdate()
    if effective_on < benefit_unit.opened_on:
        raise ApplicationError(
            _("The decision cannot take effect before the application date."), field="effective_on"
        )
    decision = Decision(
        benefit_unit=benefit_unit,
        determination=determination,
        outcome=outcome,
        status=DecisionStatus.AWAITING_APPROVAL if is_override else DecisionStatus.FINAL,
        is_override=is_override,
        override_reason=override_reason.strip(),
        reasons=_decision_reasons(determination, outcome, reason.strip()),
        effective_on=effective_on,
        first_payment_month=determination.benefit_month
        if outcome == DecisionOutcome.GRANT
        else None,
        decided_by=acting_user,
    )
    decision._history_user = acting_user  # type: ignore[attr-defined]
    decision.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.DECISION_MADE,
        subject=decision,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={
            "outcome": outcome,
            "determination": determination.pk,
            "is_override": is_override,
            "override_reason": override_reason.strip(),
        },
    )
    if not is_override:
        _apply_decision(acting_user=acting_user, decision=decision)
    return decision


@transaction.atomic
def decision_override_review(
    *, acting_user: User, decision: Decision, approve: bool, comment: str = ""
) -> Decision:
    """A supervisor approves (carries out) or rejects an override. Never their own."""
    require_capability(acting_user, Capability.DECISION_APPROVE_OVERRIDE)
    locked = Decision.objects.select_for_update().select_related("benefit_unit").get(pk=decision.pk)
    require_same_partner(acting_user, locked.benefit_unit.delivery_partner_id)
    if locked.status != DecisionStatus.AWAITING_APPROVAL:
        raise ApplicationError(_("This decision is not waiting for approval."), field="status")
    if locked.decided_by_id == acting_user.pk:
        raise ApplicationError(
            _("Another supervisor must approve an override you made."), field="approved_by"
        )
    if not approve and not comment.strip():
        raise ApplicationError(_("Say why the override is rejected."), field="comment")
    locked.status = DecisionStatus.FINAL if approve else DecisionStatus.REJECTED
    locked.approved_by = acting_user
    locked.approved_at = timezone.now()
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.DECISION_OVERRIDE_APPROVED
        if approve
        else AuditEventType.DECISION_OVERRIDE_REJECTED,
        subject=locked,
        delivery_partner_id=locked.benefit_unit.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={"comment": comment.strip()},
    )
    if approve:
        _apply_decision(acting_user=acting_user, decision=locked)
    return locked


@transaction.atomic
def notices_generate(*, acting_user: User, decision: Decision) -> Decision:
    """Render the notice in English and French, store both on the case, link them.

    Replay-safe: a decision whose notices are stored keeps them (generating again stores no
    new letter and asks no provider again, so no second activation code is issued). The
    sections other apps add (notice_sections) are asked for once, for both languages."""
    stored = (
        Decision.objects.select_for_update()
        .filter(pk=decision.pk)
        .values_list("notice_en_id", "notice_fr_id")
        .first()
    )
    if stored is not None and None not in stored:
        decision.notice_en_id, decision.notice_fr_id = stored
        return decision
    sections = notice_sections(acting_user=acting_user, decision=decision)
    person = notices_store(
        acting_user=acting_user,
        benefit_unit=decision.benefit_unit,
        subject=decision,
        titles={"en": "Notice of decision", "fr": "Avis de décision"},
        render=lambda language: render_notice_of_decision(
            decision, language, sections.get(language, ())
        ),
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.NOTICE_GENERATED,
        subject=decision,
        delivery_partner_id=decision.benefit_unit.delivery_partner_id,
        person_id=person.pk if person else None,
        benefit_unit_id=decision.benefit_unit_id,
        extra_data={"notice_en": decision.notice_en_id, "notice_fr": decision.notice_fr_id},
    )
    return decision
