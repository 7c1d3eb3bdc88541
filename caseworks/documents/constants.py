from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    UPLOAD = "upload", _("Uploaded document")
    NOTICE = "notice", _("Letter sent to the client")


class LetterDelivery(models.TextChoices):
    """How a letter reached the client."""

    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class DocumentStorage(models.TextChoices):
    """Where a document's bytes are: in its database row, or in S3-compatible object storage."""

    DATABASE = "database", _("Database")
    S3 = "s3", _("S3-compatible object storage")


# What staff may upload, identified by the file's own first bytes (never by its name or the
# browser's claim). Anything else is refused.
ALLOWED_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
