"""Booking appointments and the intake calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from ..constants import AppointmentStatus
from ..forms import (
    AppointmentCancelForm,
    AppointmentForm,
    AppointmentOutcomeForm,
    AppointmentRescheduleForm,
    CalendarForm,
)
from ..selectors import (
    appointment_get_for_user,
    appointment_list_for_user,
    caseworker_days,
    caseworkers_for_user,
    inquiry_get_for_user,
)
from ..services import (
    appointment_book,
    appointment_cancel,
    appointment_outcome_record,
    appointment_reschedule,
)

# --- Appointments -----------------------------------------------------------------------------


def _parse_day(value: str | None) -> dt.date:
    try:
        return _safe_day(dt.date.fromisoformat(value or ""))
    except ValueError:
        return timezone.localdate()


def _safe_day(day: dt.date) -> dt.date:
    """A calendar day to show; far-off years (9999-12-31) show today instead of overflowing."""
    return day if 2000 <= day.year <= 2100 else timezone.localdate()


@staff_view
@require_http_methods(["GET", "POST"])
def appointment_book_view(request: HttpRequest) -> HttpResponseBase:
    """Book an intake appointment: choose a caseworker and a free time; each caseworker's day
    is shown beside the form. A double booking is refused with a clear message."""
    user: Any = request.user
    require_capability(user, Capability.APPOINTMENT_BOOK)
    inquiry = None
    inquiry_param = request.POST.get("inquiry") or request.GET.get("inquiry") or ""
    if inquiry_param:
        if not inquiry_param.isdigit():
            raise Http404
        inquiry = inquiry_get_for_user(user=user, inquiry_id=int(inquiry_param))
    workers = caseworkers_for_user(user=user)
    day = _parse_day(request.POST.get("day") or request.GET.get("day"))
    form = AppointmentForm(
        request.POST or None,
        caseworkers=workers,
        initial={"day": day, "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        caseworker = next(w for w in workers if w.pk == form.cleaned_data["caseworker"])
        try:
            appointment = appointment_book(
                acting_user=user,
                caseworker=caseworker,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                inquiry=inquiry,
                person=inquiry.person if inquiry else None,
                purpose=form.cleaned_data["purpose"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"starts_at": "start_time"})
        else:
            local = timezone.localtime(appointment.starts_at)
            messages.success(
                request,
                _("Appointment booked with %(worker)s on %(day)s at %(time)s.")
                % {
                    "worker": caseworker.get_full_name() or caseworker.username,
                    "day": f"{local:%Y-%m-%d}",
                    "time": f"{local:%H:%M}",
                },
            )
            url = reverse("applications:calendar")
            return redirect(f"{url}?day={local:%Y-%m-%d}")
    return render(
        request,
        "applications/appointment_form.html",
        {
            "form": form,
            "inquiry": inquiry,
            "day": day,
            "days": caseworker_days(user=user, day=day),
        },
    )


@staff_view
def calendar(request: HttpRequest) -> HttpResponse:
    """The office calendar: each caseworker's appointments for a day or a week; with a
    caseworker chosen, that person's calendar alone (a table per day of the week)."""
    user: Any = request.user
    require_capability(user, Capability.APPOINTMENT_BOOK)
    workers = caseworkers_for_user(user=user)
    form = CalendarForm(request.GET or None, caseworkers=workers)
    day = timezone.localdate()
    view = "day"
    chosen: int | None = None
    if form.is_bound and form.is_valid():
        day = _safe_day(form.cleaned_data["day"] or day)
        view = form.cleaned_data["view"] or "day"
        chosen = form.cleaned_data["caseworker"]
    if view == "week":
        day = day - dt.timedelta(days=day.weekday())
    days = 7 if view == "week" else 1
    appointments = appointment_list_for_user(user=user, start=day, days=days, caseworker_id=chosen)
    shown = [w for w in workers if chosen is None or w.pk == chosen]
    by_worker = [
        {
            "caseworker": w,
            "appointments": [a for a in appointments if a.caseworker_id == w.pk],
            "days": [
                {
                    "day": day + dt.timedelta(days=offset),
                    "appointments": [
                        a
                        for a in appointments
                        if a.caseworker_id == w.pk
                        and timezone.localdate(a.starts_at) == day + dt.timedelta(days=offset)
                    ],
                }
                for offset in range(days)
            ],
        }
        for w in shown
    ]
    query = f"&caseworker={chosen}" if chosen else ""
    return render(
        request,
        "applications/calendar.html",
        {
            "form": form,
            "day": day,
            "view": view,
            "last_day": day + dt.timedelta(days=days - 1),
            "by_worker": by_worker,
            "chosen": chosen,
            "query": query,
            "previous": day - dt.timedelta(days=days),
            "next": day + dt.timedelta(days=days),
        },
    )


def _appointment_action(request: HttpRequest, appointment: Any, forms: dict[str, Any]) -> bool:
    """Carry out the POSTed action on the appointment; True when done."""
    action = request.POST.get("action", "")
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    user: Any = request.user
    try:
        if action == "cancel":
            appointment_cancel(
                acting_user=user, appointment=appointment, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The appointment is cancelled."))
        elif action == "reschedule":
            moved = appointment_reschedule(
                acting_user=user,
                appointment=appointment,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
            local = timezone.localtime(moved.starts_at)
            messages.success(
                request,
                _("The appointment is moved to %(day)s at %(time)s.")
                % {"day": f"{local:%Y-%m-%d}", "time": f"{local:%H:%M}"},
            )
        else:
            done = appointment_outcome_record(
                acting_user=user, appointment=appointment, outcome=form.cleaned_data["outcome"]
            )
            messages.success(
                request,
                _("Recorded: %(outcome)s.") % {"outcome": done.get_status_display().lower()},
            )
    except ApplicationError as exc:
        add_application_error(form, exc, {"starts_at": "start_time"})
        return False
    return True


@staff_view
@require_http_methods(["GET", "POST"])
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponseBase:
    """One appointment: who, when, why; cancel it (with a reason), move it, or record whether
    the client came."""
    user: Any = request.user
    appointment = appointment_get_for_user(user=user, appointment_id=appointment_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    local = timezone.localtime(appointment.starts_at)
    length = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    forms = {
        "cancel": AppointmentCancelForm(
            request.POST if action == "cancel" else None, prefix="cancel"
        ),
        "reschedule": AppointmentRescheduleForm(
            request.POST if action == "reschedule" else None,
            prefix="move",
            initial={
                "day": local.date(),
                "start_time": f"{local:%H:%M}",
                "duration_minutes": length,
            },
        ),
        "outcome": AppointmentOutcomeForm(
            request.POST if action == "outcome" else None, prefix="outcome"
        ),
    }
    if action and _appointment_action(request, appointment, forms):
        return redirect("applications:appointment_detail", appointment_id=appointment.pk)
    if appointment.person is not None:
        client_file_access_record(
            user=user, person=appointment.person, view_name="applications:appointment_detail"
        )
    return render(
        request,
        "applications/appointment_detail.html",
        {
            "appointment": appointment,
            "booked": appointment.status == AppointmentStatus.BOOKED,
            "started": appointment.starts_at <= timezone.now(),
            "cancel_form": forms["cancel"],
            "reschedule_form": forms["reschedule"],
            "outcome_form": forms["outcome"],
        },
        status=400 if action else 200,
    )
