"""Issue 4 in the browser: intake clerk books, caseworker applies, uploads, determines, grants,
downloads the notice. axe-core scans every page on the way."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.applications.models import Appointment
from caseworks.clients.tests.factories import PersonFactory
from caseworks.eligibility.models import Decision

from .conftest import assert_accessible, login, screenshot
from .steps import StepCounter

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_intake_to_decision_journey(
    page: Page, live_server: Any, partner: Any, tmp_path: Path
) -> None:
    base = live_server.url
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner, first_name="Iris")
    worker = UserFactory(
        role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal", last_name="Roy"
    )
    applicant = PersonFactory(
        delivery_partner=partner,
        first_name="Marie",
        last_name="Tremblay",
        date_of_birth=dt.date(1988, 3, 2),
        language_preference="fr",
    )

    steps = StepCounter(page)
    # 1. The intake clerk screens the caller and books the intake appointment.
    login(page, base, clerk.username, TEST_PASSWORD)
    assert_accessible(page, "clerk home")
    page.get_by_role("link", name="New inquiry").click()
    assert_accessible(page, "inquiry form")
    page.fill("#id_caller_name", "Marie Tremblay")
    page.fill("#id_monthly_income", "300.00")
    page.fill("#id_shelter_cost", "800.00")
    page.click("#prescreen-submit")
    expect(page.locator("#prescreen-result")).to_contain_text("Likely eligible")
    assert_accessible(page, "pre-screen result")
    page.click("#book-appointment")
    assert_accessible(page, "booking form")
    page.select_option("#id_caseworker", str(worker.pk))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_day", tomorrow.isoformat())
    page.select_option("#id_start_time", "10:00")
    page.click("#book-submit")
    expect(page.get_by_text("Appointment booked")).to_be_visible()
    assert_accessible(page, "calendar")
    assert Appointment.objects.filter(caseworker=worker).count() == 1
    sign_out(page)

    # 2. The caseworker completes the application (single person, one income source).
    login(page, base, worker.username, TEST_PASSWORD)
    page.goto(f"{base}/clients/{applicant.pk}/")
    assert_accessible(page, "client page")
    page.click("#start-application")
    assert_accessible(page, "start application")
    page.click("#start-submit")
    assert_accessible(page, "application form")
    page.select_option("#id_income-0-income_type", "earnings")
    page.fill("#id_income-0-monthly_amount", "300.00")
    page.select_option("#id_app-shelter_type", "rent")
    page.fill("#id_app-shelter_cost", "800.00")
    page.check("#id_app-consent_to_verification")
    page.click("#save-and-verify")

    # 3. Upload the proof and complete the verification checklist in one submit.
    assert_accessible(page, "verification checklist")
    lease = tmp_path / "lease.pdf"
    lease.write_bytes(LEASE_PDF)
    page.set_input_files("#id_upload-file", str(lease))
    page.fill("#id_upload-title", "Lease")
    items = page.locator("[id^='id_item-'][id$='-status_1']")
    for index in range(items.count()):
        page.check(f"#id_item-{index}-status_1")
        page.select_option(f"#id_item-{index}-document", "uploaded")
    page.click("#save-checklist")
    assert_accessible(page, "checklist saved")

    # 4. Run the determination: the budget is laid out line by line with citations.
    # The grant of an initial decision starts here, from a completed application (a budget).
    steps.reset()
    page.click("#run-determination")
    expect(page.locator("#determination-result")).to_contain_text("Eligible")
    expect(page.locator("#budget")).to_contain_text("O. Reg. 134/98")
    assert_accessible(page, "determination")
    screenshot(page, "determination")

    # 5. Grant, then download the notice in the client's language (French).
    page.click("#decision-submit")
    expect(page.locator("#decision-status")).to_contain_text("Final")
    assert_accessible(page, "decision")
    steps.assert_within(submits=2, journey="grant an initial decision")
    assert steps.submits == 2  # run the determination, record the decision
    with page.expect_download() as download_info:
        page.click("#notice-fr")
    download = download_info.value
    content = Path(download.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Avis de décision" in text
    assert "433,00" in text  # 733.00 - 300.00: no earnings exemption at application
    assert "30 jours" in text

    decision = Decision.objects.get()
    assert decision.benefit_unit.status == "active"
    assert decision.determination.payment_cents == 43_300
