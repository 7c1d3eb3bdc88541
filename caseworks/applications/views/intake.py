"""Screening pages: recording an inquiry and reading it back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.calculation.explanations import explanation_lines
from caseworks.calculation.labels import citation_text, reason_label
from caseworks.clients.selectors import person_get_for_user
from caseworks.clients.services import DuplicatePersonError, client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from ..constants import InquiryChannel, InquiryStatus, UrgentNeed
from ..forms import (
    InquiryAssignForm,
    InquiryCloseForm,
    InquiryForm,
    InquiryQueueForm,
    InquiryRegisterForm,
)
from ..selectors import (
    inquiry_assignees_for_user,
    inquiry_get_for_user,
    inquiry_list_for_user,
)
from ..services import (
    inquiry_assign,
    inquiry_close,
    inquiry_name_parts,
    inquiry_person_link,
    inquiry_person_register,
    inquiry_record,
    online_answers_registration,
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
def inquiry_list(request: HttpRequest) -> HttpResponse:
    """The intake queue: the partner's inquiries by status, optionally only mine."""
    user: Any = request.user
    require_capability(user, Capability.INQUIRY_RECORD)
    form = InquiryQueueForm(request.GET or None)
    status, mine = "", False
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or ""
        mine = form.cleaned_data["mine"]
    inquiries = inquiry_list_for_user(
        user=user, status=status, assigned_to_id=user.pk if mine else None
    )
    return render(
        request,
        "applications/inquiry_list.html",
        {"form": form, "inquiries": inquiries, "status": status, "mine": mine},
    )


def _inquiry_action(
    request: HttpRequest, inquiry: Any, assign_form: InquiryAssignForm, close_form: InquiryCloseForm
) -> HttpResponseBase | None:
    """Assign or close (the POSTed `action`); a redirect when done, None to show errors."""
    action = request.POST.get("action")
    user: Any = request.user
    try:
        if action == "assign" and assign_form.is_valid():
            assignee = next(
                (u for u in assign_form.assignees if u.pk == assign_form.cleaned_data["assignee"]),
                None,
            )
            if assignee is None:
                assign_form.add_error("assignee", _("Choose a member of staff from the list."))
                return None
            inquiry_assign(acting_user=user, inquiry=inquiry, assignee=assignee)
            messages.success(
                request,
                _("The inquiry is assigned to %(name)s.")
                % {"name": assignee.get_full_name() or assignee.username},
            )
        elif action == "close" and close_form.is_valid():
            inquiry_close(
                acting_user=user, inquiry=inquiry, reason=close_form.cleaned_data["reason"]
            )
            messages.success(request, _("The inquiry is closed."))
        else:
            return None
    except ApplicationError as exc:
        add_application_error(assign_form if action == "assign" else close_form, exc)
        return None
    return redirect("applications:inquiry_detail", inquiry_id=inquiry.pk)


@staff_view
@require_http_methods(["GET", "POST"])
def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponseBase:
    """The pre-screen result: likely eligible or not, with the rules' explanation and reasons;
    the next steps (register the caller, book, start the application); assign or close."""
    user: Any = request.user
    inquiry = inquiry_get_for_user(user=user, inquiry_id=inquiry_id)
    action = request.POST.get("action") if request.method == "POST" else None
    assignees = inquiry_assignees_for_user(user=user)
    assign_form = InquiryAssignForm(
        request.POST if action == "assign" else None,
        assignees=assignees,
        prefix="assign",
        initial={"assignee": inquiry.assigned_to_id or user.pk},
    )
    close_form = InquiryCloseForm(request.POST if action == "close" else None, prefix="close")
    if action:
        done = _inquiry_action(request, inquiry, assign_form, close_form)
        if done is not None:
            return done
    if inquiry.person is not None:
        client_file_access_record(
            user=user, person=inquiry.person, view_name="applications:inquiry_detail"
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
            "assign_form": assign_form,
            "close_form": close_form,
            "is_open": inquiry.status != InquiryStatus.CLOSED,
            "online": inquiry.online_answers if inquiry.channel == InquiryChannel.ONLINE else None,
            "urgent_needs": [
                str(UrgentNeed(need).label)
                for need in (inquiry.online_answers or {}).get("urgent_needs", [])
                if need in UrgentNeed.values
            ],
        },
        status=400 if action else 200,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def inquiry_register(request: HttpRequest, inquiry_id: int) -> HttpResponseBase:
    """Register the caller as a client, with the name and phone the inquiry already has, and
    link the inquiry (and its appointments) to them: one submit."""
    user: Any = request.user
    require_capability(user, Capability.CLIENT_CREATE)
    inquiry = inquiry_get_for_user(user=user, inquiry_id=inquiry_id)
    if inquiry.person_id is not None:
        messages.info(request, _("This inquiry is already linked to a registered person."))
        return redirect("applications:inquiry_detail", inquiry_id=inquiry.pk)
    first, last = inquiry_name_parts(inquiry.caller_name)
    duplicates = None
    if request.method == "POST":
        form = InquiryRegisterForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("sin_entered")
            try:
                person = inquiry_person_register(acting_user=user, inquiry=inquiry, **data)
            except DuplicatePersonError as exc:
                duplicates = exc.duplicates
                form.add_error("acknowledge_possible_duplicates", exc.message)
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered and linked to this inquiry.")
                    % {"name": person.full_name},
                )
                return redirect("applications:inquiry_detail", inquiry_id=inquiry.pk)
    else:
        # An online application: everything the applicant typed (nothing typed twice).
        form = InquiryRegisterForm(
            initial=online_answers_registration(inquiry)
            or {"first_name": first, "last_name": last, "phone": inquiry.phone}
        )
    show_acknowledge = bool(duplicates) or bool(form.data.get("acknowledge_possible_duplicates"))
    return render(
        request,
        "applications/inquiry_register.html",
        {
            "form": form,
            "inquiry": inquiry,
            "duplicates": duplicates,
            "show_acknowledge": show_acknowledge,
        },
    )


@staff_view
@require_POST
def inquiry_link(request: HttpRequest, inquiry_id: int) -> HttpResponseBase:
    """ "Use this person" on the duplicate panel: the caller is already a client of the office,
    so the inquiry (and its appointments) is linked to that person and no one new is
    registered."""
    user: Any = request.user
    require_capability(user, Capability.INQUIRY_RECORD)
    inquiry = inquiry_get_for_user(user=user, inquiry_id=inquiry_id)
    raw = request.POST.get("person", "")
    if not raw.isdigit():
        messages.error(request, _("Person: choose the person to link to this inquiry."))
        return redirect("applications:inquiry_register", inquiry_id=inquiry.pk)
    person = person_get_for_user(user=user, person_id=int(raw))  # another partner's: 404
    try:
        inquiry_person_link(acting_user=user, inquiry=inquiry, person=person)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("This inquiry is linked to %(name)s, already a client: no one new was registered.")
            % {"name": person.full_name},
        )
    return redirect("applications:inquiry_detail", inquiry_id=inquiry.pk)
