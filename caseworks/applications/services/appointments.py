"""Booking and cancelling intake appointments."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
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
    AppointmentStatus,
)
from ..models import (
    Appointment,
    Inquiry,
)
from ._common import APPOINTMENT_MINUTES, _require_own

# --- Appointments ---------------------------------------------------------------------------


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
    if person is not None:
        _require_own(acting_user, person.delivery_partner_id)
    if inquiry is not None:
        _require_own(acting_user, inquiry.delivery_partner_id)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    User.objects.select_for_update().get(pk=caseworker.pk)
    clash = Appointment.objects.filter(
        caseworker=caseworker,
        status=AppointmentStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).first()
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
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_CANCELLED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={"reason": reason.strip()},
    )
    return locked
