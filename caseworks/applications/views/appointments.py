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
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from ..forms import (
    AppointmentForm,
    CalendarForm,
)
from ..selectors import (
    appointment_list_for_user,
    caseworker_days,
    caseworkers_for_user,
    inquiry_get_for_user,
)
from ..services import (
    appointment_book,
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
    """The office calendar: each caseworker's appointments for a day or a week."""
    user: Any = request.user
    require_capability(user, Capability.APPOINTMENT_BOOK)
    form = CalendarForm(request.GET or None)
    day = timezone.localdate()
    view = "day"
    if form.is_bound and form.is_valid():
        day = _safe_day(form.cleaned_data["day"] or day)
        view = form.cleaned_data["view"] or "day"
    if view == "week":
        day = day - dt.timedelta(days=day.weekday())
    days = 7 if view == "week" else 1
    appointments = appointment_list_for_user(user=user, start=day, days=days)
    workers = caseworkers_for_user(user=user)
    by_worker = [
        {"caseworker": w, "appointments": [a for a in appointments if a.caseworker_id == w.pk]}
        for w in workers
    ]
    return render(
        request,
        "applications/calendar.html",
        {
            "form": form,
            "day": day,
            "view": view,
            "last_day": day + dt.timedelta(days=days - 1),
            "by_worker": by_worker,
            "previous": day - dt.timedelta(days=days),
            "next": day + dt.timedelta(days=days),
        },
    )
