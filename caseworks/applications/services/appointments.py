"""Booking and cancelling intake appointments."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import own_partner_id

from ..constants import (
    APPOINTMENT_OUTCOMES,
    APPOINTMENT_REMINDER_HOURS,
    AppointmentStatus,
)
from ..models import (
    Appointment,
    Inquiry,
)
from ._common import APPOINTMENT_MINUTES, _require_own

# --- Appointments ---------------------------------------------------------------------------


def _check_time(starts_at: dt.datetime, duration_minutes: int) -> None:
    if duration_minutes not in APPOINTMENT_MINUTES:
        raise ApplicationError(
            _("Choose a listed length of appointment."), field="duration_minutes"
        )
    if timezone.is_naive(starts_at):
        raise ApplicationError(_("The start time needs a time zone."), field="starts_at")
    if starts_at < timezone.now():
        raise ApplicationError(_("An appointment cannot start in the past."), field="starts_at")
    if starts_at > timezone.now() + dt.timedelta(days=2 * 366):
        raise ApplicationError(
            _("An appointment can be booked at most two years ahead."), field="starts_at"
        )


def _check_free(
    caseworker: User, starts_at: dt.datetime, ends_at: dt.datetime, *, ignore: int | None = None
) -> None:
    """Refuse a double booking. The caseworker's row is locked while the calendar is checked,
    so two clerks booking the same slot at once get one booking and one clear refusal."""
    User.objects.select_for_update().get(pk=caseworker.pk)
    overlapping = Appointment.objects.filter(
        caseworker=caseworker,
        status=AppointmentStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore)
    clash = overlapping.first()
    if clash is not None:
        local = timezone.localtime(clash.starts_at)
        raise ApplicationError(
            _("%(worker)s already has an appointment at %(time)s.")
            % {
                "worker": caseworker.get_full_name() or caseworker.username,
                "time": f"{local:%H:%M}",
            },
            field="starts_at",
            code="double_booking",
        )


@transaction.atomic
def appointment_book(
    *,
    acting_user: User,
    caseworker: User,
    starts_at: dt.datetime,
    duration_minutes: int = 60,
    person: Person | None = None,
    inquiry: Inquiry | None = None,
    purpose: str = "",
) -> Appointment:
    """Book an intake appointment in a caseworker's calendar. Never double-books: the
    caseworker's row is locked while the calendar is checked, so two clerks booking the same
    slot at once get one booking and one clear refusal."""
    require_capability(acting_user, Capability.APPOINTMENT_BOOK)
    partner_id = own_partner_id(acting_user)
    if caseworker.delivery_partner_id != partner_id or caseworker.role not in (
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.EMPLOYMENT_CASEWORKER,
    ):
        raise ApplicationError(_("Choose a caseworker of your office."), field="caseworker")
    _check_time(starts_at, duration_minutes)
    if person is not None:
        _require_own(acting_user, person.delivery_partner_id)
    if inquiry is not None:
        _require_own(acting_user, inquiry.delivery_partner_id)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    _check_free(caseworker, starts_at, ends_at)
    appointment = Appointment(
        delivery_partner_id=partner_id,
        office=caseworker.office,
        caseworker=caseworker,
        person=person,
        inquiry=inquiry,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose.strip() or _("Intake interview"),
        booked_by=acting_user,
    )
    appointment._history_user = acting_user  # type: ignore[attr-defined]
    appointment.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_BOOKED,
        subject=appointment,
        delivery_partner_id=partner_id,
        person_id=person.pk if person else None,
        extra_data={"caseworker": caseworker.pk, "starts_at": starts_at.isoformat()},
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, acting_user: User, appointment: Appointment, reason: str) -> Appointment:
    require_capability(acting_user, Capability.APPOINTMENT_BOOK)
    _require_own(acting_user, appointment.delivery_partner_id)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for cancelling."), field="reason")
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise ApplicationError(_("Only a booked appointment can be cancelled."), field="status")
    locked.status = AppointmentStatus.CANCELLED
    locked.cancel_reason = reason.strip()[:500]
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "cancel_reason", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_CANCELLED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={"reason": reason.strip()},
    )
    return locked


def _lock_booked(acting_user: User, appointment: Appointment, field: str) -> Appointment:
    _require_own(acting_user, appointment.delivery_partner_id)
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise ApplicationError(
            _("This appointment is %(status)s: only a booked appointment can be changed.")
            % {"status": AppointmentStatus(locked.status).label.lower()},
            field=field,
            code="not_booked",
        )
    return locked


@transaction.atomic
def appointment_reschedule(
    *,
    acting_user: User,
    appointment: Appointment,
    starts_at: dt.datetime,
    duration_minutes: int,
) -> Appointment:
    """Move a booked appointment to another time with the same caseworker (never a double
    booking). The client is reminded again before the new time."""
    require_capability(acting_user, Capability.APPOINTMENT_BOOK)
    locked = _lock_booked(acting_user, appointment, "starts_at")
    _check_time(starts_at, duration_minutes)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    _check_free(locked.caseworker, starts_at, ends_at, ignore=locked.pk)
    old = {"starts_at": locked.starts_at.isoformat(), "ends_at": locked.ends_at.isoformat()}
    locked.starts_at = starts_at
    locked.ends_at = ends_at
    locked.reminder_sent_at = None
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["starts_at", "ends_at", "reminder_sent_at", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_RESCHEDULED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={
            "old": old,
            "new": {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
        },
    )
    return locked


@transaction.atomic
def appointment_outcome_record(
    *, acting_user: User, appointment: Appointment, outcome: str
) -> Appointment:
    """Record that the client came (attended) or did not (no-show), once the time has come."""
    require_capability(acting_user, Capability.APPOINTMENT_BOOK)
    if outcome not in APPOINTMENT_OUTCOMES:
        raise ApplicationError(
            _("Choose whether the client attended or did not attend."),
            field="outcome",
            code="invalid_outcome",
        )
    locked = _lock_booked(acting_user, appointment, "outcome")
    if locked.starts_at > timezone.now():
        raise ApplicationError(
            _("The appointment has not started yet: record attendance once its time has come."),
            field="outcome",
            code="not_started",
        )
    locked.status = outcome
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_OUTCOME_RECORDED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={"old": AppointmentStatus.BOOKED, "new": outcome},
    )
    return locked


def appointment_reminders_due(now: dt.datetime) -> list[Appointment]:
    """Booked appointments starting within the reminder window whose client has an e-mail
    address and was not yet reminded."""
    return list(
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=APPOINTMENT_REMINDER_HOURS),
            person__isnull=False,
        )
        .exclude(person__email="")
        .select_related("person", "caseworker", "office")
        .order_by("starts_at", "id")
    )


@transaction.atomic
def appointment_reminders_send(*, acting_user: User | None = None) -> int:
    """Remind each client by e-mail, in their language, of an appointment in the next 24 hours
    (the scheduled job; idempotent: an appointment is reminded once per booked time)."""
    now = timezone.now()
    sent = 0
    for due in appointment_reminders_due(now):
        locked = Appointment.objects.select_for_update().get(pk=due.pk)
        if locked.reminder_sent_at is not None or locked.status != AppointmentStatus.BOOKED:
            continue
        person = due.person
        assert person is not None  # filtered above
        local = timezone.localtime(locked.starts_at)
        with translation.override(person.language_preference or "en"):
            subject = _("Reminder: your Ontario Works appointment")
            body = render_to_string(
                "applications/appointment_reminder_email.txt",
                {
                    "person": person,
                    "day": local.date(),
                    "time": f"{local:%H:%M}",
                    "office": due.office,
                    "caseworker": due.caseworker,
                },
            )
        locked.reminder_sent_at = now
        locked._history_user = acting_user  # type: ignore[attr-defined]
        locked.save(update_fields=["reminder_sent_at", "modified_at"])
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.APPOINTMENT_REMINDER_SENT,
            subject=locked,
            delivery_partner_id=locked.delivery_partner_id,
            person_id=person.pk,
            extra_data={"starts_at": locked.starts_at.isoformat()},
        )
        recipient = person.email

        def _send(subject: str = subject, body: str = body, to: str = recipient) -> None:
            send_mail(subject, body, None, [to], fail_silently=True)

        transaction.on_commit(_send)
        sent += 1
    return sent
