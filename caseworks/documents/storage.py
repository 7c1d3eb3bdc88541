"""Where a document's bytes live: the one module that writes, reads and deletes them.

`DOCUMENT_STORAGE=database` (the default) keeps the bytes in the `Document.content` column;
`DOCUMENT_STORAGE=s3` puts them in an S3-compatible bucket through django-storages, under a
key made of the delivery partner's id and a random UUID (never the client's name or the file's
name), and keeps only the key, the size and the SHA-256 in the database. Rows written before a
switch keep their storage: each row says where its bytes are.

An object is written before its row is committed, so a rolled-back upload can leave an
unreferenced object in the bucket (harmless, listed by `document_storage_orphans()`); a
committed row never points at a missing object.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

from .constants import DocumentStorage
from .models import Document

if TYPE_CHECKING:
    from django.core.files.storage import Storage


class DocumentContentError(Exception):
    """The stored bytes are missing or do not match the SHA-256 recorded with the document."""


@dataclass(frozen=True)
class StoredContent:
    """The Document fields that say where the bytes are (spread into `Document(...)`)."""

    storage: str
    storage_key: str
    content: bytes
    size_bytes: int
    sha256: str

    def as_fields(self) -> dict[str, object]:
        return {
            "storage": self.storage,
            "storage_key": self.storage_key,
            "content": self.content,
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
        }


def document_storage_kind() -> str:
    kind = getattr(settings, "DOCUMENT_STORAGE", DocumentStorage.DATABASE)
    if kind not in DocumentStorage.values:
        raise ImproperlyConfigured(
            f"DOCUMENT_STORAGE must be one of {DocumentStorage.values}, not {kind!r}"
        )
    return str(kind)


@lru_cache(maxsize=4)
def _s3_storage(config: tuple[str, str, str, str, str, str]) -> Storage:
    # boto3 is imported only when object storage is used (it slows every process's start).
    from storages.backends.s3 import S3Storage  # noqa: PLC0415

    bucket, endpoint_url, region, access_key, secret_key, sse = config
    if not bucket:
        raise ImproperlyConfigured("DOCUMENT_STORAGE=s3 needs DOCUMENT_S3_BUCKET")
    return S3Storage(
        bucket_name=bucket,
        endpoint_url=endpoint_url or None,
        region_name=region or None,
        # Empty: boto3's own chain (AWS_ACCESS_KEY_ID in the environment, an instance role...).
        access_key=access_key or None,
        secret_key=secret_key or None,
        default_acl=None,  # the bucket's policy decides; objects are never public
        querystring_auth=True,
        file_overwrite=True,  # keys are random UUIDs: no existence check per upload
        object_parameters={"ServerSideEncryption": sse} if sse else {},
    )


def document_s3_storage() -> Storage:
    """The bucket of document content, from the DOCUMENT_S3_* settings."""
    return _s3_storage(
        (
            settings.DOCUMENT_S3_BUCKET,
            settings.DOCUMENT_S3_ENDPOINT_URL,
            settings.DOCUMENT_S3_REGION,
            settings.DOCUMENT_S3_ACCESS_KEY_ID,
            settings.DOCUMENT_S3_SECRET_ACCESS_KEY,
            settings.DOCUMENT_S3_SERVER_SIDE_ENCRYPTION,
        )
    )


def document_storage_key(*, delivery_partner_id: int) -> str:
    return f"documents/{delivery_partner_id}/{uuid.uuid4().hex}"


def document_content_store(*, content: bytes, delivery_partner_id: int) -> StoredContent:
    """Put the bytes where DOCUMENT_STORAGE says; return the fields for the Document row."""
    sha256 = hashlib.sha256(content).hexdigest()
    if document_storage_kind() == DocumentStorage.DATABASE:
        return StoredContent(DocumentStorage.DATABASE, "", content, len(content), sha256)
    key = document_storage_key(delivery_partner_id=delivery_partner_id)
    saved = document_s3_storage().save(key, ContentFile(content))
    return StoredContent(DocumentStorage.S3, saved, b"", len(content), sha256)


def document_content_read(document: Document) -> bytes:
    """The document's bytes, wherever they are, checked against the recorded SHA-256 when they
    come from object storage."""
    if document.content_removed_at is not None:
        raise DocumentContentError(f"document {document.pk}: content removed by retention")
    if document.storage == DocumentStorage.DATABASE:
        return bytes(document.content)
    try:
        with document_s3_storage().open(document.storage_key, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise DocumentContentError(f"document {document.pk}: object missing") from exc
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentContentError(f"document {document.pk}: SHA-256 does not match")
    return bytes(data)


def document_content_delete(document: Document) -> None:
    """Remove the bytes from object storage (a database row's bytes are cleared by the caller,
    in its transaction). Deleting a missing object is not an error: a purge may be re-run."""
    if document.storage == DocumentStorage.S3 and document.storage_key:
        document_s3_storage().delete(document.storage_key)


def document_storage_orphans(*, prefix: str = "documents/") -> list[str]:
    """Keys in the bucket that no Document row points at (uploads whose transaction rolled
    back). For an operator's clean-up; never called on a request."""
    storage = document_s3_storage()
    keys: list[str] = []
    stack = [prefix.rstrip("/")]
    while stack:
        folder = stack.pop()
        directories, files = storage.listdir(folder)
        stack.extend(f"{folder}/{name}" for name in directories)
        keys.extend(f"{folder}/{name}" for name in files)
    known = set(Document.objects.filter(storage_key__in=keys).values_list("storage_key", flat=True))
    return sorted(set(keys) - known)
