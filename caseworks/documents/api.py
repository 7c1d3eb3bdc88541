"""API: upload a proof to a case (multipart). The type is judged by the file's own bytes."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.clients.selectors import person_get_for_user
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .constants import MAX_UPLOAD_BYTES
from .models import Document
from .schemas import DocumentOut
from .services import document_upload

router = Router(tags=["documents"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(
    "/cases/{benefit_unit_id}/documents",
    response={201: DocumentOut, **ERRORS},
    summary="Upload a proof to a case (PDF, PNG or JPEG by content; 10 MB at most)",
)
def case_document_upload(
    request: ApiRequest,
    benefit_unit_id: RecordId,
    file: File[UploadedFile],
    title: Form[str],
    person_id: Form[int | None] = None,
) -> Status[Document]:
    require_capability(request.auth, Capability.DOCUMENT_UPLOAD)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    person = None
    if person_id is not None:
        if not 1 <= person_id <= 2**63 - 1:
            raise ApplicationError(_("person_id must be a record id."), field="person_id")
        person = person_get_for_user(user=request.auth, person_id=person_id)
        if not case.members.filter(person=person).exists():
            raise ApplicationError(_("This person is not a member of the case."), field="person_id")
    if "\x00" in title:
        raise ApplicationError(_("The title cannot contain NUL characters."), field="title")
    # Read at most one byte more than the limit: the service refuses what is too large.
    content = file.read(MAX_UPLOAD_BYTES + 1)
    document = document_upload(
        acting_user=request.auth,
        benefit_unit=case,
        title=title,
        filename=file.name or "",
        content=content,
        person=person,
    )
    return Status(201, document)
