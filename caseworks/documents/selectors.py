"""Reads of documents, scoped to the user's delivery partner (404 for another partner's)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.http import Http404

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability

from .constants import DocumentKind
from .models import Document

# Listing columns only: the content stays where it is stored until someone downloads it.
LIST_FIELDS = (
    "id",
    "title",
    "kind",
    "original_name",
    "content_type",
    "size_bytes",
    "language",
    "uploaded_at",
    "uploaded_by",
    "person",
    "benefit_unit",
    "delivery_partner",
)


def document_get_for_user(*, user: Any, document_id: int) -> Document:
    """One document (its bytes through `storage.document_content_read`), or Http404 when absent
    or another partner's."""
    require_capability(user, Capability.DOCUMENT_VIEW)
    scope = partner_scope(user)
    queryset = Document.objects.select_related("person", "benefit_unit")
    if scope is not None:
        queryset = queryset.filter(delivery_partner_id=scope)
    try:
        return queryset.get(pk=document_id)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def document_list_for_case(
    *, user: Any, benefit_unit: BenefitUnit, kind: str | None = None
) -> list[Document]:
    """A case's documents (the case was already permission-checked), newest first."""
    require_capability(user, Capability.DOCUMENT_VIEW)
    queryset = (
        Document.objects.filter(benefit_unit=benefit_unit)
        .only(*LIST_FIELDS)
        .select_related("uploaded_by", "person")
    )
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return list(queryset)


def uploads_for_case(*, user: Any, benefit_unit: BenefitUnit) -> list[Document]:
    return document_list_for_case(user=user, benefit_unit=benefit_unit, kind=DocumentKind.UPLOAD)


# One printing at a time: the oldest letters first, at most this many on the page.
LETTERS_TO_MAIL_LIMIT = 200


def letters_to_mail_for_user(*, user: Any) -> tuple[list[Document], int]:
    """The user's office's letters still to post, oldest first (at most LETTERS_TO_MAIL_LIMIT),
    and how many wait in all. A notice is kept in English and in French: the copy to post is the
    one in the client's language of service (English when it is addressed to no one)."""
    require_capability(user, Capability.DOCUMENT_UPLOAD)
    partner_id = user.delivery_partner_id
    if partner_id is None:
        return [], 0  # provincial staff post no partner's letters
    waiting = Document.objects.filter(
        delivery_partner_id=partner_id,
        kind=DocumentKind.NOTICE,
        sent_at__isnull=True,
        content_removed_at__isnull=True,
    ).filter(Q(person__isnull=True, language="en") | Q(language=F("person__language_preference")))
    letters = list(
        waiting.only(*LIST_FIELDS)
        .select_related("person", "benefit_unit")
        .order_by("uploaded_at", "id")[:LETTERS_TO_MAIL_LIMIT]
    )
    total = len(letters) if len(letters) < LETTERS_TO_MAIL_LIMIT else waiting.count()
    return letters, total
