from __future__ import annotations

from typing import Any

import pytest

from caseworks.cases.tests.factories import make_case
from caseworks.core.errors import ApplicationError
from caseworks.documents.constants import MAX_UPLOAD_BYTES
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_document_upload_judges_type_by_content_not_name(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    document = document_upload(
        acting_user=caseworker,
        benefit_unit=case,
        title="Lease",
        filename="../../etc/lease.pdf",
        content=PNG,
    )
    assert document.content_type == "image/png"
    assert document.original_name == "lease.pdf"
    assert bytes(document.content) == PNG


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"MZ\x90\x00 this is a windows executable", "bad_type"),
        (b"<html><script>alert(1)</script></html>", "bad_type"),
        (b"%PDF-" + b"0" * MAX_UPLOAD_BYTES, "too_large"),
        (b"", "invalid"),
    ],
)
def test_document_upload_refuses_bad_files_and_saves_nothing(
    partner: Any, caseworker: Any, content: bytes, code: str
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    with pytest.raises(ApplicationError) as err:
        document_upload(
            acting_user=caseworker, benefit_unit=case, title="x", filename="x.pdf", content=content
        )
    assert err.value.field == "file"
    assert err.value.code == code
    assert not Document.objects.exists()


def test_document_upload_refuses_other_partner(
    partner: Any, caseworker: Any, other_caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    with pytest.raises(ApplicationError):
        document_upload(
            acting_user=other_caseworker,
            benefit_unit=case,
            title="x",
            filename="x.png",
            content=PNG,
        )
    assert not Document.objects.exists()
