"""Uploading proofs and storing generated letters."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import case_applicant
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from .constants import ALLOWED_SIGNATURES, MAX_UPLOAD_BYTES, DocumentKind, LetterDelivery
from .models import Document
from .storage import document_content_read, document_content_store


def sniff_content_type(content: bytes) -> tuple[str, str] | None:
    """(content type, suffix) from the file's first bytes, or None if not an allowed type."""
    for signature, content_type, suffix in ALLOWED_SIGNATURES:
        if content.startswith(signature):
            return content_type, suffix
    return None


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned.strip()[:200] or "document"


def document_upload(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    title: str,
    filename: str,
    content: bytes,
    person: Person | None = None,
) -> Document:
    """Store an uploaded proof on the case. Type is judged by content, not name; size-limited."""
    require_capability(acting_user, Capability.DOCUMENT_UPLOAD)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    return _upload_store(
        acting_user=acting_user,
        uploaded_by_person=None,
        benefit_unit=benefit_unit,
        title=title,
        filename=filename,
        content=content,
        person=person,
    )


def document_upload_from_client(
    *,
    person: Person,
    benefit_unit: BenefitUnit,
    title: str,
    filename: str,
    content: bytes,
    acting_user: User | None = None,
) -> Document:
    """Store a proof a client uploaded online (issue 17): a message attachment, a proof against
    a checklist item, a pay stub, a void cheque. The same checks as a staff upload; the
    uploader is the person. `acting_user` is the client's own portal account when the upload
    came through one (it is then the audit event's actor). The caller (the client realm:
    `caseworks.portal.services`, `caseworks.messaging.services`) has checked that `person` is
    on `benefit_unit` and, when given, that `acting_user` is that person's own account."""
    return _upload_store(
        acting_user=acting_user,
        uploaded_by_person=person,
        benefit_unit=benefit_unit,
        title=title,
        filename=filename,
        content=content,
        person=person,
    )


def _upload_store(
    *,
    acting_user: User | None,
    uploaded_by_person: Person | None,
    benefit_unit: BenefitUnit,
    title: str,
    filename: str,
    content: bytes,
    person: Person | None,
) -> Document:
    if person is not None and person.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(
            _("This person belongs to another delivery partner."), field="person"
        )
    if not content:
        raise ApplicationError(_("The file is empty."), field="file")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field="file",
            code="too_large",
        )
    sniffed = sniff_content_type(content)
    if sniffed is None:
        raise ApplicationError(
            _("Only PDF, PNG and JPEG files can be uploaded."), field="file", code="bad_type"
        )
    if not title.strip():
        raise ApplicationError(_("Say what this document is."), field="title")
    content_type, _suffix = sniffed
    with transaction.atomic():
        stored = document_content_store(
            content=content, delivery_partner_id=benefit_unit.delivery_partner_id
        )
        document = Document.objects.create(
            delivery_partner_id=benefit_unit.delivery_partner_id,
            person=person,
            benefit_unit=benefit_unit,
            kind=DocumentKind.UPLOAD,
            title=title.strip()[:200],
            original_name=_clean_name(filename),
            content_type=content_type,
            uploaded_by=acting_user,
            uploaded_by_person=uploaded_by_person,
            **stored.as_fields(),
        )
        extra: dict[str, Any] = {
            "content_type": content_type,
            "size_bytes": len(content),
            "storage": stored.storage,
        }
        if uploaded_by_person is not None:
            extra["client_person_id"] = uploaded_by_person.pk
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.DOCUMENT_UPLOADED,
            subject=document,
            delivery_partner_id=benefit_unit.delivery_partner_id,
            person_id=person.pk if person else None,
            benefit_unit_id=benefit_unit.pk,
            extra_data=extra,
        )
    return document


def notice_store(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person | None,
    title: str,
    pdf: bytes,
    language: str,
    delivered_online: bool = False,
) -> Document:
    """Keep a generated letter on the case, inside the caller's transaction. A letter is to be
    posted (the queue of letters to post) unless `delivered_online`: the client made it in the
    portal and has it already."""
    stored = document_content_store(
        content=pdf, delivery_partner_id=benefit_unit.delivery_partner_id
    )
    online = {"sent_at": timezone.now(), "sent_method": LetterDelivery.ONLINE}
    return Document.objects.create(
        **(online if delivered_online else {}),
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person=person,
        benefit_unit=benefit_unit,
        kind=DocumentKind.NOTICE,
        title=title,
        original_name=f"{title}.pdf",
        content_type="application/pdf",
        language=language,
        uploaded_by=acting_user,
        **stored.as_fields(),
    )


NOTICE_LANGUAGES = ("en", "fr")


def notices_store(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    subject: models.Model,
    titles: Mapping[str, str],
    render: Callable[[str], bytes],
) -> Person | None:
    """Store a notice in English and in French on the case, addressed to its applicant, and link
    both to `subject` (its `notice_en` and `notice_fr` fields), inside the caller's transaction.
    `render(language)` makes the PDF; the title is `titles[language]` and the case number.
    Returns the person the notice is addressed to."""
    applicant = case_applicant(benefit_unit)
    person = applicant.person if applicant else None
    for language in NOTICE_LANGUAGES:
        document = notice_store(
            acting_user=acting_user,
            benefit_unit=benefit_unit,
            person=person,
            title=f"{titles[language]} {benefit_unit.case_number}",
            pdf=render(language),
            language=language,
        )
        setattr(subject, f"notice_{language}", document)
    subject._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    subject.save(update_fields=["notice_en", "notice_fr"])
    return person


@transaction.atomic
def documents_move_with_case(*, transfer: Any, person_ids: list[int]) -> dict[str, int]:
    """Move the case's documents, and its current members' documents filed on no case, from the
    sending partner to the receiving one (called by `case_transfer` through `case_transferred`,
    inside its transaction). A member's documents on another (earlier) case stay with that case.

    Documents keep no row history; the `case_transferred` audit event lists the count. Their
    bytes do not move: an object-storage key keeps the sending partner's id as its prefix, but
    the content is always read through the key stored on the row.
    """
    moved = (
        Document.objects.filter(delivery_partner_id=transfer.from_partner_id)
        .filter(
            models.Q(benefit_unit_id=transfer.benefit_unit_id)
            | models.Q(benefit_unit__isnull=True, person_id__in=person_ids)
        )
        .update(delivery_partner_id=transfer.to_partner_id)
    )
    return {"documents": moved} if moved else {}


@dataclasses.dataclass(frozen=True)
class LetterBatch:
    """Letters printed together: one PDF for the printer, and how many were printed for the
    first time (a reprint of a letter already posted marks nothing again)."""

    pdf: bytes
    letters: list[Document]
    first_printings: int


@transaction.atomic
def letters_print_for_mail(*, acting_user: User, document_ids: list[int]) -> LetterBatch:
    """Print several letters as one PDF and mark them posted (by this user, now).

    Replay-safe: a letter keeps the date and the person of its first printing, so sending the
    same request again (a double click, the browser's back button) gives the same PDF and marks
    nothing twice; each printing is still in the audit trail. All or nothing: a letter of another
    office, an upload or a letter whose content was removed refuses the whole batch."""
    require_capability(acting_user, Capability.DOCUMENT_UPLOAD)
    ids = sorted(set(document_ids))
    if not ids:
        raise ApplicationError(
            _("Letters: choose at least one letter to print."), field="letters", code="required"
        )
    letters = list(
        Document.objects.select_for_update(of=("self",))
        .filter(
            pk__in=ids,
            kind=DocumentKind.NOTICE,
            delivery_partner_id=acting_user.delivery_partner_id,
            content_removed_at__isnull=True,
        )
        .order_by("uploaded_at", "id")
    )
    if len(letters) != len(ids):
        raise ApplicationError(
            _("Letters: one of the chosen letters is not a letter of your office to post."),
            field="letters",
            code="not_a_letter",
        )
    writer = PdfWriter()
    for letter in letters:
        writer.append(io.BytesIO(document_content_read(letter)))
    combined = io.BytesIO()
    writer.write(combined)
    now = timezone.now()
    first_printings = 0
    for letter in letters:
        first = letter.sent_at is None
        if first:
            first_printings += 1
            letter.sent_at = now
            letter.sent_by = acting_user
            letter.sent_method = LetterDelivery.POST
            letter.save(update_fields=["sent_at", "sent_by", "sent_method"])
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.LETTER_PRINTED,
            subject=letter,
            delivery_partner_id=letter.delivery_partner_id,
            person_id=letter.person_id,
            benefit_unit_id=letter.benefit_unit_id,
            extra_data={"first_printing": first, "letters_in_batch": len(letters)},
        )
    return LetterBatch(pdf=combined.getvalue(), letters=letters, first_printings=first_printings)
