"""The client's pages to report a change and to send the documents the checklist asks for
(issue 17). Each calls one service or selector of `caseworks.messaging` with the signed-in
client's own person; anything outside their current case is a 404 there. A reported change
stays pending until the caseworker verifies it: nothing the payment is calculated from changes
before then."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseworks.accounts.forms import add_application_error
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form
from caseworks.messaging.constants import ReportedChangeKind
from caseworks.messaging.selectors import (
    checklist_for_client,
    checklist_item_for_client,
    reported_changes_for_client,
)
from caseworks.messaging.services import (
    ClientFile,
    checklist_document_upload_from_client,
    reported_change_submit_from_client,
)

from . import selectors
from .forms import (
    AddressChangeForm,
    ChangeForm,
    ChecklistUploadForm,
    HouseholdChangeForm,
    ShelterCostChangeForm,
)
from .models import PortalAccount
from .views import portal_view

# The kinds of change, in the order the list page offers them: (kind, URL slug, form).
CHANGE_FORMS: dict[str, tuple[str, type[ChangeForm]]] = {
    ReportedChangeKind.ADDRESS: ("address", AddressChangeForm),
    ReportedChangeKind.SHELTER_COST: ("shelter-cost", ShelterCostChangeForm),
    ReportedChangeKind.HOUSEHOLD: ("household", HouseholdChangeForm),
}


def change_url_name(kind: str) -> str:
    return f"portal:change_{kind}"


@portal_view
@require_GET
def changes(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    """What the client reported and where each change is (waiting, accepted, not accepted with
    the reason), and the kinds of change they can report."""
    reported = reported_changes_for_client(person=account.person)
    selectors.portal_read_record(account=account, view_name="portal:changes")
    return render(
        request,
        "portal/changes.html",
        {
            "reported": reported,
            "kinds": [
                (reverse(change_url_name(kind)), label)
                for kind, label in ReportedChangeKind.choices
                if kind in CHANGE_FORMS
            ],
        },
    )


@portal_view
@require_http_methods(["GET", "POST"])
@idempotent_form
def change_report(request: HttpRequest, account: PortalAccount, kind: str) -> HttpResponseBase:
    """One kind of change (a move, a new housing cost, someone moving in or out): every field
    checked at once, then a pending change for the caseworker."""
    form_class = CHANGE_FORMS[kind][1]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reported_change_submit_from_client(
                person=account.person,
                benefit_unit=account.benefit_unit,
                kind=kind,
                changed_on=data["changed_on"],
                address_line=data.get("address_line", ""),
                city=data.get("city", ""),
                postal_code=data.get("postal_code", ""),
                shelter_cost_cents=data.get("shelter_cost"),
                details=data.get("details", ""),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your change is sent. Your caseworker checks it and may ask you for a "
                    "proof. Your payment changes only after that."
                ),
            )
            return redirect("portal:changes")
    selectors.portal_read_record(account=account, view_name=change_url_name(kind))
    return render(
        request,
        "portal/change_form.html",
        {"form": form, "kind": kind, "kind_label": ReportedChangeKind(kind).label},
        status=400 if request.method == "POST" else 200,
    )


def _documents_page(
    request: HttpRequest,
    account: PortalAccount,
    bound: ChecklistUploadForm | None = None,
    bound_item_id: int | None = None,
) -> HttpResponse:
    items = checklist_for_client(person=account.person)
    rows: list[dict[str, Any]] = []
    for item in items:
        uploads = list(item.client_uploads.all())
        form = (
            bound
            if bound is not None and item.pk == bound_item_id
            else ChecklistUploadForm(prefix=f"item{item.pk}")
        )
        rows.append({"item": item, "uploads": uploads, "form": form})
    selectors.portal_read_record(account=account, view_name="portal:documents")
    return render(
        request,
        "portal/documents.html",
        {"rows": rows, "bound": bound},
        status=400 if bound is not None else 200,
    )


@portal_view
@require_GET
def documents(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    """The documents the case's verification checklist asks for, item by item: still needed,
    received (waiting to be checked), accepted or no longer needed; an upload for each item
    still needed."""
    return _documents_page(request, account)


@portal_view
@require_POST
@idempotent_form
def document_upload(request: HttpRequest, account: PortalAccount, item_id: int) -> HttpResponseBase:
    """A proof (a photo from the phone's camera or a file) against one item of the checklist."""
    item = checklist_item_for_client(person=account.person, item_id=item_id)
    form = ChecklistUploadForm(request.POST, request.FILES, prefix=f"item{item.pk}")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checklist_document_upload_from_client(
                person=account.person,
                item=item,
                file=ClientFile(filename=upload.name, content=upload.read()),
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"item": "file"})
        else:
            messages.success(
                request,
                _("Your document is sent: %(item)s. Your caseworker checks it.")
                % {"item": item.get_kind_display()},
            )
            return redirect("portal:documents")
    return _documents_page(request, account, bound=form, bound_item_id=item.pk)
