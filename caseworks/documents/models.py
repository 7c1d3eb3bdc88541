"""Documents on a client's file: uploaded proofs and generated letters (stored as files)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import DocumentKind, DocumentStorage, LetterDelivery


class Document(models.Model):
    """A file on the client's file, served only as an attachment with its verified type.

    The bytes are in `content` (PostgreSQL, the default: outside any web root, in the same
    transaction as the audit event) or, with `DOCUMENT_STORAGE=s3`, in object storage under
    `storage_key` (never derived from the client's name); `size_bytes` and `sha256` are kept
    either way. Read the bytes only through `documents.storage.document_content_read()`.
    """

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    storage = models.CharField(
        max_length=16, choices=DocumentStorage.choices, default=DocumentStorage.DATABASE
    )
    storage_key = models.CharField(max_length=200, blank=True)
    # Set when the records-retention purge removed the content (and the title) for good.
    content_removed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True)
    # A staff member, or (a proof sent through the client realm) a client on the case.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # A letter sent: printed for the post (set once, at its first printing; a reprint keeps
    # it), or given online (a letter the client made in the portal). Unset: still to post.
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_method = models.CharField(max_length=8, choices=LetterDelivery.choices, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["benefit_unit", "kind"], name="document_case_kind"),
            # The letters still to post, per partner (a partial index: posted letters drop out).
            models.Index(
                fields=["delivery_partner", "uploaded_at"],
                name="document_letters_to_mail",
                condition=models.Q(kind="notice", sent_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uploaded_by__isnull=False)
                | models.Q(uploaded_by_person__isnull=False),
                name="document_has_an_uploader",
            ),
        ]

    def __str__(self) -> str:
        return self.title
