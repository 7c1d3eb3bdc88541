from __future__ import annotations

import datetime as dt
import logging
import re
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from caseworks.accounts.tests.factories import TEST_PASSWORD
from caseworks.clients.models import ClientFileAccess
from caseworks.documents.models import Document
from caseworks.payments.models import IncomeReport, Payment
from caseworks.portal.models import ActivationCode, PortalAccount, ReportReceipt
from caseworks.portal.services import activation_code_issue

from .conftest import JAN, PASSWORD, World, portal_login

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _key() -> str:
    return str(uuid.uuid4())


# --- Realm separation -----------------------------------------------------------------------


def test_a_staff_session_does_not_open_portal_pages(world: World) -> None:
    client = Client()
    client.force_login(world.staff["caseworker"])
    assert client.get("/").status_code == 200  # the staff home works in the staff session
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/my/login/")


def test_a_staff_account_cannot_sign_in_to_the_portal(world: World) -> None:
    client = Client()
    response = client.post(
        "/my/login/", {"login": world.staff["caseworker"].username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200  # the form again, with its error
    assert settings.PORTAL_SESSION_COOKIE_NAME not in response.cookies
    assert client.get("/my/").status_code == 302


def test_a_portal_session_does_not_open_staff_pages(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    assert client.get("/my/").status_code == 200
    # The staff realm reads its own cookie: this client has none, so it is anonymous there.
    response = client.get(reverse("clients:search"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    # Even with the portal session copied into the staff cookie by hand: signed out.
    client.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.PORTAL_SESSION_COOKIE_NAME
    ].value
    response = client.get(reverse("clients:search"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_client_account_cannot_sign_in_on_the_staff_page(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "amira", "password": PASSWORD})
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_portal_session_cookie_is_its_own_and_stays_under_my(world: World) -> None:
    client = Client()
    response = client.post("/my/login/", {"login": "amira", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    cookie = response.cookies[settings.PORTAL_SESSION_COOKIE_NAME]
    assert cookie["path"] == "/my/"
    assert cookie["httponly"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.get("/my/").status_code == 200


def test_portal_sign_ins_reach_the_security_stream_marked_as_the_client_realm(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    with caplog.at_level(logging.INFO, logger="caseworks.audit"):
        client.post("/my/login/", {"login": "amira", "password": "not-the-password-1"})
        client.post("/my/login/", {"login": "amira", "password": PASSWORD})
    lines = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    security = [line for line in lines if line.get("stream") == "security"]
    assert [line["event"] for line in security] == ["login_failed", "login_succeeded"]
    assert {line["realm"] for line in security} == {"client"}
    assert security[0]["target_user_id"] == world.account.user_id
    assert security[1]["actor_id"] == world.account.user_id
    assert "not-the-password-1" not in caplog.text


def test_portal_login_locks_out_after_five_failures(world: World) -> None:
    client = Client()
    for _ in range(4):
        client.post("/my/login/", {"login": "amira", "password": "not-the-password-1"})
    fifth = client.post("/my/login/", {"login": "amira", "password": "not-the-password-1"})
    assert fifth.status_code == 429
    locked = client.post("/my/login/", {"login": "amira", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Signing in is locked for 30 minutes" in locked.content.decode()
    assert client.get("/my/").status_code == 302  # not signed in
    # Another client's account from another address is not locked.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/my/login/", {"login": "bea", "password": PASSWORD}).status_code == 302


# --- Activation -----------------------------------------------------------------------------


def test_activation_page_opens_the_account_and_signs_in(world: World) -> None:
    _row, code = activation_code_issue(
        acting_user=world.staff["caseworker"], benefit_unit=world.case, person=world.spouse
    )
    client = Client()
    bad = client.post(
        "/my/activate/",
        {
            "code": code,
            "case_number": world.case.case_number,
            "date_of_birth": "1999-01-01",
            "username": "omar",
            "password": PASSWORD,
        },
    )
    assert bad.status_code == 200
    assert "do not match our records" in bad.content.decode()
    response = client.post(
        "/my/activate/",
        {
            "code": code,
            "case_number": world.case.case_number,
            "date_of_birth": world.spouse.date_of_birth.isoformat(),
            "username": "omar",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    assert PortalAccount.objects.get(person=world.spouse).user.username == "omar"
    assert "Omar" in client.get("/my/").content.decode()


def test_staff_page_gives_a_code_once(world: World) -> None:
    client = Client()
    client.force_login(world.staff["caseworker"])
    url = reverse("portal_staff:access", args=[world.case.pk])
    response = client.post(url, {"person": world.spouse.pk})
    page = response.content.decode()
    code = re.search(r"<strong class=\"big-number\">([A-Z0-9-]+)</strong>", page)
    assert code is not None
    assert ActivationCode.objects.get(person=world.spouse).code_hash not in page
    other = Client()
    other.force_login(world.other_staff["caseworker"])
    assert other.get(url).status_code == 404


# --- Home, statements, letters --------------------------------------------------------------


def test_home_shows_status_what_is_due_and_logs_the_read(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    page = client.get("/my/").content.decode()
    assert world.case.case_number in page
    assert "Report your income for January 2026" in page
    assert "Your last payment:" in page
    assert ClientFileAccess.objects.filter(
        user=world.account.user, view_name="portal:home", channel="portal"
    ).exists()


def test_statement_shows_the_stored_lines_with_citations_in_french(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    payment = Payment.objects.get(benefit_unit=world.case, benefit_month=JAN)
    page = client.get("/my/statements/2026/1/").content.decode()
    assert "Relevé de janvier 2026" in page
    amount = f"{payment.amount_cents // 100:,}".replace(",", "\u00a0")
    assert amount in page
    assert "$" in page
    assert "Règl. de l'Ont. 134/98" in page or "Règl. 134/98" in page or "134/98" in page
    assert client.get("/my/statements/2025/6/").status_code == 404


def test_nothing_changed_is_one_submit_and_shows_the_receipt(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    response = client.post("/my/report/nothing-changed/", {"idempotency_key": _key()})
    assert response.status_code == 302
    receipt = ReportReceipt.objects.get()
    assert response["Location"] == f"/my/report/receipts/{receipt.pk}/"
    assert receipt.number in client.get(response["Location"]).content.decode()
    assert IncomeReport.objects.filter(benefit_unit=world.case, income_month=JAN).count() == 2


def test_income_report_with_stub_is_three_submits(world: World) -> None:
    client = portal_login(Client(), world.account.user)

    stub = client.post(
        "/my/report/stub/",
        {"idempotency_key": _key(), "stub": SimpleUploadedFile("stub.png", PNG, "image/png")},
    )
    assert stub.status_code == 302
    document = Document.objects.get(title="Pay stub sent online")
    assert stub["Location"] == f"/my/report/?stub={document.pk}"
    form = client.get(stub["Location"]).content.decode()
    assert f'value="{document.pk}"' in form
    own = f"p{world.account.person_id}_earnings"
    data = {own: "600.00", "stub_id": document.pk}
    preview = client.post("/my/report/", {**data, "action": "preview", "idempotency_key": _key()})
    assert preview.status_code == 200
    assert "Your next payment" in preview.content.decode()
    assert not IncomeReport.objects.exists()
    sent = client.post("/my/report/", {**data, "action": "send", "idempotency_key": _key()})
    assert sent.status_code == 302
    report = IncomeReport.objects.get(person=world.account.person, kind="earnings")
    assert (report.amount_cents, report.proof_id) == (60_000, document.pk)


def test_report_form_names_the_field_of_a_bad_amount(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    own = f"p{world.account.person_id}_earnings"
    response = client.post("/my/report/", {own: "abc", "action": "send", "idempotency_key": _key()})
    assert response.status_code == 400
    assert "Pay received by Amira" in response.content.decode()
    assert not IncomeReport.objects.exists()


def test_french_letter_download_and_proof_of_assistance(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post("/my/letters/proof-of-assistance/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = Document.objects.get(benefit_unit=world.case, title="Preuve d'aide sociale")
    text = PdfReader(__import__("io").BytesIO(bytes(response.content))).pages[0].extract_text()
    assert "Ontario au travail" in text
    assert "Amira" in text
    page = client.get("/my/letters/").content.decode()
    assert "Preuve d&#x27;aide sociale" in page or "Preuve d'aide sociale" in page
    download = client.get(f"/my/letters/{document.pk}/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")


def test_access_log_shows_role_and_office_never_names(world: World) -> None:
    staff_client = Client()
    staff_client.force_login(world.staff["caseworker"])
    staff_client.get(reverse("clients:detail", args=[world.account.person_id]))
    client = portal_login(Client(), world.account.user)
    page = client.get("/my/access-log/").content.decode()
    assert "Caseworker" in page
    assert world.staff["caseworker"].last_name not in page
    assert world.staff["caseworker"].username not in page


def test_bank_change_asks_for_a_second_factor_first(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    response = client.get("/my/bank/")
    assert response.status_code == 302
    assert "/my/account/2fa/totp/activate/" in response["Location"]


def test_e_letters_opt_in(world: World) -> None:
    client = portal_login(Client(), world.account.user)
    client.post("/my/letters/preferences/", {"e_letters": "on"})
    world.account.refresh_from_db()
    assert world.account.e_letters is True


def test_bank_change_asks_again_when_the_second_factor_is_old(world: World) -> None:
    from allauth.mfa.models import Authenticator  # noqa: PLC0415

    Authenticator.objects.create(
        user=world.account.user,
        type=Authenticator.Type.TOTP,
        data={"secret": "JBSWY3DPEHPK3PXP"},
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    client = portal_login(Client(), world.account.user)
    response = client.get("/my/bank/")
    assert response.status_code == 302
    assert response["Location"].startswith("/my/account/2fa/reauthenticate/")
