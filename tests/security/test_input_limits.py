"""Issue 13, attack 8: a 30 MB body answers 413 with a message (it answered 500), uploads up to
the 10 MB document limit still work, and the OpenAPI schema and docs are not served to
anonymous users."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseworks.payments.tests.builders import active_case

pytestmark = pytest.mark.django_db

THIRTY_MB = 30 * 1024 * 1024


def _session(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_thirty_megabyte_json_body_answers_413_in_both_languages(caseworker: Any) -> None:
    body = json.dumps({"note": "x" * THIRTY_MB})
    response = _session(caseworker).post("/api/persons", body, content_type="application/json")
    assert response.status_code == 413
    (error,) = response.json()["detail"]
    assert error["code"] == "request_too_large"
    assert "too large" in error["message"]
    assert "trop volumineuse" in error["message"]


def test_oversized_form_post_answers_413_on_a_page(caseworker: Any) -> None:
    response = _session(caseworker).post(
        "/clients/", {"q": "x"}, CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1)
    )
    assert response.status_code == 413
    assert "Mo" in response.content.decode()


def test_limit_leaves_room_for_a_ten_megabyte_document(partner: Any, caseworker: Any) -> None:
    assert settings.MAX_REQUEST_BYTES > settings.MAX_UPLOAD_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= settings.MAX_REQUEST_BYTES
    case = active_case(partner=partner, actor=caseworker, first_name="Ana", last_name="Roy")
    pdf = SimpleUploadedFile(
        "proof.pdf", b"%PDF-1.4\n" + b"0" * (settings.MAX_UPLOAD_BYTES - 100), "application/pdf"
    )
    response = _session(caseworker).post(
        f"/api/cases/{case.pk}/documents", {"file": pdf, "title": "Proof of rent"}
    )
    assert response.status_code == 201, response.content[:300]


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_openapi_schema_and_docs_refused_to_anonymous_users(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_openapi_schema_and_docs_served_to_signed_in_staff(caseworker: Any, path: str) -> None:
    assert _session(caseworker).get(path).status_code == 200
