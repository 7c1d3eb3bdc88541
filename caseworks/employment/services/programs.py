"""Writes for employment programs, sessions, attendance and activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import own_partner_id, require_same_partner

from ..constants import (
    ActivityKind,
    ActivityState,
    AttendanceStatus,
    ProgramKind,
)
from ..models import (
    EmploymentActivity,
    EmploymentProgram,
    ProgramSession,
    ServiceProvider,
    SessionAttendance,
)
from ._common import _audit_case, _require_current_member, _save

# --- Employment services ------------------------------------------------------------------


@transaction.atomic
def employment_program_create(
    *,
    acting_user: User,
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
        delivery_partner_id=own_partner_id(acting_user),
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
        delivery_partner_id=own_partner_id(acting_user),
        extra_data={"name": program.name, "kind": kind},
    )
    return program


@transaction.atomic
def program_session_create(
    *,
    acting_user: User,
    program: EmploymentProgram,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    location: str = "",
) -> ProgramSession:
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    require_same_partner(
        acting_user,
        program.delivery_partner_id,
        message=_("This program belongs to another delivery partner."),
    )
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
    acting_user: User,
    session: ProgramSession,
    benefit_unit: BenefitUnit,
    person: Person,
    status: str = AttendanceStatus.REGISTERED,
) -> SessionAttendance:
    """Register a client for a session (within capacity) or record whether they attended."""
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
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
    *, acting_user: User, transfer: Any, benefit_unit: BenefitUnit
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
    acting_user: User,
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
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
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
