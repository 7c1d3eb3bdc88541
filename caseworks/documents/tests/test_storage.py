"""Document content in S3-compatible object storage (moto's server mode stands in for S3)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.cases.tests.factories import make_case
from caseworks.core.models import AuditEvent
from caseworks.documents.constants import DocumentStorage
from caseworks.documents.models import Document
from caseworks.documents.selectors import document_get_for_user
from caseworks.documents.services import document_upload, notice_store
from caseworks.documents.storage import (
    DocumentContentError,
    document_content_read,
    document_content_store,
    document_storage_orphans,
)
from caseworks.documents.tests.s3 import bucket_keys

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"x" * 300


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    return make_case(partner=partner, caseworker=caseworker, first_name="Nadia", last_name="Roy")


def test_upload_goes_to_the_bucket_not_the_database_and_reads_back(
    s3_bucket: Any, case: Any, caseworker: Any, client: Client
) -> None:
    document = document_upload(
        acting_user=caseworker,
        benefit_unit=case,
        title="Lease",
        filename="Nadia Roy lease.pdf",
        content=PDF,
    )
    row = Document.objects.get(pk=document.pk)
    assert row.storage == DocumentStorage.S3
    assert bytes(row.content) == b""
    assert (row.size_bytes, row.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    # The key names the partner and a random id, never the client or the file's name.
    assert bucket_keys(s3_bucket) == [row.storage_key]
    assert row.storage_key.startswith(f"documents/{case.delivery_partner_id}/")
    assert "nadia" not in row.storage_key.lower()
    assert "lease" not in row.storage_key.lower()
    stored = s3_bucket.get_object(Bucket=s3_bucket.bucket, Key=row.storage_key)
    assert stored["Body"].read() == PDF
    assert stored["ServerSideEncryption"] == "AES256"
    # Read back through the selector and the one read function, then through the page.
    found = document_get_for_user(user=caseworker, document_id=document.pk)
    assert document_content_read(found) == PDF
    client.force_login(caseworker)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Length"] == str(len(PDF))
    upload_event = AuditEvent.objects.get(event_type="document_uploaded")
    assert upload_event.extra_data["storage"] == "s3"


def test_generated_letter_goes_to_the_bucket(s3_bucket: Any, case: Any, caseworker: Any) -> None:
    document = notice_store(
        acting_user=caseworker,
        benefit_unit=case,
        person=None,
        title="Notice",
        pdf=PDF,
        language="en",
    )
    assert document.storage == DocumentStorage.S3
    assert bucket_keys(s3_bucket) == [document.storage_key]
    assert document_content_read(document) == PDF


def test_rows_written_before_the_switch_stay_readable_from_the_database(
    settings: Any, case: Any, caseworker: Any
) -> None:
    settings.DOCUMENT_STORAGE = "database"
    document = document_upload(
        acting_user=caseworker, benefit_unit=case, title="Lease", filename="a.pdf", content=PDF
    )
    assert (document.storage, document.storage_key) == (DocumentStorage.DATABASE, "")
    settings.DOCUMENT_STORAGE = "s3"  # switched later: the old row still says "database"
    assert document_content_read(Document.objects.get(pk=document.pk)) == PDF


def test_tampered_or_missing_object_is_an_error_not_wrong_bytes(
    s3_bucket: Any, case: Any, caseworker: Any
) -> None:
    document = document_upload(
        acting_user=caseworker, benefit_unit=case, title="Lease", filename="a.pdf", content=PDF
    )
    s3_bucket.put_object(Bucket=s3_bucket.bucket, Key=document.storage_key, Body=b"%PDF-evil")
    with pytest.raises(DocumentContentError, match="SHA-256"):
        document_content_read(document)
    s3_bucket.delete_object(Bucket=s3_bucket.bucket, Key=document.storage_key)
    with pytest.raises(DocumentContentError, match="missing"):
        document_content_read(document)


def test_rolled_back_upload_leaves_only_an_orphan_that_can_be_listed(
    s3_bucket: Any, case: Any, caseworker: Any
) -> None:
    kept = document_upload(
        acting_user=caseworker, benefit_unit=case, title="Lease", filename="a.pdf", content=PDF
    )
    orphan = document_content_store(content=PDF, delivery_partner_id=case.delivery_partner_id)
    assert document_storage_orphans() == [orphan.storage_key]
    assert kept.storage_key not in document_storage_orphans()


def test_unknown_storage_setting_is_refused(settings: Any, case: Any, caseworker: Any) -> None:
    settings.DOCUMENT_STORAGE = "ftp"
    with pytest.raises(ImproperlyConfigured):
        document_upload(
            acting_user=caseworker, benefit_unit=case, title="x", filename="a.pdf", content=PDF
        )


def test_a_document_removed_by_retention_is_404_and_not_logged_as_downloaded(
    case: Any, caseworker: Any, client: Client
) -> None:
    document = document_upload(
        acting_user=caseworker, benefit_unit=case, title="Lease", filename="a.pdf", content=PDF
    )
    Document.objects.filter(pk=document.pk).update(content=b"", content_removed_at=timezone.now())
    client.force_login(caseworker)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(event_type="document_downloaded").exists()
    with pytest.raises(DocumentContentError, match="removed"):
        document_content_read(Document.objects.get(pk=document.pk))
