"""Proofs a client uploads against the verification checklist, accepted by staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.applications.constants import VerificationStatus
from caseworks.applications.models import VerificationItem
from caseworks.applications.services import verification_update
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.documents.services import document_upload_from_client

from ..models import ClientUpload
from ._common import (
    ClientFile,
    _client_audit,
    _require_own_partner,
    client_benefit_unit,
)


@transaction.atomic
def checklist_document_upload_from_client(
    *, person: Person, item: VerificationItem, file: ClientFile
) -> ClientUpload:
    """A client uploads a proof against an item of their case's verification checklist. The
    item stays pending until the caseworker accepts the proof (client_upload_accept)."""
    application = item.application
    unit = client_benefit_unit(person=person, benefit_unit_id=application.benefit_unit_id)
    if item.status != VerificationStatus.PENDING:
        raise ApplicationError(
            _("This proof is no longer needed."), field="item", code="not_pending"
        )
    try:
        document = document_upload_from_client(
            person=person,
            benefit_unit=unit,
            title=str(item.get_kind_display()),
            filename=file.filename,
            content=file.content,
        )
    except ApplicationError as exc:
        raise ApplicationError(exc.message, field="file", code=exc.code) from exc
    upload = ClientUpload(item=item, benefit_unit=unit, document=document, uploaded_by=person)
    upload.save()
    audit_record(
        acting_user=None,
        event_type=AuditEventType.CLIENT_UPLOAD_RECEIVED,
        subject=upload,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=unit.pk,
        extra_data={**_client_audit(person), "item": item.pk, "document": document.pk},
    )
    return upload


@transaction.atomic
def client_upload_accept(*, acting_user: User, upload: ClientUpload) -> ClientUpload:
    """The caseworker accepts a client's proof: the checklist item becomes verified with it."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    locked = (
        ClientUpload.objects.select_for_update()
        .select_related("benefit_unit", "item__application", "document")
        .get(pk=upload.pk)
    )
    _require_own_partner(acting_user, locked.benefit_unit)
    if locked.accepted_at is not None:
        raise ApplicationError(_("This proof is already accepted."), field="upload")
    if locked.item.status != VerificationStatus.PENDING:
        raise ApplicationError(
            _("This checklist item is already verified or waived."), field="item"
        )
    verification_update(
        acting_user=acting_user,
        item=locked.item,
        status=VerificationStatus.VERIFIED,
        document=locked.document,
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = acting_user
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return locked
