"""Documents: a case's documents (with an upload form) and the download of one document.

A download is always an attachment with the type the server found in the file's own bytes,
never sniffed by the browser (nosniff), audited and logged as a view of the client's file.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_applicant, case_file_read_record
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError

from .constants import ALLOWED_SIGNATURES
from .forms import DocumentUploadForm
from .models import Document
from .selectors import document_get_for_user, document_list_for_case
from .services import document_upload
from .storage import document_content_read


def download_filename(document: Document) -> str:
    """An ASCII-safe name with the suffix of the verified type (never the uploaded one)."""
    suffix = next((s for _sig, t, s in ALLOWED_SIGNATURES if t == document.content_type), "")
    base = document.title or "document"
    safe = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in base).strip()
    safe = "-".join(safe.split())[:100] or "document"
    return f"{safe}{suffix}"


@transaction.atomic
def _record_download(
    *, user: Any, document: Document, person: Any, channel: str, view_name: str
) -> None:
    audit_record(
        acting_user=user,
        event_type=AuditEventType.DOCUMENT_DOWNLOADED,
        subject=document,
        delivery_partner_id=document.delivery_partner_id,
        person_id=person.pk if person else None,
        benefit_unit_id=document.benefit_unit_id,
        extra_data={"channel": channel},
    )
    if person is not None:
        client_file_access_record(
            user=user,
            person=person,
            view_name=view_name,
            benefit_unit_id=document.benefit_unit_id,
            channel=channel,
        )


def document_response(document: Document) -> HttpResponse:
    response = HttpResponse(document_content_read(document), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download_filename(document)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store, private"
    response["Content-Length"] = str(len(response.content))
    return response


@staff_view
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    document = document_get_for_user(user=request.user, document_id=document_id)
    if document.content_removed_at is not None:
        raise Http404  # removed under the records-retention schedule: nothing to download
    person = document.person
    if person is None and document.benefit_unit is not None:
        applicant = case_applicant(document.benefit_unit)
        person = applicant.person if applicant else None
    _record_download(
        user=request.user,
        document=document,
        person=person,
        channel="web",
        view_name="documents:download",
    )
    return document_response(document)


@staff_view
@require_http_methods(["GET", "POST"])
def case_documents(request: HttpRequest, benefit_unit_id: int) -> HttpResponseBase:
    """A case's documents and letters, and the form to upload a proof (intake and caseworkers)."""
    user: Any = request.user
    if request.method == "POST":
        require_capability(user, Capability.DOCUMENT_UPLOAD)
    require_capability(user, Capability.DOCUMENT_VIEW)
    case = benefit_unit_get_for_user(user=user, benefit_unit_id=benefit_unit_id)
    members = list(case.members.filter(end_on__isnull=True).select_related("person").order_by("id"))
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        people=[(m.person_id, m.person.full_name) for m in members],
    )
    if request.method == "POST" and form.is_valid():
        person = next(
            (m.person for m in members if m.person_id == form.cleaned_data["person"]), None
        )
        file = form.cleaned_data["file"]
        try:
            document_upload(
                acting_user=user,
                benefit_unit=case,
                title=form.cleaned_data["title"],
                filename=file.name or "",
                content=file.read(),
                person=person,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The document is on the case."))
            return redirect("documents:case_documents", benefit_unit_id=case.pk)
    case_file_read_record(user=user, benefit_unit=case, view_name="documents:case_documents")
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "form": form,
            "documents": document_list_for_case(user=user, benefit_unit=case),
        },
    )
