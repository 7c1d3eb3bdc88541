"""Issue 17 in the browser, on a phone (390×844), in English and French, with axe on every page:
activation, "nothing changed" in one submit, an income report with a pay stub and the preview in
at most three submits, a French letter download, and a bank-detail change with a second factor.

The world is built through the services, relative to today: the case opened three months ago,
last month's payment was made (a statement), and the client now reports last month's income for
this month's payment, which is not paid yet.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page

from caseworks.cases.constants import MemberRole
from caseworks.payments.models import BankDetailChange, IncomeReport
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case, payment_staff
from caseworks.portal.models import PortalAccount, ReportReceipt
from caseworks.portal.services import activation_code_issue, portal_account_activate

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "purple-kettle-under-the-maple-77"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class Scene:
    staff: dict[str, Any]
    case: Any
    person: Any


@pytest.fixture
def scene(partner: Any) -> Scene:
    staff = payment_staff(partner)
    this_month = timezone.localdate().replace(day=1)
    opened = this_month - relativedelta(months=3)
    case = active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Amira",
        last_name="Haddad",
        opened_on=opened + dt.timedelta(days=2),
        bank=("004", "12345", "1234567"),
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"],
        delivery_partner=partner,
        benefit_month=this_month - relativedelta(months=1),
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    payment_run_release(acting_user=staff["supervisor"], run=run)
    case.refresh_from_db()
    person = case.members.get(role=MemberRole.APPLICANT).person
    return Scene(staff=staff, case=case, person=person)


class Submits:
    """Counts the form submissions (POST navigations) the client makes."""

    def __init__(self, page: Page) -> None:
        self.count = 0
        page.on(
            "request",
            lambda r: self._seen(r) if r.is_navigation_request() and r.method == "POST" else None,
        )

    def _seen(self, _request: Any) -> None:
        self.count += 1


def _french(page: Page) -> None:
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"


def _open_account(scene: Scene, username: str = "amira") -> PortalAccount:
    _row, code = activation_code_issue(
        acting_user=scene.staff["caseworker"], benefit_unit=scene.case, person=scene.person
    )
    return portal_account_activate(
        code=code,
        date_of_birth=scene.person.date_of_birth,
        case_number=scene.case.case_number,
        username=username,
        password=PASSWORD,
    )


def _sign_in(page: Page, base: str, username: str = "amira") -> None:
    page.goto(f"{base}/my/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_activation_then_nothing_changed_in_one_submit(
    live_server: Any, phone: Page, scene: Scene, language: str
) -> None:
    base = live_server.url
    _row, code = activation_code_issue(
        acting_user=scene.staff["caseworker"], benefit_unit=scene.case, person=scene.person
    )
    phone.goto(f"{base}/my/login/")
    if language == "fr":
        _french(phone)
        assert "Connexion à Mon Ontario au travail" in phone.content()
    assert_accessible(phone, "portal login")
    screenshot(phone, f"portal-login-{language}")
    phone.goto(f"{base}/my/activate/")
    assert_accessible(phone, "activation")
    phone.fill("#id_code", code)
    phone.fill("#id_case_number", scene.case.case_number)
    phone.fill("#id_date_of_birth", scene.person.date_of_birth.isoformat())
    phone.fill("#id_username", f"amira{language}")
    phone.fill("#id_password", PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert phone.url == f"{base}/my/"
    heading = "Bonjour, Amira" if language == "fr" else "Hello, Amira"
    assert heading in phone.content()
    assert_accessible(phone, "home")
    screenshot(phone, f"portal-home-{language}")

    phone.goto(f"{base}/my/report/")
    assert_accessible(phone, "report")
    screenshot(phone, f"portal-report-{language}")
    submits = Submits(phone)
    phone.locator("#nothing-changed").click()
    phone.wait_for_load_state("networkidle")
    assert submits.count == 1
    receipt = ReportReceipt.objects.get()
    assert f"/my/report/receipts/{receipt.pk}/" in phone.url
    assert receipt.number in phone.content()
    if language == "fr":
        assert "Votre déclaration est reçue" in phone.content()
    assert_accessible(phone, "receipt")


def _stub_pdf(net: str) -> bytes:
    import weasyprint  # noqa: PLC0415

    html = (
        "<h1>Maple Bakery</h1><p>Pay period: two weeks</p>"
        f"<p>Gross pay 700.00</p><p>Net pay {net}</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_income_report_with_a_pay_stub_and_the_preview_in_three_submits(
    live_server: Any, phone: Page, scene: Scene, language: str, tmp_path: Any
) -> None:
    account = _open_account(scene)
    base = live_server.url
    _sign_in(phone, base)
    if language == "fr":
        _french(phone)
    stub = tmp_path / "stub.pdf"
    stub.write_bytes(_stub_pdf("612.34"))
    phone.goto(f"{base}/my/report/")
    assert phone.locator("#id_stub").get_attribute("accept") == "image/*,application/pdf"
    assert phone.locator("#id_stub").get_attribute("capture") is not None
    submits = Submits(phone)
    phone.set_input_files("#id_stub", str(stub))
    phone.locator("form[action='/my/report/stub/'] button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    own = phone.locator(f"#id_p{account.person_id}_earnings")
    expected = "612,34" if language == "fr" else "612.34"
    assert own.input_value() == expected  # read from the stub, for the client to confirm
    assert not IncomeReport.objects.exists()  # nothing recorded without confirmation
    assert_accessible(phone, "report with the stub read")
    phone.locator("button[value=preview]").click()
    phone.wait_for_load_state("networkidle")
    preview = phone.locator(".panel--preview").inner_text()
    assert "$" in preview
    assert_accessible(phone, "preview")
    screenshot(phone, f"portal-preview-{language}")
    phone.locator("button[value=send]").click()
    phone.wait_for_load_state("networkidle")
    assert submits.count <= 3
    assert submits.count == 3
    report = IncomeReport.objects.get(person=account.person, kind="earnings")
    assert report.amount_cents == 61_234
    assert report.proof is not None
    receipt = ReportReceipt.objects.get()
    assert receipt.preview_payment_cents is not None
    amount = phone.locator("table").inner_text()
    assert ("612,34" if language == "fr" else "612.34") in amount


def test_french_letter_download_and_statement(live_server: Any, phone: Page, scene: Scene) -> None:
    _open_account(scene)
    base = live_server.url
    _sign_in(phone, base)
    _french(phone)
    phone.goto(f"{base}/my/statements/")
    assert_accessible(phone, "statements")
    phone.locator("main ul a").first.click()
    phone.wait_for_load_state("networkidle")
    assert "Relevé de" in phone.content()
    amount = phone.locator(".big-number").inner_text()
    assert re.fullmatch(r"\d[\d\u00a0\u202f]*,\d\d\u00a0\$", amount), amount
    assert_accessible(phone, "statement")
    screenshot(phone, "portal-statement-fr")
    phone.goto(f"{base}/my/letters/")
    assert_accessible(phone, "letters")
    with phone.expect_download() as download_info:
        phone.get_by_role("button", name="Obtenir ma preuve d’aide sociale (PDF)").click()
    download = download_info.value
    content = open(download.path(), "rb").read()  # noqa: SIM115
    assert content.startswith(b"%PDF")
    phone.goto(f"{base}/my/letters/")
    with phone.expect_download() as again:
        phone.locator("main ul a").first.click()
    assert open(again.value.path(), "rb").read().startswith(b"%PDF")  # noqa: SIM115


def _totp(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_bank_change_needs_a_second_factor(
    live_server: Any, phone: Page, scene: Scene, tmp_path: Any
) -> None:
    account = _open_account(scene)
    base = live_server.url
    _sign_in(phone, base)
    phone.goto(f"{base}/my/bank/")
    phone.wait_for_load_state("networkidle")
    if "/my/account/reauthenticate/" in phone.url:  # adding a second factor: password again
        assert_accessible(phone, "reauthenticate")
        phone.fill("#id_password", PASSWORD)
        phone.locator("main form button[type=submit]").last.click()
        phone.wait_for_load_state("networkidle")
    assert "/my/account/2fa/totp/activate/" in phone.url  # set up a second factor first
    assert_accessible(phone, "authenticator set-up")
    secret = phone.locator("#authenticator_secret").input_value()
    phone.fill("#id_code", _totp(secret))
    phone.locator("#id_code").press("Enter")
    phone.wait_for_load_state("networkidle")
    # The authenticator just set up is the second factor of this session (its code proved it).
    phone.goto(f"{base}/my/bank/")
    phone.wait_for_load_state("networkidle")
    assert phone.url.startswith(f"{base}/my/bank/")
    assert_accessible(phone, "bank form")
    screenshot(phone, "portal-bank-en")
    proof = tmp_path / "cheque.png"
    proof.write_bytes(PNG)
    phone.fill("#id_holder_name", "Amira Haddad")
    phone.fill("#id_institution", "003")
    phone.fill("#id_transit", "54321")
    phone.fill("#id_account", "7654321")
    phone.set_input_files("#id_proof", str(proof))
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    change = BankDetailChange.objects.get(benefit_unit=scene.case)
    assert (change.status, change.requested_by_id) == ("pending", account.user_id)
    assert "waiting for staff" in phone.content()
