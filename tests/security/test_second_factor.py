"""Attack: nobody had a second factor, including those who release payments (issue 13, point 3).

Now every staff session passes one before any page, and payment, bank-detail and override API
operations refuse a token that was not made after one."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import TEST_PASSWORD
from caseworks.core.models import AuditEvent
from caseworks.payments.models import IncomeReport
from caseworks.payments.tests.test_idempotency import _world

pytestmark = pytest.mark.django_db


def _password_only(user: Any) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_a_stolen_password_alone_opens_no_client_page_and_no_money_page(
    caseworker: Any,
) -> None:
    TOTPDevice.objects.create(user=caseworker, name="phone")
    thief = _password_only(caseworker)
    for path in ("/", "/clients/search/?q=Roy", "/payments/runs/", "/account/security/"):
        response = thief.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/second-factor/?next="), path
    api = thief.get("/api/me")
    assert api.status_code == 403
    assert api.json()["detail"][0]["code"] == "second_factor_required"


def test_an_account_without_a_device_must_enrol_before_anything(caseworker: Any) -> None:
    client = _password_only(caseworker)
    assert client.get("/payments/runs/")["Location"].startswith("/second-factor/setup/")
    page = client.get("/second-factor/setup/")
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, drawn inline
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    wrong = client.post("/second-factor/setup/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    answer = client.post("/second-factor/setup/", {"code": _code(device), "next": "/"})
    assert answer.status_code == 302
    assert answer["Location"].startswith("/second-factor/recovery-codes/")
    codes = client.get(answer["Location"])
    assert codes.content.decode().count("<li><code>") == 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(event_type="second_factor_enrolled").count() == 1


def test_a_wrong_code_does_not_verify_and_a_recovery_code_works_once(caseworker: Any) -> None:
    TOTPDevice.objects.create(user=caseworker, name="phone")
    verified = Client()
    verified.force_login(caseworker)
    codes = verified.post("/second-factor/recovery-codes/")
    code = codes.content.decode().split("<li><code>")[1].split("</code>")[0]
    assert StaticToken.objects.filter(token=code).exists()
    client = _password_only(caseworker)
    assert client.post("/second-factor/", {"code": "123456"}).status_code == 200
    assert client.get("/").status_code == 302
    assert client.post("/second-factor/", {"code": code, "next": "/"})["Location"] == "/"
    assert client.get("/").status_code == 200
    again = _password_only(caseworker)
    assert again.post("/second-factor/", {"code": code}).status_code == 200  # spent
    assert again.get("/").status_code == 302


def test_an_offsite_next_after_the_second_factor_goes_home(caseworker: Any) -> None:
    device = TOTPDevice.objects.create(user=caseworker, name="phone")
    client = _password_only(caseworker)
    answer = client.post("/second-factor/", {"code": _code(device), "next": "https://evil.test/"})
    assert answer["Location"] == "/"


def _income_report(api: Client, world: Any) -> Any:
    body = {
        "person_id": world.person_id,
        "income_month": "2026-03",
        "amounts": {"earnings": "100.00"},
        "expected_version": world.unit.version,
    }
    return api.post(
        f"/api/payments/cases/{world.unit.pk}/income-reports",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def test_a_token_made_without_a_second_factor_cannot_move_money(partner: Any) -> None:
    world = _world(partner)
    worker = world.staff["caseworker"]
    _row, raw = api_token_create(acting_user=worker, user=worker, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/me").status_code == 200  # reading is allowed
    refused = _income_report(api, world)
    assert refused.status_code == 403
    assert "second factor" in refused.json()["detail"][0]["message"]
    assert not IncomeReport.objects.exists()
    _row, raw = api_token_create(acting_user=worker, user=worker, name="ok", second_factor=True)
    accepted = _income_report(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), world)
    assert accepted.status_code == 201, accepted.content


def test_a_token_made_in_a_verified_session_is_marked_and_a_token_cannot_make_tokens(
    caseworker: Any,
) -> None:
    session = Client()
    session.force_login(caseworker)  # a verified session (see caseworks/conftest.py)
    made = session.post(
        "/api/me/tokens", json.dumps({"name": "from the browser"}), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    # A stolen token must not renew itself past its 90 days or outlive its revocation.
    by_token = Client(HTTP_AUTHORIZATION=f"Bearer {made.json()['token']}").post(
        "/api/me/tokens", json.dumps({"name": "chained"}), content_type="application/json"
    )
    assert by_token.status_code == 403
    marks = dict(caseworker.api_tokens.values_list("name", "second_factor_at"))
    assert list(marks) == ["from the browser"]
    assert marks["from the browser"] is not None


@pytest.mark.unverified_session
def test_force_login_without_the_second_factor_reaches_no_page(caseworker: Any) -> None:
    client = Client()
    client.force_login(caseworker)
    assert client.get("/payments/runs/").status_code == 302
