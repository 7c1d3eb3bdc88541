"""Screening pages: recording an inquiry and reading it back."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.calculation.explanations import explanation_lines
from caseworks.calculation.labels import citation_text, reason_label
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from ..forms import (
    InquiryForm,
)
from ..selectors import (
    inquiry_get_for_user,
)
from ..services import (
    inquiry_record,
)
from ._common import _money_text

# --- Screening --------------------------------------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
@idempotent_form  # a replayed POST once recorded the same caller twice
def inquiry_create(request: StaffRequest) -> HttpResponseBase:
    """Record a caller and pre-screen them (one submit), then show the result."""
    require_capability(request.user, Capability.INQUIRY_RECORD)
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = inquiry_record(
                acting_user=request.user,
                caller_name=data["caller_name"],
                phone=data["phone"],
                adults=data["adults"],
                children=data["children"],
                has_spouse=data["has_spouse"],
                monthly_income_cents=data["monthly_income"] or 0,
                shelter_cost_cents=data["shelter_cost"] or 0,
                assets_cents=data["assets"] or 0,
            )
        except ApplicationError as exc:
            add_application_error(
                form,
                exc,
                {
                    "monthly_income_cents": "monthly_income",
                    "shelter_cost_cents": "shelter_cost",
                    "assets_cents": "assets",
                },
            )
        else:
            return redirect("applications:inquiry_detail", inquiry_id=inquiry.pk)
    return render(request, "applications/inquiry_form.html", {"form": form})


@staff_view
def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """The pre-screen result: likely eligible or not, with the rules' explanation and reasons."""
    inquiry = inquiry_get_for_user(user=request.user, inquiry_id=inquiry_id)
    if inquiry.person is not None:
        client_file_access_record(
            user=request.user, person=inquiry.person, view_name="applications:inquiry_detail"
        )
    output = inquiry.prescreen_snapshot.get("output", {})
    language = "fr" if (request.LANGUAGE_CODE or "").startswith("fr") else "en"
    lines = explanation_lines(output.get("explanation", []), language)
    reasons = [
        {
            "text": reason_label(str(r.get("code", "")), language),
            "citation": citation_text(str(r.get("citation", "")), language),
        }
        for r in output.get("ineligibility_reasons", [])
    ]
    return render(
        request,
        "applications/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "lines": lines,
            "reasons": reasons,
            "output": output,
            "payment": _money_text(output.get("payment", ""), language),
            "appointments": list(inquiry.appointments.select_related("caseworker")),
        },
    )
