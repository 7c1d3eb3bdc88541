"""The client's pages to reach their worker's team (issue 17): secure messages, and a request
for internal review of a decision, started from its letter. Each calls one service or selector
of `caseworks.messaging` / `caseworks.reviews` with the signed-in client's own person; anything
outside their current case is a 404 there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caseworks.accounts.forms import add_application_error
from caseworks.calculation.labels import citation_text
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form
from caseworks.messaging.selectors import decision_for_client, threads_for_client
from caseworks.messaging.services import (
    ClientFile,
    message_mark_read_by_client,
    message_send_from_client,
)
from caseworks.reviews.constants import REVIEW_REQUEST_CITATION
from caseworks.reviews.models import InternalReview
from caseworks.reviews.services import (
    decision_review_deadline,
    internal_review_request_from_client,
)

from . import selectors
from .forms import MessageForm, ReviewRequestForm
from .models import PortalAccount
from .views import portal_view


@portal_view
@require_http_methods(["GET", "POST"])
@idempotent_form
def messages_page(request: HttpRequest, account: PortalAccount) -> HttpResponseBase:
    """The case's thread with the worker's team: the client's messages and the team's answers
    (signed by role and office, never by name), and a form to write."""
    person = account.person
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [
            ClientFile(filename=upload.name, content=upload.read())
            for upload in form.cleaned_data["attachments"]
        ]
        try:
            message_send_from_client(
                person=person,
                benefit_unit=account.benefit_unit,
                body=form.cleaned_data["body"],
                attachments=files,
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"attachments[0]": "attachments"})
        else:
            messages.success(request, _("Your message is sent to your worker's team."))
            return redirect("portal:messages")
    threads = threads_for_client(person=person)
    for thread in threads:
        message_mark_read_by_client(person=person, thread=thread)
    selectors.portal_read_record(account=account, view_name="portal:messages")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/messages.html",
        {"thread": threads[0] if threads else None, "form": form},
        status=status,
    )


def _review_context(account: PortalAccount, decision_id: int) -> dict[str, object]:
    decision = decision_for_client(person=account.person, decision_id=decision_id)
    received, last_day = decision_review_deadline(decision=decision)
    today = timezone.localdate()
    return {
        "decision": decision,
        "received_on": received,
        "last_day": last_day,
        "days_left": (last_day - today).days,
        "too_late": today > last_day,
        "citation": citation_text(REVIEW_REQUEST_CITATION, get_language()),
        "requested": InternalReview.objects.filter(decision=decision).first(),
    }


@portal_view
@require_http_methods(["GET", "POST"])
@idempotent_form
def review_request(request: HttpRequest, account: PortalAccount, decision_id: int) -> HttpResponse:
    """Ask for an internal review of a decision: the 30-day clock and its last day, the reason,
    then the confirmation (review_requested)."""
    context = _review_context(account, decision_id)
    form = ReviewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = internal_review_request_from_client(
                person=account.person,
                decision=context["decision"],  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"decision": "reason"})
        else:
            return redirect("portal:review_requested", review_id=review.pk)
    selectors.portal_read_record(account=account, view_name="portal:review_request")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/review_request.html", {**context, "form": form}, status=status)


@portal_view
@require_GET
def review_requested(request: HttpRequest, account: PortalAccount, review_id: int) -> HttpResponse:
    review = selectors.review_for_client(account=account, review_id=review_id)
    selectors.portal_read_record(account=account, view_name="portal:review_requested")
    return render(request, "portal/review_requested.html", {"review": review})
