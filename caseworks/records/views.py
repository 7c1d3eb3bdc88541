"""Legal holds: supervisors and partner administrators place and lift them (no client names
on this page: a hold names the case number and the reason)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .forms import LegalHoldLiftForm, LegalHoldPlaceForm
from .selectors import hold_case_get_for_user, legal_hold_get_for_user, legal_holds_for_user
from .services import legal_hold_lift, legal_hold_place


@staff_view
@require_http_methods(["GET", "POST"])
def legal_holds(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    require_capability(user, Capability.LEGAL_HOLD_MANAGE)
    action = request.POST.get("action") if request.method == "POST" else None
    place_form = LegalHoldPlaceForm(request.POST if action == "place" else None)
    lift_form = LegalHoldLiftForm(request.POST if action == "lift" else None)
    if action == "place" and place_form.is_valid():
        try:
            case = hold_case_get_for_user(
                user=user, case_number=place_form.cleaned_data["case_number"]
            )
        except Http404:
            place_form.add_error("case_number", _("No case of your office has this number."))
        else:
            try:
                legal_hold_place(
                    acting_user=user, benefit_unit=case, reason=place_form.cleaned_data["reason"]
                )
            except ApplicationError as exc:
                add_application_error(place_form, exc)
            else:
                messages.success(request, _("The file is under a legal hold."))
                return redirect("records:legal_holds")
    elif action == "lift" and lift_form.is_valid():
        hold = legal_hold_get_for_user(user=user, hold_id=lift_form.cleaned_data["hold_id"])
        try:
            legal_hold_lift(
                acting_user=user, hold=hold, reason=lift_form.cleaned_data["lift_reason"]
            )
        except ApplicationError as exc:
            add_application_error(lift_form, exc)
        else:
            messages.success(request, _("The legal hold is lifted."))
            return redirect("records:legal_holds")
    return render(
        request,
        "records/legal_holds.html",
        {
            "holds": legal_holds_for_user(user=user, include_lifted=True),
            "place_form": place_form,
            "lift_form": lift_form,
        },
    )
