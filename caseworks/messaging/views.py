"""Staff pages of clients online: the case's messages, changes and proofs; the team inbox; the
queue of reported changes to verify."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user, benefit_unit_members
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from .constants import ReportedChangeStatus
from .forms import ReplyForm, ReportedChangeDecideForm
from .selectors import (
    client_upload_get_for_user,
    client_uploads_for_case,
    reported_change_get_for_user,
    reported_changes_for_case,
    reported_changes_for_user,
    thread_for_case,
    threads_for_user,
)
from .services import client_upload_accept, message_mark_read, message_reply, reported_change_decide

INBOX_SHOWN = 200


def _case_page(
    request: HttpRequest, benefit_unit: BenefitUnit, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user: Any = request.user
    members = benefit_unit_members(benefit_unit=benefit_unit)
    for member in members:
        if member.role == MemberRole.APPLICANT:
            client_file_access_record(
                user=user,
                person=member.person,
                view_name="messaging:case",
                benefit_unit_id=benefit_unit.pk,
            )
    thread = thread_for_case(user=user, benefit_unit=benefit_unit)
    if (
        thread is not None
        and user.has_capability(Capability.CASE_NOTE_CREATE)
        and user.delivery_partner_id == benefit_unit.delivery_partner_id
        and message_mark_read(acting_user=user, thread=thread)
    ):
        thread = thread_for_case(user=user, benefit_unit=benefit_unit)  # with the read marks
    forms = forms or {}
    changes = reported_changes_for_case(user=user, benefit_unit=benefit_unit)
    return render(
        request,
        "messaging/case.html",
        {
            "case": benefit_unit,
            "thread": thread,
            "reply_form": forms.get("reply") or ReplyForm(prefix="reply"),
            "changes": [
                (
                    change,
                    forms.get(f"decide-{change.pk}")
                    or ReportedChangeDecideForm(
                        prefix=f"decide-{change.pk}",
                        initial={"expected_version": change.version},
                    ),
                )
                for change in changes
            ],
            "uploads": client_uploads_for_case(user=user, benefit_unit=benefit_unit),
            "submitted_forms": list(forms.values()),
            "can_reply": user.has_capability(Capability.CASE_NOTE_CREATE),
            "can_decide": user.has_capability(Capability.CASE_EDIT),
            "can_accept": user.has_capability(Capability.APPLICATION_EDIT),
            "pending": ReportedChangeStatus.PENDING,
        },
    )


@staff_view
def case_messages(request: HttpRequest, benefit_unit_id: int) -> HttpResponseBase:
    """The case's messages with its clients, the changes they reported, the proofs they sent;
    a POST answers the client."""
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    if request.method != "POST":
        return _case_page(request, benefit_unit)
    require_capability(request.user, Capability.CASE_NOTE_CREATE)
    form = ReplyForm(request.POST, prefix="reply")
    thread = thread_for_case(user=request.user, benefit_unit=benefit_unit)
    if thread is None:
        form.add_error(None, _("There is no message from a client on this case to answer."))
    elif form.is_valid():
        try:
            user: Any = request.user
            message_reply(acting_user=user, thread=thread, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect("messaging:case", benefit_unit_id=benefit_unit.pk)
    return _case_page(request, benefit_unit, {"reply": form})


@staff_view
def inbox(request: HttpRequest) -> HttpResponse:
    """The team inbox: the threads of the team's cases, the escalated and waiting first."""
    user: Any = request.user
    threads = list(threads_for_user(user=user)[:INBOX_SHOWN])
    return render(
        request,
        "messaging/inbox.html",
        {
            "escalated": [t for t in threads if t.is_escalated],
            "waiting": [t for t in threads if t.awaiting_reply_since and not t.is_escalated],
            "answered": [t for t in threads if not t.awaiting_reply_since],
        },
    )


@staff_view
def changes_queue(request: HttpRequest) -> HttpResponse:
    """Changes clients reported online, waiting for the team to verify them."""
    return render(
        request,
        "messaging/changes.html",
        {"changes": list(reported_changes_for_user(user=request.user))},
    )


@staff_view
@require_POST
@idempotent_form  # a verified change moves the money
def change_decide(request: HttpRequest, reported_change_id: int) -> HttpResponseBase:
    change = reported_change_get_for_user(user=request.user, change_id=reported_change_id)
    # Through the partner-scoped selector (the change's case).
    benefit_unit = benefit_unit_get_for_user(
        user=request.user, benefit_unit_id=change.benefit_unit_id
    )
    require_capability(request.user, Capability.CASE_EDIT)
    form = ReportedChangeDecideForm(request.POST, prefix=f"decide-{change.pk}")
    if form.is_valid():
        try:
            user: Any = request.user
            reported_change_decide(acting_user=user, change=change, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The reported change is decided."))
            return redirect("messaging:case", benefit_unit_id=benefit_unit.pk)
    return _case_page(request, benefit_unit, {f"decide-{change.pk}": form})


@staff_view
@require_POST
def upload_accept(request: HttpRequest, upload_id: int) -> HttpResponseBase:
    upload = client_upload_get_for_user(user=request.user, upload_id=upload_id)
    benefit_unit = benefit_unit_get_for_user(
        user=request.user, benefit_unit_id=upload.benefit_unit_id
    )
    require_capability(request.user, Capability.APPLICATION_EDIT)
    try:
        user: Any = request.user
        client_upload_accept(acting_user=user, upload=upload)
    except ApplicationError as exc:
        if exc.code == "permission_denied":
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proof is accepted: the checklist item is verified."))
    return redirect("messaging:case", benefit_unit_id=benefit_unit.pk)
