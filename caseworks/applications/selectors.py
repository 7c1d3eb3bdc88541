"""Reads of inquiries, appointments and applications, scoped to the user's delivery partner.

Views and the API load these records only through the *_for_user functions here: another
partner's record is Http404, a role without the capability is PermissionDeniedError (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseworks.accounts.constants import ROLE_CAPABILITIES, Capability, Role
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability

from .constants import AppointmentStatus, InquiryStatus
from .models import Application, Appointment, Inquiry, VerificationItem

BOOKABLE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)
# The office day the booking page offers, in 30-minute steps (local time).
DAY_START = dt.time(8, 30)
DAY_END = dt.time(16, 30)
SLOT_MINUTES = 30


def inquiry_get_for_user(*, user: Any, inquiry_id: int) -> Inquiry:
    require_capability(user, Capability.INQUIRY_RECORD)
    scope = partner_scope(user)
    queryset = Inquiry.objects.select_related("recorded_by", "person")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get(pk=inquiry_id)
    except Inquiry.DoesNotExist as exc:
        raise Http404 from exc


INQUIRY_QUEUE_LIMIT = 200


def inquiry_list_for_user(
    *, user: Any, status: str = "", assigned_to_id: int | None = None
) -> list[Inquiry]:
    """The partner's intake queue, urgent first, then newest first: by status (empty: every
    open inquiry, new or assigned; "all": closed ones too) and, optionally, those assigned to
    one person."""
    require_capability(user, Capability.INQUIRY_RECORD)
    scope = partner_scope(user)
    queryset = Inquiry.objects.select_related("assigned_to", "person")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    if status in InquiryStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.exclude(status=InquiryStatus.CLOSED)
    if assigned_to_id is not None:
        queryset = queryset.filter(assigned_to_id=assigned_to_id)
    # Urgent online applications (no food, eviction, …) first, then the newest.
    return list(queryset.order_by("-urgent", "-created_at", "-id")[:INQUIRY_QUEUE_LIMIT])


def inquiry_assignees_for_user(*, user: Any) -> list[User]:
    """The staff of the user's partner who may take an inquiry (they screen callers)."""
    require_capability(user, Capability.INQUIRY_RECORD)
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.INQUIRY_RECORD in caps]
    queryset = User.objects.filter(
        role__in=roles, is_active=True, delivery_partner_id=user.delivery_partner_id
    )
    return list(queryset.order_by("last_name", "first_name", "id"))


def inquiry_latest_for_person(*, person_id: int) -> Inquiry | None:
    """The person's latest pre-screen (the person was already permission-checked)."""
    return Inquiry.objects.filter(person_id=person_id).order_by("-created_at", "-id").first()


def appointment_get_for_user(*, user: Any, appointment_id: int) -> Appointment:
    """One appointment of the user's partner, or Http404."""
    require_capability(user, Capability.APPOINTMENT_BOOK)
    scope = partner_scope(user)
    queryset = Appointment.objects.select_related("caseworker", "person", "inquiry", "office")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get(pk=appointment_id)
    except Appointment.DoesNotExist as exc:
        raise Http404 from exc


def caseworkers_for_user(*, user: Any) -> list[User]:
    """The staff of the user's delivery partner who take intake appointments."""
    require_capability(user, Capability.APPOINTMENT_BOOK)
    scope = partner_scope(user)
    queryset = User.objects.filter(role__in=BOOKABLE_ROLES, is_active=True)
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    return list(queryset.order_by("last_name", "first_name", "id"))


def appointment_list_for_user(
    *, user: Any, start: dt.date, days: int = 1, caseworker_id: int | None = None
) -> list[Appointment]:
    """Booked appointments from `start` for `days` days (local dates), in the user's partner."""
    require_capability(user, Capability.APPOINTMENT_BOOK)
    scope = partner_scope(user)
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=days), dt.time.min))
    queryset = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, starts_at__gte=begin, starts_at__lt=end
    ).select_related("caseworker", "person", "inquiry")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    if caseworker_id is not None:
        queryset = queryset.filter(caseworker_id=caseworker_id)
    return list(queryset.order_by("starts_at", "id"))


def appointments_today_for_user(*, user: Any) -> list[Appointment] | None:
    """For the home page: a caseworker's own appointments today; for an intake clerk, the
    office's. None for a role that does not book appointments."""
    if not user.has_capability(Capability.APPOINTMENT_BOOK):
        return None
    own = user.pk if user.role in BOOKABLE_ROLES else None
    return appointment_list_for_user(user=user, start=timezone.localdate(), caseworker_id=own)


def day_slots(day: dt.date) -> list[dt.datetime]:
    """The bookable start times of an office day (aware, local)."""
    slots = []
    moment = dt.datetime.combine(day, DAY_START)
    last = dt.datetime.combine(day, DAY_END)
    while moment < last:
        slots.append(timezone.make_aware(moment))
        moment += dt.timedelta(minutes=SLOT_MINUTES)
    return slots


def caseworker_days(*, user: Any, day: dt.date) -> list[dict[str, Any]]:
    """Each caseworker's day: every slot, free or taken (by which appointment)."""
    workers = caseworkers_for_user(user=user)
    appointments = appointment_list_for_user(user=user, start=day)
    now = timezone.now()
    rows = []
    for worker in workers:
        own = [a for a in appointments if a.caseworker_id == worker.pk]
        slots = []
        for start in day_slots(day):
            end = start + dt.timedelta(minutes=SLOT_MINUTES)
            taken = next((a for a in own if a.starts_at < end and a.ends_at > start), None)
            slots.append({"start": timezone.localtime(start), "taken": taken, "past": start < now})
        rows.append({"caseworker": worker, "slots": slots, "appointments": own})
    return rows


def application_queryset_for_user(*, user: Any) -> QuerySet[Application]:
    require_capability(user, Capability.CASE_VIEW)
    scope = partner_scope(user)
    queryset = Application.objects.select_related("benefit_unit", "delivery_partner")
    return queryset if scope is None else queryset.filter(delivery_partner_id=scope)


def application_get_for_user(*, user: Any, application_id: int) -> Application:
    """One application, or Http404 when absent or another partner's."""
    try:
        return application_queryset_for_user(user=user).get(pk=application_id)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def application_for_case(*, benefit_unit: BenefitUnit) -> Application | None:
    """The case's application, if it has one (the case was already permission-checked)."""
    return Application.objects.filter(benefit_unit=benefit_unit).first()


def verification_items(*, application: Application) -> list[VerificationItem]:
    """The checklist in a stable order (the application was already permission-checked)."""
    return list(
        application.verifications.select_related("person", "document", "verified_by").order_by(
            "person_id", "kind", "id"
        )
    )
