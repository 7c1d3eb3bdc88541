"""The verification checklist page."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.views import staff_view
from caseworks.cases.services import case_file_read_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.documents.selectors import uploads_for_case

from ..constants import APPLICATION_EDITABLE
from ..forms import (
    UPLOADED,
    UploadForm,
    VerificationFormSet,
)
from ..selectors import (
    application_get_for_user,
    verification_items,
)
from ..services import (
    UploadFacts,
    VerificationEntry,
    verification_checklist_save,
)
from ._common import _current_members

# --- Verification -----------------------------------------------------------------------------


def _item_label(item: Any) -> str:
    label = str(item.get_kind_display())
    return f"{label} — {item.person.full_name}" if item.person_id else label


@staff_view
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """The whole checklist on one form, with an upload: upload a proof and mark the items it
    proves in one submit. Any error saves nothing."""
    user: Any = request.user
    if request.method == "POST":
        require_capability(user, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=user, application_id=application_id)
    items = verification_items(application=application)
    documents = uploads_for_case(user=user, benefit_unit=application.benefit_unit)
    doc_choices = [(d.pk, f"{d.title} ({d.uploaded_at:%Y-%m-%d})") for d in documents]
    members = _current_members(application)
    data = request.POST if request.method == "POST" else None
    formset = VerificationFormSet(
        data,
        prefix="item",
        documents=doc_choices,
        initial=[
            {
                "item_id": item.pk,
                "status": item.status,
                "document": str(item.document_id) if item.document_id else "",
                "waived_reason": item.waived_reason,
            }
            for item in items
        ],
    )
    upload_form = UploadForm(
        data,
        request.FILES if data is not None else None,
        prefix="upload",
        people=[(m.person_id, m.person.full_name) for m in members],
    )
    if request.method == "POST":
        formset_ok = formset.is_valid()
        upload_ok = upload_form.is_valid()
        ids = [f.cleaned_data.get("item_id") for f in formset.forms if hasattr(f, "cleaned_data")]
        if formset_ok and sorted(ids) != sorted(i.pk for i in items):
            formset_ok = False
            messages.error(request, _("The checklist changed while you worked. Check it again."))
        if formset_ok and upload_ok:
            upload = None
            file = upload_form.cleaned_data.get("file")
            if file:
                upload = UploadFacts(
                    title=upload_form.cleaned_data["title"],
                    filename=file.name or "",
                    content=file.read(),
                    person_id=upload_form.cleaned_data["person"],
                )
            entries = [
                VerificationEntry(
                    item_id=f.cleaned_data["item_id"],
                    status=f.cleaned_data["status"],
                    document_id=int(f.cleaned_data["document"])
                    if f.cleaned_data["document"] not in ("", UPLOADED)
                    else None,
                    use_upload=f.cleaned_data["document"] == UPLOADED,
                    waived_reason=f.cleaned_data["waived_reason"],
                )
                for f in formset.forms
            ]
            try:
                verification_checklist_save(
                    acting_user=user, application=application, entries=entries, upload=upload
                )
            except ApplicationError as exc:
                _checklist_error(formset, upload_form, exc)
            else:
                messages.success(request, _("The checklist is saved."))
                return redirect("applications:verification", application_id=application.pk)
    case_file_read_record(
        user=request.user,
        benefit_unit=application.benefit_unit,
        view_name="applications:verification",
    )
    by_id = {item.pk: item for item in items}
    rows = []
    for form in formset.forms:
        raw = form["item_id"].value()
        item = by_id.get(int(raw)) if str(raw).isdigit() else None
        if item is not None:
            rows.append({"item": item, "label": _item_label(item), "form": form})
    return render(
        request,
        "applications/verification.html",
        {
            "application": application,
            "case": application.benefit_unit,
            "formset": formset,
            "rows": rows,
            "upload_form": upload_form,
            "documents": documents,
            "editable": application.status in APPLICATION_EDITABLE
            and user.has_capability(Capability.APPLICATION_EDIT),
        },
    )


_ITEM_RE = re.compile(r"^items\[(\d+)\](?:\.(\w+))?$")


def _checklist_error(formset: Any, upload_form: Any, error: ApplicationError) -> None:
    field = error.field or ""
    if field.startswith("upload."):
        name = field.split(".", 1)[1]
        upload_form.add_error(name if name in upload_form.fields else None, error.message)
        return
    match = _ITEM_RE.match(field)
    if match and int(match.group(1)) < len(formset.forms):
        form = formset.forms[int(match.group(1))]
        name = match.group(2) or "status"
        form.add_error(name if name in form.fields else None, error.message)
        return
    upload_form.add_error(None, error.message)
