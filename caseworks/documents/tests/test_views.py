"""Document pages: the download is an audited attachment with the verified type; uploads are
judged by content and size."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    return make_case(partner=partner, caseworker=caseworker, first_name="Nadia")


@pytest.fixture
def document(case: Any, caseworker: Any) -> Document:
    return document_upload(
        acting_user=caseworker,
        benefit_unit=case,
        title='Lease "2026" <script>',
        filename="lease.html",  # the name says HTML; the bytes say JPEG
        content=JPEG,
    )


def test_download_is_an_attachment_with_sniffed_type_nosniff_audit_and_access_log(
    client: Client, caseworker: Any, document: Document, case: Any
) -> None:
    client.force_login(caseworker)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.endswith('.jpg"')
    assert "<" not in disposition
    assert "html" not in disposition
    assert "no-store" in response["Cache-Control"]
    assert response.content == JPEG
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_DOWNLOADED)
    assert event.acting_user_id == caseworker.pk
    applicant = case.members.get().person
    assert ClientFileAccess.objects.filter(
        user=caseworker, person=applicant, view_name="documents:download"
    ).exists()


def test_download_answers_404_for_another_partners_document(
    client: Client, other_caseworker: Any, document: Document
) -> None:
    client.force_login(other_caseworker)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.MINISTRY_ANALYST, Role.PROVIDER])
def test_download_answers_403_for_roles_without_document_view(
    client: Client, users: dict[str, Any], document: Document, role: str
) -> None:
    client.force_login(users[role])
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.INTAKE_CLERK, Role.AUDITOR, Role.EMPLOYMENT_CASEWORKER])
def test_download_is_allowed_for_roles_with_document_view(
    client: Client, users: dict[str, Any], document: Document, role: str
) -> None:
    client.force_login(users[role])
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200


def test_case_documents_upload_stores_pdf_when_intake_clerk_uploads(
    client: Client, users: dict[str, Any], case: Any
) -> None:
    client.force_login(users[Role.INTAKE_CLERK])
    response = client.post(
        reverse("documents:case_documents", args=[case.pk]),
        {"file": SimpleUploadedFile("id.pdf", PDF), "title": "Health card"},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.title) == ("application/pdf", "Health card")
    page = client.get(response.url).content.decode()
    assert "Health card" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", EXE, "Only PDF, PNG and JPEG files can be uploaded."),
        ("huge.pdf", PDF + b"\x00" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_case_documents_upload_refuses_bad_file_beside_the_field_and_saves_nothing(
    client: Client, caseworker: Any, case: Any, name: str, content: bytes, message: str
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("documents:case_documents", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "title": "Proof"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="id_file_error"' in html
    assert Document.objects.count() == 0


def test_case_documents_refuses_other_partner_and_roles_without_rights(
    client: Client, users: dict[str, Any], other_caseworker: Any, case: Any
) -> None:
    url = reverse("documents:case_documents", args=[case.pk])
    client.force_login(other_caseworker)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x"}).status_code == 404
    client.force_login(users[Role.AUDITOR])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "x"}).status_code == 403
    client.force_login(users[Role.PARTNER_ADMIN])
    assert client.get(url).status_code == 403
