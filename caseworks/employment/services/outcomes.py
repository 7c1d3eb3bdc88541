"""Writes for employment outcomes and their follow-ups (staff and provider reports)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus, TaskStatus
from caseworks.cases.models import BenefitUnit, Task
from caseworks.cases.scheduling import scheduled_task_actor
from caseworks.cases.services import TASK_TITLE_MAX_LENGTH, task_create
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.money import display_cents
from caseworks.core.ownership import require_same_partner

from ..constants import (
    FOLLOW_UP_MONTHS,
    FOLLOW_UP_TASK_KIND,
    JOB_ELIGIBILITY_REVIEW_DAYS,
    JOB_ELIGIBILITY_REVIEW_TASK_KIND,
    JOB_INCOME_REPORT_TASK_KIND,
    Channel,
    Permanence,
    ReferralStatus,
)
from ..minimum_wage import minimum_wage_on
from ..models import (
    EmploymentOutcome,
    OutcomeFollowUp,
    Referral,
)
from ._common import MAX_HOURS_PER_WEEK, RaiseResult, _audit_case, _save, logger
from .providers import _require_provider_may_answer, _require_provider_owns

# --- Outcomes and follow-ups --------------------------------------------------------------


def _clean_hours(hours_per_week: Decimal | str, field: str = "hours_per_week") -> Decimal:
    if isinstance(hours_per_week, float):
        raise ApplicationError(_("Hours must be given as text or Decimal."), field=field)
    try:
        hours = Decimal(str(hours_per_week))
    except InvalidOperation as exc:
        raise ApplicationError(_("Hours per week must be a number."), field=field) from exc
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS_PER_WEEK:
        raise ApplicationError(_("Hours per week must be between 0 and 168."), field=field)
    if hours != hours.quantize(Decimal("0.01")):
        raise ApplicationError(_("Hours per week can have at most two decimals."), field=field)
    return hours


def _clean_wage(cents: int, field: str = "hourly_wage_cents") -> int:
    if isinstance(cents, bool) or not isinstance(cents, int) or cents <= 0:
        raise ApplicationError(_("The hourly wage must be a positive amount."), field=field)
    return cents


def outcome_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    employer: str,
    start_on: dt.date,
    hours_per_week: Decimal | str,
    hourly_wage_cents: int,
    permanence: str,
    has_benefits: bool,
    job_title: str = "",
    referral: Referral | None = None,
) -> EmploymentOutcome:
    """Staff record a job the client started; schedules the 1/3/6/12-month follow-ups."""
    require_capability(acting_user, Capability.EMPLOYMENT_OUTCOME_RECORD)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if referral is not None and referral.benefit_unit_id != benefit_unit.pk:
        raise ApplicationError(_("That referral belongs to another case."), field="referral")
    return _outcome_create(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        person=person,
        employer=employer,
        start_on=start_on,
        hours_per_week=hours_per_week,
        hourly_wage_cents=hourly_wage_cents,
        permanence=permanence,
        has_benefits=has_benefits,
        job_title=job_title,
        referral=referral,
        channel=Channel.WEB,
    )


def outcome_provider_report(
    *,
    acting_user: User,
    referral: Referral,
    employer: str,
    start_on: dt.date,
    hours_per_week: Decimal | str,
    hourly_wage_cents: int,
    permanence: str,
    has_benefits: bool,
    job_title: str = "",
) -> EmploymentOutcome:
    """The provider reports a job for an active referral sent to it (provider API). Once the
    referral is completed or the case closed, the caseworker records the job (outcome_record)."""
    _require_provider_may_answer(acting_user, referral)
    referral = Referral.objects.get(pk=referral.pk)  # its status now, not as the caller read it
    if referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED):
        raise ApplicationError(
            _("Accept the referral before reporting an outcome."), field="status"
        )
    benefit_unit = BenefitUnit.objects.get(pk=referral.benefit_unit_id)
    return _outcome_create(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        person=Person.objects.get(pk=referral.person_id),
        employer=employer,
        start_on=start_on,
        hours_per_week=hours_per_week,
        hourly_wage_cents=hourly_wage_cents,
        permanence=permanence,
        has_benefits=has_benefits,
        job_title=job_title,
        referral=referral,
        channel=Channel.API,
    )


def follow_up_due_on(start_on: dt.date, months: int) -> dt.date:
    return start_on + relativedelta(months=months)


@transaction.atomic
def _outcome_create(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    employer: str,
    start_on: dt.date,
    hours_per_week: Decimal | str,
    hourly_wage_cents: int,
    permanence: str,
    has_benefits: bool,
    job_title: str,
    referral: Referral | None,
    channel: str,
) -> EmploymentOutcome:
    if not employer.strip():
        raise ApplicationError(_("Give the employer's name."), field="employer")
    hours = _clean_hours(hours_per_week)
    wage = _clean_wage(hourly_wage_cents)
    if permanence not in Permanence.values:
        raise ApplicationError(_("Choose permanent, temporary or seasonal."), field="permanence")
    if start_on > timezone.localdate() + dt.timedelta(days=60):
        raise ApplicationError(_("The start date is too far in the future."), field="start_on")
    if not _was_member(benefit_unit, person):
        raise ApplicationError(_("This person is not a member of the case."), field="person")
    minimum = minimum_wage_on(start_on)
    outcome = EmploymentOutcome(
        benefit_unit=benefit_unit,
        person=person,
        referral=referral,
        employer=employer.strip(),
        job_title=job_title.strip(),
        start_on=start_on,
        hours_per_week=hours,
        hourly_wage_cents=wage,
        permanence=permanence,
        has_benefits=has_benefits,
        minimum_wage_cents=minimum.hourly_cents if minimum else None,
        minimum_wage_source=minimum.source if minimum else "",
        channel=channel,
        recorded_by=acting_user,
    )
    _save(outcome, acting_user)
    for months in FOLLOW_UP_MONTHS:
        follow_up = OutcomeFollowUp(
            outcome=outcome, months_after_start=months, due_on=follow_up_due_on(start_on, months)
        )
        _save(follow_up, acting_user)
    _audit_case(
        acting_user,
        AuditEventType.EMPLOYMENT_OUTCOME_RECORDED,
        outcome,
        benefit_unit,
        person.pk,
        employer=outcome.employer,
        start_on=start_on.isoformat(),
        hours_per_week=str(hours),
        hourly_wage_cents=wage,
        permanence=permanence,
        full_time=outcome.is_full_time,
        has_benefits=has_benefits,
        minimum_wage_cents=outcome.minimum_wage_cents,
        channel=channel,
    )
    _job_tasks_raise(acting_user=acting_user, outcome=outcome, benefit_unit=benefit_unit)
    return outcome


def _task_title(text: str) -> str:
    """A task title fits its column (long names and employers are cut, with an ellipsis)."""
    return Truncator(text).chars(TASK_TITLE_MAX_LENGTH)


def _job_tasks_raise(
    *, acting_user: User, outcome: EmploymentOutcome, benefit_unit: BenefitUnit
) -> list[Task]:
    """A job on an active case changes its income: the case's caseworker gets a task to take the
    earnings in the income report and a task to review eligibility (JOB_*_TASK_KIND).

    Staff record the job themselves; a provider's report is raised on behalf of the case's staff
    (scheduled_task_actor). The tasks are created in the outcome's transaction and audited by
    task_create."""
    if benefit_unit.status != CaseStatus.ACTIVE:
        return []
    actor = scheduled_task_actor(benefit_unit=benefit_unit, preferred=acting_user)
    if actor is None:
        logger.warning("No staff member can take the job tasks of outcome %s", outcome.pk)
        return []
    today = timezone.localdate()
    start_month = outcome.start_on.replace(day=1)
    # The start month's earnings are complete on the first of the next month; they are counted
    # in the payment of the month after that (reporting lag).
    report_due = max(today, start_month + relativedelta(months=1))
    names = {
        "name": outcome.person.full_name,
        "employer": outcome.employer,
        "weekly": display_cents(outcome.weekly_earnings_cents, get_language()),
        "month": f"{start_month:%Y-%m}",
        "counted": f"{start_month + relativedelta(months=1):%Y-%m}",
    }
    income_task = task_create(
        acting_user=actor,
        title=_task_title(
            _(
                "Income report: %(name)s started work at %(employer)s (%(weekly)s a week): "
                "record the earnings of %(month)s and each month after (counted in the "
                "%(counted)s payment)"
            )
            % names
        ),
        due_on=report_due,
        benefit_unit=benefit_unit,
        kind=JOB_INCOME_REPORT_TASK_KIND,
    )
    review_task = task_create(
        acting_user=actor,
        title=_task_title(
            _(
                "Eligibility review: %(name)s started work at %(employer)s (%(weekly)s a week): "
                "check whether the case is still eligible"
            )
            % names
        ),
        due_on=today + dt.timedelta(days=JOB_ELIGIBILITY_REVIEW_DAYS),
        benefit_unit=benefit_unit,
        kind=JOB_ELIGIBILITY_REVIEW_TASK_KIND,
    )
    return [income_task, review_task]


def _was_member(benefit_unit: BenefitUnit, person: Person) -> bool:
    """Current or past member (a job may be reported after the person left the case)."""
    return benefit_unit.members.filter(person=person).exists()


def _follow_up_update(
    *,
    acting_user: User,
    follow_up: OutcomeFollowUp,
    still_employed: bool,
    hours_per_week: Decimal | str | None,
    hourly_wage_cents: int | None,
    notes: str,
    channel: str,
) -> OutcomeFollowUp:
    locked = (
        OutcomeFollowUp.objects.select_for_update().select_related("outcome").get(pk=follow_up.pk)
    )
    if locked.recorded_on is not None:
        raise ApplicationError(_("This follow-up is already recorded."), field="follow_up")
    today = timezone.localdate()
    if locked.due_on > today + dt.timedelta(days=14):
        raise ApplicationError(
            _("This follow-up is not due until %(due)s.") % {"due": locked.due_on.isoformat()},
            field="follow_up",
            code="not_due",
        )
    if still_employed:
        if hours_per_week is None or hourly_wage_cents is None:
            raise ApplicationError(
                _("Give the hours and wage now when the client is still employed."),
                field="hours_per_week",
            )
        locked.hours_per_week = _clean_hours(hours_per_week)
        locked.hourly_wage_cents = _clean_wage(hourly_wage_cents)
    else:
        locked.hours_per_week = None
        locked.hourly_wage_cents = None
    locked.still_employed = still_employed
    locked.recorded_on = today
    locked.recorded_by = acting_user
    locked.notes = notes.strip()
    locked.channel = channel
    _save(
        locked,
        acting_user,
        [
            "still_employed",
            "hours_per_week",
            "hourly_wage_cents",
            "recorded_on",
            "recorded_by",
            "notes",
            "channel",
        ],
    )
    if locked.task_id is not None:
        task = Task.objects.select_for_update().get(pk=locked.task_id)
        if task.status == TaskStatus.OPEN:
            task.status = TaskStatus.DONE
            task.completed_at = timezone.now()
            task._history_user = acting_user  # type: ignore[attr-defined]
            task.save(update_fields=["status", "completed_at", "modified_at"])
    outcome = locked.outcome
    benefit_unit = BenefitUnit.objects.get(pk=outcome.benefit_unit_id)
    _audit_case(
        acting_user,
        AuditEventType.OUTCOME_FOLLOW_UP_RECORDED,
        locked,
        benefit_unit,
        outcome.person_id,
        months=locked.months_after_start,
        still_employed=still_employed,
        hours_per_week=str(locked.hours_per_week) if locked.hours_per_week is not None else None,
        hourly_wage_cents=locked.hourly_wage_cents,
        channel=channel,
    )
    return locked


@transaction.atomic
def follow_up_record(
    *,
    acting_user: User,
    follow_up: OutcomeFollowUp,
    still_employed: bool,
    hours_per_week: Decimal | str | None = None,
    hourly_wage_cents: int | None = None,
    notes: str = "",
) -> OutcomeFollowUp:
    require_capability(acting_user, Capability.EMPLOYMENT_OUTCOME_RECORD)
    require_same_partner(acting_user, follow_up.outcome.benefit_unit.delivery_partner_id)
    return _follow_up_update(
        acting_user=acting_user,
        follow_up=follow_up,
        still_employed=still_employed,
        hours_per_week=hours_per_week,
        hourly_wage_cents=hourly_wage_cents,
        notes=notes,
        channel=Channel.WEB,
    )


@transaction.atomic
def follow_up_provider_report(
    *,
    acting_user: User,
    follow_up: OutcomeFollowUp,
    still_employed: bool,
    hours_per_week: Decimal | str | None = None,
    hourly_wage_cents: int | None = None,
    notes: str = "",
) -> OutcomeFollowUp:
    """The provider that reported the job reports its 1/3/6/12-month follow-up. Allowed after
    the referral is completed or the case closed (the follow-ups outlast both), not after the
    case was transferred to another partner (unless the provider is province-wide:
    referral_of_provider_q); the answer shows only the follow-up, nothing of the client file."""
    referral = follow_up.outcome.referral
    if referral is None:
        raise ApplicationError(
            _("This follow-up was not reported by your organisation."), code="not_found"
        )
    _require_provider_owns(acting_user, referral)
    return _follow_up_update(
        acting_user=acting_user,
        follow_up=follow_up,
        still_employed=still_employed,
        hours_per_week=hours_per_week,
        hourly_wage_cents=hourly_wage_cents,
        notes=notes,
        channel=Channel.API,
    )


def follow_up_tasks_raise(*, as_of: dt.date | None = None) -> RaiseResult:
    """Scheduled job: a task for each follow-up that is due (due_on <= as_of) and has none."""
    as_of = as_of or timezone.localdate()
    result = RaiseResult()
    ids = list(
        OutcomeFollowUp.objects.filter(
            recorded_on__isnull=True, task__isnull=True, due_on__lte=as_of
        ).values_list("pk", flat=True)
    )
    for follow_up_id in ids:
        if _raise_follow_up_task(follow_up_id=follow_up_id):
            result.created += 1
        else:
            result.skipped += 1
    return result


@transaction.atomic
def _raise_follow_up_task(*, follow_up_id: int) -> bool:
    follow_up = (
        OutcomeFollowUp.objects.select_for_update(skip_locked=True)
        .filter(pk=follow_up_id, task__isnull=True, recorded_on__isnull=True)
        .first()
    )
    if follow_up is None:
        return False
    outcome = EmploymentOutcome.objects.select_related("recorded_by", "person").get(
        pk=follow_up.outcome_id
    )
    benefit_unit = BenefitUnit.objects.select_related("caseworker").get(pk=outcome.benefit_unit_id)
    preferred = outcome.recorded_by if outcome.channel == Channel.WEB else None
    actor = scheduled_task_actor(benefit_unit=benefit_unit, preferred=preferred)
    if actor is None:
        logger.warning("No staff member can take follow-up task %s", follow_up.pk)
        return False
    task = task_create(
        acting_user=actor,
        title=_("%(months)d-month job follow-up: %(name)s at %(employer)s")
        % {
            "months": follow_up.months_after_start,
            "name": outcome.person.full_name,
            "employer": outcome.employer,
        },
        due_on=follow_up.due_on,
        benefit_unit=benefit_unit,
        kind=FOLLOW_UP_TASK_KIND,
    )
    follow_up.task = task
    follow_up._history_user = actor  # type: ignore[attr-defined]
    follow_up.save(update_fields=["task", "modified_at"])
    return True
