"""Writes for providers, referrals, employment services, outcomes, follow-ups and exits."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.caseload.scheduling import scheduled_task_actor
from caseworks.cases.constants import OPEN_STATUSES, CaseStatus, TaskStatus
from caseworks.cases.models import BenefitUnit, Task
from caseworks.cases.services import case_status_change, task_create
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError

from .constants import (
    DEFAULT_RESPONSE_DAYS,
    FOLLOW_UP_MONTHS,
    FOLLOW_UP_TASK_KIND,
    REFERRAL_RESPONSE_TASK_KIND,
    REFERRAL_TRANSITIONS,
    ActivityKind,
    ActivityState,
    AttendanceStatus,
    Channel,
    ExitReason,
    Permanence,
    ProgramKind,
    ProviderKind,
    ReferralStatus,
    SharedInformation,
)
from .minimum_wage import minimum_wage_on
from .models import (
    AssistanceExit,
    EmploymentActivity,
    EmploymentOutcome,
    EmploymentProgram,
    OutcomeFollowUp,
    ProgramSession,
    ProviderAccount,
    Referral,
    ReferralStatusChange,
    ServiceProvider,
    SessionAttendance,
    referral_active_q,
    referral_of_provider_q,
)

logger = logging.getLogger(__name__)

IES_CSV = Path(__file__).resolve().parent / "data" / "ies_catchments.csv"
IES_SOURCE = (
    "Integrated Employment Services catchments and Service System Managers "
    "(caseworks/employment/data/ies_catchments.csv; see data/SOURCE.md)"
)
MAX_RESPONSE_DAYS = 90
MAX_HOURS_PER_WEEK = Decimal(168)


def _check_partner(acting_user: Any, benefit_unit: BenefitUnit) -> None:
    if acting_user.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))


def _save(obj: Any, acting_user: Any, fields: list[str] | None = None) -> None:
    obj._history_user = acting_user if getattr(acting_user, "pk", None) else None
    obj.full_clean()
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "modified_at"])


def _require_current_member(benefit_unit: BenefitUnit, person: Person) -> None:
    if not benefit_unit.members.filter(person=person, end_on__isnull=True).exists():
        raise ApplicationError(
            _("This person is not a current member of the case."), field="person"
        )


def _audit_case(
    acting_user: Any,
    event: AuditEventType,
    obj: Any,
    benefit_unit: BenefitUnit,
    person_id: int | None,
    **extra: Any,
) -> None:
    audit_record(
        acting_user=acting_user,
        event_type=event,
        subject=obj,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person_id=person_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data=extra,
    )


# --- Provider directory -------------------------------------------------------------------


@transaction.atomic
def service_provider_create(
    *,
    acting_user: Any,
    name: str,
    kind: str,
    services: str = "",
    catchment: str = "",
    contact_name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> ServiceProvider:
    """Add a provider to the acting user's partner directory."""
    require_capability(acting_user, Capability.PROVIDER_DIRECTORY_MANAGE)
    if not name.strip():
        raise ApplicationError(_("Give the provider's name."), field="name")
    if kind not in ProviderKind.values:
        raise ApplicationError(_("Choose the kind of provider."), field="kind")
    if ServiceProvider.objects.filter(
        kind=kind, catchment=catchment.strip(), name=name.strip()
    ).exists():
        raise ApplicationError(_("This provider is already in the directory."), field="name")
    provider = ServiceProvider(
        delivery_partner_id=acting_user.delivery_partner_id,
        name=name.strip(),
        kind=kind,
        services=services.strip(),
        catchment=catchment.strip(),
        contact_name=contact_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        source=_("Entered by staff"),
    )
    _save(provider, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.SERVICE_PROVIDER_CREATED,
        subject=provider,
        delivery_partner_id=acting_user.delivery_partner_id,
        extra_data={"name": provider.name, "kind": kind},
    )
    return provider


@transaction.atomic
def ies_providers_load(*, path: Path = IES_CSV) -> int:
    """Load the IES Service System Managers as province-wide providers (idempotent)."""
    created = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            launch = row["launch"].strip()
            services = _("Integrated Employment Services (Employment Ontario) for the catchment")
            if launch:
                services += " — " + _("launched %(month)s") % {"month": launch}
            _provider, was_created = ServiceProvider.objects.get_or_create(
                kind=ProviderKind.IES_SERVICE_SYSTEM_MANAGER,
                catchment=row["catchment"].strip(),
                name=row["service_system_manager"].strip(),
                defaults={"services": services, "source": IES_SOURCE, "delivery_partner": None},
            )
            created += int(was_created)
    return created


@transaction.atomic
def provider_account_create(
    *, acting_user: Any, provider: ServiceProvider, user: Any
) -> ProviderAccount:
    """Give an existing provider-role login access to `provider`'s referrals only."""
    require_capability(acting_user, Capability.STAFF_MANAGE)
    if user.role != Role.PROVIDER:
        raise ApplicationError(
            _("Only a provider login can be linked to a provider."), field="user"
        )
    if user.delivery_partner_id != acting_user.delivery_partner_id:
        raise ApplicationError(_("The login belongs to another delivery partner."), field="user")
    if provider.delivery_partner_id not in (None, acting_user.delivery_partner_id):
        raise ApplicationError(
            _("This provider is in another partner's directory."), field="provider"
        )
    if ProviderAccount.objects.filter(user=user).exists():
        raise ApplicationError(_("This login is already linked to a provider."), field="user")
    account = ProviderAccount(user=user, provider=provider, created_by=acting_user)
    _save(account, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PROVIDER_ACCOUNT_CREATED,
        subject=account,
        delivery_partner_id=acting_user.delivery_partner_id,
        extra_data={"user": user.pk, "provider": provider.pk},
    )
    return account


# --- Referrals ----------------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    person: Person,
    provider: ServiceProvider,
    purpose: str,
    consent_given: bool,
    information_shared: list[str],
    expected_response_days: int = DEFAULT_RESPONSE_DAYS,
    sent_on: dt.date | None = None,
) -> Referral:
    """Refer a member of an open case to a provider, with their recorded consent."""
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    _check_partner(acting_user, benefit_unit)
    if benefit_unit.status not in OPEN_STATUSES:
        raise ApplicationError(_("Referrals can only be made on an open case."), field="status")
    _require_current_member(benefit_unit, person)
    if not consent_given:
        raise ApplicationError(
            _("The client must consent before their information is shared."),
            field="consent_given",
            code="consent_required",
        )
    if not provider.is_active or provider.delivery_partner_id not in (
        None,
        benefit_unit.delivery_partner_id,
    ):
        raise ApplicationError(_("Choose a provider from your directory."), field="provider")
    unknown = [item for item in information_shared if item not in SharedInformation.values]
    if unknown or not information_shared:
        raise ApplicationError(
            _("Choose what information is shared with the provider."), field="information_shared"
        )
    if not purpose.strip():
        raise ApplicationError(_("Give the reason for the referral."), field="purpose")
    if not 1 <= expected_response_days <= MAX_RESPONSE_DAYS:
        raise ApplicationError(
            _("The expected response time must be between 1 and %(max)d days.")
            % {"max": MAX_RESPONSE_DAYS},
            field="expected_response_days",
        )
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        raise ApplicationError(_("The referral cannot be sent in the future."), field="sent_on")
    shared = sorted(set(information_shared))
    referral = Referral(
        benefit_unit=benefit_unit,
        person=person,
        provider=provider,
        purpose=purpose.strip(),
        consent_given=True,
        consent_recorded_on=today,
        information_shared=shared,
        **referral_shared_snapshot(person=person, information_shared=shared),
        status=ReferralStatus.SENT,
        sent_on=sent_on,
        expected_response_days=expected_response_days,
        response_due_on=sent_on + dt.timedelta(days=expected_response_days),
        referred_by=acting_user,
    )
    _save(referral, acting_user)
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status="",
        to_status=ReferralStatus.SENT,
        channel=Channel.WEB,
        changed_by=acting_user,
        changed_at=timezone.now(),
    )
    _audit_case(
        acting_user,
        AuditEventType.REFERRAL_SENT,
        referral,
        benefit_unit,
        person.pk,
        provider=provider.pk,
        information_shared=referral.information_shared,
        response_due_on=referral.response_due_on.isoformat(),
    )
    return referral


def referral_shared_snapshot(*, person: Person, information_shared: list[str]) -> dict[str, str]:
    """The copy of the client's details the provider will see, made when the referral is sent:
    the name, and only what the client consented to share (phone and e-mail with "contact",
    the language of service with "language"). Anything not consented stays blank."""
    shared = set(information_shared)
    contact = SharedInformation.CONTACT in shared
    return {
        "shared_first_name": person.first_name,
        "shared_last_name": person.last_name,
        "shared_phone": person.phone if contact else "",
        "shared_email": person.email if contact else "",
        "shared_language": person.language_preference
        if SharedInformation.LANGUAGE in shared
        else "",
    }


def referral_transition_error(referral: Referral, to_status: str) -> str | None:
    if to_status not in ReferralStatus.values:
        return _("Unknown referral status “%(status)s”.") % {"status": to_status}
    allowed = REFERRAL_TRANSITIONS[referral.status]
    if to_status not in allowed:
        return _("A referral that is “%(from)s” cannot become “%(to)s”. Allowed: %(allowed)s.") % {
            "from": ReferralStatus(referral.status).label,
            "to": ReferralStatus(to_status).label,
            "allowed": ", ".join(str(ReferralStatus(s).label) for s in sorted(allowed))
            or _("none (this status is final)"),
        }
    return None


def _referral_change_status(
    *, acting_user: Any, referral: Referral, to_status: str, note: str, channel: str
) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    error = referral_transition_error(locked, to_status)
    if error:
        raise ApplicationError(error, field="status", code="invalid_transition")
    if to_status == ReferralStatus.DECLINED and not note.strip():
        raise ApplicationError(_("Give the reason the referral was declined."), field="note")
    from_status = locked.status
    locked.status = to_status
    locked.status_note = note.strip()
    fields = ["status", "status_note"]
    now = timezone.now()
    if locked.responded_at is None:
        locked.responded_at = now
        fields.append("responded_at")
    _save(locked, acting_user, fields)
    ReferralStatusChange.objects.create(
        referral=locked,
        from_status=from_status,
        to_status=to_status,
        note=note.strip(),
        channel=channel,
        changed_by=acting_user,
        changed_at=now,
    )
    # The provider answered: a pending "no response" task is no longer needed.
    if locked.no_response_task_id is not None and from_status == ReferralStatus.SENT:
        task = Task.objects.select_for_update().get(pk=locked.no_response_task_id)
        if task.status == TaskStatus.OPEN:
            task.status = TaskStatus.DONE
            task.completed_at = now
            task._history_user = acting_user  # type: ignore[attr-defined]
            task.save(update_fields=["status", "completed_at", "modified_at"])
    benefit_unit = BenefitUnit.objects.get(pk=locked.benefit_unit_id)
    _audit_case(
        acting_user,
        AuditEventType.REFERRAL_STATUS_CHANGED,
        locked,
        benefit_unit,
        locked.person_id,
        old=from_status,
        new=to_status,
        channel=channel,
        note=note.strip(),
    )
    return locked


@transaction.atomic
def referral_status_change(
    *, acting_user: Any, referral: Referral, to_status: str, note: str = ""
) -> Referral:
    """Staff record the provider's answer or the client's progress."""
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    _check_partner(acting_user, referral.benefit_unit)
    return _referral_change_status(
        acting_user=acting_user, referral=referral, to_status=to_status, note=note, channel="web"
    )


def provider_for_user(user: Any) -> ServiceProvider | None:
    """The provider a provider-role login acts for, or None."""
    if not user.is_authenticated or not user.has_capability(Capability.PROVIDER_REFERRAL_RESPOND):
        return None
    account = (
        ProviderAccount.objects.select_related("provider")
        .filter(user=user, is_active=True, provider__is_active=True)
        .first()
    )
    return account.provider if account else None


def _require_provider_owns(acting_user: Any, referral: Referral) -> None:
    """The referral is the provider's own (referral_of_provider_q): sent to it, on a case its
    partner still serves (not after a transfer to another partner), as the row is now."""
    require_capability(acting_user, Capability.PROVIDER_REFERRAL_RESPOND)
    provider = provider_for_user(acting_user)
    if (
        provider is None
        or not Referral.objects.filter(referral_of_provider_q(provider), pk=referral.pk).exists()
    ):
        raise ApplicationError(
            _("This referral was not sent to your organisation."), code="not_found"
        )


def _require_provider_may_answer(acting_user: Any, referral: Referral) -> None:
    """The provider owns the referral and it is still active (referral_active_q): a declined or
    completed referral, or one on a closed case, takes no more answers (its row as it is now,
    not as the caller read it)."""
    _require_provider_owns(acting_user, referral)
    if not Referral.objects.filter(referral_active_q(), pk=referral.pk).exists():
        raise ApplicationError(
            _("This referral is no longer active: your organisation cannot answer it."),
            code="not_found",
        )


@transaction.atomic
def referral_provider_respond(
    *, acting_user: Any, referral: Referral, to_status: str, note: str = ""
) -> Referral:
    """The receiving provider accepts, declines or reports progress (provider API), while the
    referral is active."""
    _require_provider_may_answer(acting_user, referral)
    return _referral_change_status(
        acting_user=acting_user, referral=referral, to_status=to_status, note=note, channel="api"
    )


@dataclass
class RaiseResult:
    created: int = 0
    skipped: int = 0


def referral_overdue_tasks_raise(*, as_of: dt.date | None = None) -> RaiseResult:
    """Scheduled job: a task for every referral still unanswered after its expected time.

    Idempotent: a referral holds at most one such task (Referral.no_response_task).
    """
    as_of = as_of or timezone.localdate()
    result = RaiseResult()
    ids = list(
        Referral.objects.filter(
            status=ReferralStatus.SENT,
            response_due_on__lt=as_of,
            no_response_task__isnull=True,
            benefit_unit__status__in=list(OPEN_STATUSES),
        ).values_list("pk", flat=True)
    )
    for referral_id in ids:
        if _raise_referral_task(referral_id=referral_id):
            result.created += 1
        else:
            result.skipped += 1
    return result


@transaction.atomic
def _raise_referral_task(*, referral_id: int) -> bool:
    referral = (
        Referral.objects.select_for_update(skip_locked=True)
        .filter(pk=referral_id, no_response_task__isnull=True, status=ReferralStatus.SENT)
        .first()
    )
    if referral is None:
        return False
    benefit_unit = BenefitUnit.objects.select_related("caseworker").get(pk=referral.benefit_unit_id)
    provider = ServiceProvider.objects.get(pk=referral.provider_id)
    referred_by = referral.referred_by
    actor = scheduled_task_actor(benefit_unit=benefit_unit, preferred=referred_by)
    if actor is None:
        logger.warning("No staff member can take the no-response task for referral %s", referral.pk)
        return False
    task = task_create(
        acting_user=actor,
        title=_("No response to referral to %(provider)s (expected by %(due)s)")
        % {"provider": provider.name, "due": referral.response_due_on.isoformat()},
        due_on=timezone.localdate(),
        benefit_unit=benefit_unit,
        kind=REFERRAL_RESPONSE_TASK_KIND,
    )
    referral.no_response_task = task
    referral._history_user = actor  # type: ignore[attr-defined]
    referral.save(update_fields=["no_response_task", "modified_at"])
    return True


# --- Employment services ------------------------------------------------------------------


@transaction.atomic
def employment_program_create(
    *,
    acting_user: Any,
    name: str,
    kind: str,
    description: str = "",
    provider: ServiceProvider | None = None,
) -> EmploymentProgram:
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    if not name.strip():
        raise ApplicationError(_("Give the program's name."), field="name")
    if kind not in ProgramKind.values:
        raise ApplicationError(_("Choose the kind of program."), field="kind")
    program = EmploymentProgram(
        delivery_partner_id=acting_user.delivery_partner_id,
        provider=provider,
        name=name.strip(),
        kind=kind,
        description=description.strip(),
    )
    _save(program, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PROGRAM_SESSION_CREATED,
        subject=program,
        delivery_partner_id=acting_user.delivery_partner_id,
        extra_data={"name": program.name, "kind": kind},
    )
    return program


@transaction.atomic
def program_session_create(
    *,
    acting_user: Any,
    program: EmploymentProgram,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    location: str = "",
) -> ProgramSession:
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    if program.delivery_partner_id != acting_user.delivery_partner_id:
        raise ApplicationError(_("This program belongs to another delivery partner."))
    if ends_at <= starts_at:
        raise ApplicationError(_("The session must end after it starts."), field="ends_at")
    if capacity < 1:
        raise ApplicationError(_("Capacity must be at least 1."), field="capacity")
    session = ProgramSession(
        program=program,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        location=location.strip(),
    )
    _save(session, acting_user)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PROGRAM_SESSION_CREATED,
        subject=session,
        delivery_partner_id=program.delivery_partner_id,
        extra_data={"starts_at": starts_at.isoformat(), "capacity": capacity},
    )
    return session


@transaction.atomic
def session_attendance_record(
    *,
    acting_user: Any,
    session: ProgramSession,
    benefit_unit: BenefitUnit,
    person: Person,
    status: str = AttendanceStatus.REGISTERED,
) -> SessionAttendance:
    """Register a client for a session (within capacity) or record whether they attended."""
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    _check_partner(acting_user, benefit_unit)
    if status not in AttendanceStatus.values:
        raise ApplicationError(_("Choose an attendance status."), field="status")
    _require_current_member(benefit_unit, person)
    locked = ProgramSession.objects.select_for_update().select_related("program").get(pk=session.pk)
    if locked.program.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("This session belongs to another delivery partner."))
    existing = SessionAttendance.objects.filter(session=locked, person=person).first()
    taking_seat = status in (AttendanceStatus.REGISTERED, AttendanceStatus.ATTENDED)
    had_seat = existing is not None and existing.status in (
        AttendanceStatus.REGISTERED,
        AttendanceStatus.ATTENDED,
    )
    if taking_seat and not had_seat:
        seats_taken = locked.attendees.filter(
            status__in=[AttendanceStatus.REGISTERED, AttendanceStatus.ATTENDED]
        ).count()
        if seats_taken >= locked.capacity:
            raise ApplicationError(
                _("This session is full (%(n)d places).") % {"n": locked.capacity},
                field="session",
                code="session_full",
            )
    attendance = existing or SessionAttendance(
        session=locked, benefit_unit=benefit_unit, person=person
    )
    old = existing.status if existing else ""
    attendance.status = status
    _save(attendance, acting_user)
    _audit_case(
        acting_user,
        AuditEventType.SESSION_ATTENDANCE_RECORDED,
        attendance,
        benefit_unit,
        person.pk,
        session=locked.pk,
        old=old,
        new=status,
    )
    return attendance


@transaction.atomic
def session_attendances_withdraw_with_case(
    *, acting_user: Any, transfer: Any, benefit_unit: BenefitUnit
) -> dict[str, int]:
    """A transferred case's registrations for sessions of the sending partner's programs that
    have not started yet are withdrawn (cancelled) by the transfer (called by `case_transfer`
    through `case_transferred`, inside its transaction, the case already moved).

    A client who moved from Toronto to Hamilton no longer attends Toronto's workshops: the seat
    goes back to the sender's session, and the receiving team registers the client for its own
    sessions. The rows stay on the case (a `session_attendance_recorded` event each, with the
    transfer), so the receiver sees them, withdrawn, with the past attendance (attended, absent)
    kept as history, on the case's employment page. Neither partner edits them afterwards: the
    session is the sender's, the case is the receiver's.
    """
    attendances = (
        SessionAttendance.objects.select_for_update()
        .filter(
            benefit_unit=benefit_unit,
            status=AttendanceStatus.REGISTERED,
            session__program__delivery_partner_id=transfer.from_partner_id,
            session__starts_at__gt=timezone.now(),
        )
        .order_by("id")
    )
    withdrawn = 0
    for attendance in attendances:
        attendance.status = AttendanceStatus.CANCELLED
        _save(attendance, acting_user, ["status"])
        _audit_case(
            acting_user,
            AuditEventType.SESSION_ATTENDANCE_RECORDED,
            attendance,
            benefit_unit,
            attendance.person_id,
            session=attendance.session_id,
            old=AttendanceStatus.REGISTERED,
            new=AttendanceStatus.CANCELLED,
            reason=_("The case was transferred to another delivery partner."),
            transfer=transfer.pk,
        )
        withdrawn += 1
    return {"session_attendances_withdrawn": withdrawn} if withdrawn else {}


@transaction.atomic
def employment_activity_record(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    person: Person,
    kind: str,
    description: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    organisation: str = "",
    provider: ServiceProvider | None = None,
    state: str = ActivityState.PLANNED,
) -> EmploymentActivity:
    """Job search, training enrolment, job placement or job retention support."""
    require_capability(acting_user, Capability.EMPLOYMENT_OUTCOME_RECORD)
    _check_partner(acting_user, benefit_unit)
    _require_current_member(benefit_unit, person)
    if kind not in ActivityKind.values:
        raise ApplicationError(_("Choose the kind of activity."), field="kind")
    if state not in ActivityState.values:
        raise ApplicationError(_("Choose the status."), field="state")
    if not description.strip():
        raise ApplicationError(_("Describe the activity."), field="description")
    if end_on is not None and end_on < start_on:
        raise ApplicationError(_("The end date is before the start date."), field="end_on")
    activity = EmploymentActivity(
        benefit_unit=benefit_unit,
        person=person,
        kind=kind,
        description=description.strip(),
        organisation=organisation.strip(),
        provider=provider,
        start_on=start_on,
        end_on=end_on,
        state=state,
        recorded_by=acting_user,
    )
    _save(activity, acting_user)
    _audit_case(
        acting_user,
        AuditEventType.EMPLOYMENT_ACTIVITY_RECORDED,
        activity,
        benefit_unit,
        person.pk,
        kind=kind,
        start_on=start_on.isoformat(),
    )
    return activity


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
    acting_user: Any,
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
    _check_partner(acting_user, benefit_unit)
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
    acting_user: Any,
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
    acting_user: Any,
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
    return outcome


def _was_member(benefit_unit: BenefitUnit, person: Person) -> bool:
    """Current or past member (a job may be reported after the person left the case)."""
    return benefit_unit.members.filter(person=person).exists()


def _follow_up_update(
    *,
    acting_user: Any,
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
    acting_user: Any,
    follow_up: OutcomeFollowUp,
    still_employed: bool,
    hours_per_week: Decimal | str | None = None,
    hourly_wage_cents: int | None = None,
    notes: str = "",
) -> OutcomeFollowUp:
    require_capability(acting_user, Capability.EMPLOYMENT_OUTCOME_RECORD)
    _check_partner(acting_user, follow_up.outcome.benefit_unit)
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
    acting_user: Any,
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


# --- Exits --------------------------------------------------------------------------------


@transaction.atomic
def assistance_exit_record(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    reason: str,
    exit_on: dt.date,
    details: str = "",
    outcome: EmploymentOutcome | None = None,
    expected_version: int | None = None,
) -> AssistanceExit:
    """The case leaves assistance: record why, and close it through case_status_change."""
    require_capability(acting_user, Capability.CASE_STATUS_CHANGE)
    _check_partner(acting_user, benefit_unit)
    if reason not in ExitReason.values:
        raise ApplicationError(_("Choose the reason for leaving assistance."), field="reason")
    if reason == ExitReason.OTHER and not details.strip():
        raise ApplicationError(_("Describe the reason for leaving."), field="details")
    if outcome is not None and outcome.benefit_unit_id != benefit_unit.pk:
        raise ApplicationError(_("That job belongs to another case."), field="outcome")
    if benefit_unit.status not in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        raise ApplicationError(
            _("Only an active or suspended case can leave assistance."), field="status"
        )
    label = str(ExitReason(reason).label)
    closed = case_status_change(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        to_status=CaseStatus.CLOSED,
        reason=_("Exit from assistance: %(reason)s. %(details)s")
        % {"reason": label, "details": details.strip()},
        effective_on=exit_on,
        expected_version=expected_version,
    )
    exit_record = AssistanceExit(
        benefit_unit=closed,
        reason=reason,
        exit_on=exit_on,
        outcome=outcome,
        details=details.strip(),
        recorded_by=acting_user,
    )
    _save(exit_record, acting_user)
    _audit_case(
        acting_user,
        AuditEventType.ASSISTANCE_EXIT_RECORDED,
        exit_record,
        closed,
        None,
        reason=reason,
        exit_on=exit_on.isoformat(),
        outcome=outcome.pk if outcome else None,
    )
    return exit_record
