"""Issue 13, attack 8: a 30 MB body answers 413 with a message (it answered 500), uploads up to
the 10 MB document limit still work, and the OpenAPI schema and docs are not served to
anonymous users."""

from __future__ import annotations

import json
import re
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


_FAR_DATES = {"month": "9999-12", "date": "9999-12-31", "date-time": "9999-12-31T23:59:59Z"}


def _date_inputs(schema: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) of every API input that is a month or a date."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if name.endswith(("month", "_on", "_at", "date")) and parameter["in"] == "query":
                    found.append((method, path, "query", name))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            ref = body["schema"].get("$ref", "")
            component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
            for name, field in component.get("properties", {}).items():
                kind = field.get("format") or ("month" if name.endswith("month") else "")
                if kind in _FAR_DATES:
                    found.append((method, path, "body", name))
    return found


def test_a_month_or_date_of_year_9999_answers_4xx_on_every_api_input(partner: Any) -> None:
    """The attack sent 9999-12 as a month and got 500. Every month and date the API takes, in
    a query or a body, far in the future: a 4xx with a message, or an answer; never a 500."""
    from caseworks.payments.tests.builders import payment_staff  # noqa: PLC0415

    supervisor = payment_staff(partner)["supervisor"]
    client = _session(supervisor)
    schema = client.get("/api/openapi.json").json()
    inputs = _date_inputs(schema)
    assert len(inputs) >= 8, inputs  # the sweep reaches the API's dates (9 in December 2026)
    for method, path, where, name in inputs:
        url = "/api" + path.removeprefix("/api") if path.startswith("/api") else f"/api{path}"
        url = re.sub(r"\{[^}]+\}", "1", url)
        value = "9999-12" if name.endswith("month") else "9999-12-31"
        if where == "query":
            response = getattr(client, method)(url, {name: value})
        else:
            response = getattr(client, method)(
                url,
                json.dumps({name: value}),
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"far-{method}-{path}-{name}"[:100],
            )
        assert response.status_code < 500, (method, path, name, response.content[:300])
