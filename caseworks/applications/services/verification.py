"""Verification: the checklist, its items and members added while verifying."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import MemberRole
from caseworks.clients.services import person_create
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload

from ..constants import (
    VerificationStatus,
)
from ..models import (
    Application,
    MemberCircumstances,
    VerificationItem,
)
from ._common import _require_own
from .application import _lock_application, application_member_add


@transaction.atomic
def verification_update(
    *,
    acting_user: User,
    item: VerificationItem,
    status: str,
    document: Document | None = None,
    waived_reason: str = "",
) -> VerificationItem:
    """Mark a checklist item verified (with the proving document), waived (with a reason),
    or back to pending."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    application = item.application
    _require_own(acting_user, application.delivery_partner_id)
    if status not in VerificationStatus.values:
        raise ApplicationError(_("Choose verified, pending or waived."), field="status")
    if status == VerificationStatus.WAIVED and not waived_reason.strip():
        raise ApplicationError(_("Give the reason for waiving this proof."), field="waived_reason")
    if document is not None and document.benefit_unit_id != application.benefit_unit_id:
        raise ApplicationError(_("The document is not on this case."), field="document")
    _lock_application(application, None)
    locked = VerificationItem.objects.select_for_update().get(pk=item.pk)
    old = locked.status
    locked.status = status
    locked.waived_reason = waived_reason.strip() if status == VerificationStatus.WAIVED else ""
    locked.document = document if status == VerificationStatus.VERIFIED else None
    locked.verified_by = acting_user if status != VerificationStatus.PENDING else None
    locked.verified_at = timezone.now() if status != VerificationStatus.PENDING else None
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.VERIFICATION_UPDATED,
        subject=locked,
        delivery_partner_id=application.delivery_partner_id,
        person_id=locked.person_id,
        benefit_unit_id=application.benefit_unit_id,
        extra_data={
            "kind": locked.kind,
            "old": old,
            "new": status,
            "document": document.pk if document else None,
        },
    )
    return locked


@transaction.atomic
def application_member_create(
    *,
    acting_user: User,
    application: Application,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    role: str,
    expected_version: int | None = None,
    acknowledge_possible_duplicates: bool = False,
) -> MemberCircumstances:
    """Register a new person (a newborn, a spouse moving in) and add them to the case and the
    application in one step: either both happen or neither does."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    if role not in MemberRole.values or role == MemberRole.APPLICANT:
        raise ApplicationError(_("Choose the person's role in the case."), field="role")
    # Check the version before registering anyone, so a stale form changes nothing.
    _lock_application(application, expected_version)
    applicant = (
        application.benefit_unit.members.filter(role=MemberRole.APPLICANT, end_on__isnull=True)
        .select_related("person")
        .first()
    )
    contact = applicant.person if applicant else None
    person = person_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        address_line=contact.address_line if contact else "",
        city=contact.city if contact else "",
        postal_code=contact.postal_code if contact else "",
        language_preference=contact.language_preference if contact else "en",
        acknowledge_possible_duplicates=acknowledge_possible_duplicates,
    )
    return application_member_add(
        acting_user=acting_user,
        application=application,
        person=person,
        role=role,
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class VerificationEntry:
    """One line of the checklist form. `use_upload` means 'the file uploaded with this form'."""

    item_id: int
    status: str
    document_id: int | None = None
    use_upload: bool = False
    waived_reason: str = ""


@dataclass(frozen=True)
class UploadFacts:
    title: str
    filename: str
    content: bytes
    person_id: int | None = None


@transaction.atomic
def verification_checklist_save(
    *,
    acting_user: User,
    application: Application,
    entries: list[VerificationEntry],
    upload: UploadFacts | None = None,
) -> list[VerificationItem]:
    """Save the whole checklist (and an uploaded proof) in one transaction: an error in any
    line, or in the file, saves nothing. Errors name the line: `items[2].waived_reason`."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    locked = _lock_application(application, None)
    items = {item.pk: item for item in locked.verifications.select_related("document")}
    documents = {
        d.pk: d
        for d in Document.objects.filter(benefit_unit_id=locked.benefit_unit_id).only(
            "id", "benefit_unit_id"
        )
    }
    uploaded: Document | None = None
    if upload is not None:
        person = None
        if upload.person_id is not None:
            person = locked.benefit_unit.members.filter(person_id=upload.person_id).first()
            if person is None:
                raise ApplicationError(
                    _("This person is not a member of the case."), field="upload.person"
                )
        try:
            uploaded = document_upload(
                acting_user=acting_user,
                benefit_unit=locked.benefit_unit,
                title=upload.title,
                filename=upload.filename,
                content=upload.content,
                person=person.person if person else None,
            )
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, field=f"upload.{exc.field or 'file'}", code=exc.code
            ) from exc
    elif any(entry.use_upload for entry in entries):
        raise ApplicationError(
            _("Choose a file to upload, or choose a document already on the case."),
            field="upload.file",
        )
    saved: list[VerificationItem] = []
    for index, entry in enumerate(entries):
        item = items.get(entry.item_id)
        if item is None:
            raise ApplicationError(
                _("This item is not on the application's checklist."), field=f"items[{index}]"
            )
        document: Document | None = None
        if entry.use_upload:
            document = uploaded
        elif entry.document_id is not None:
            if entry.document_id not in documents:
                raise ApplicationError(
                    _("The document is not on this case."), field=f"items[{index}].document"
                )
            document = documents[entry.document_id]  # content not loaded
        reason = entry.waived_reason.strip() if entry.status == VerificationStatus.WAIVED else ""
        wanted_document_id = (
            document.pk if document and entry.status == VerificationStatus.VERIFIED else None
        )
        if (
            item.status == entry.status
            and item.waived_reason == reason
            and item.document_id == wanted_document_id
        ):
            saved.append(item)
            continue
        try:
            saved.append(
                verification_update(
                    acting_user=acting_user,
                    item=item,
                    status=entry.status,
                    document=document,
                    waived_reason=entry.waived_reason,
                )
            )
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, field=f"items[{index}].{exc.field or 'status'}", code=exc.code
            ) from exc
    return saved
