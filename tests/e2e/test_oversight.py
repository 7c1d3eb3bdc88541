"""Issue 7 in the browser: an analyst compares two partners and exports CSV; a partner
administrator sees only their own partner beside the provincial figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.cases.services import case_status_change
from caseworks.cases.tests.factories import make_case
from caseworks.partners.tests.factories import DeliveryPartnerFactory

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _caseload(partner: Any, size: int) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    for _ in range(size):
        case = make_case(partner=partner, caseworker=worker)
        case_status_change(acting_user=worker, benefit_unit=case, to_status="active")


def test_analyst_compares_two_partners_and_exports_csv(page: Page, live_server: Any) -> None:
    north = DeliveryPartnerFactory(code="north", name="Northern Test DSSAB")
    south = DeliveryPartnerFactory(code="south", name="Southern Test CMSM")
    _caseload(north, 12)
    _caseload(south, 3)
    analyst = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)

    login(page, live_server.url, analyst.username, TEST_PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#measures-table")).to_be_visible()
    assert_accessible(page, "dashboard")
    screenshot(page, "dashboard")

    form = page.locator("#compare-form")
    form.get_by_label("First partner").select_option(str(north.pk))
    form.get_by_label("Second partner").select_option(str(south.pk))
    page.click("#compare-submit")
    page.wait_for_load_state("networkidle")
    body = page.locator("main")
    expect(body).to_contain_text("Northern Test DSSAB")
    expect(body).to_contain_text("Southern Test CMSM")
    assert_accessible(page, "comparison")

    with page.expect_download() as download_info:
        page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text("utf-8-sig"))))
    text = "\n".join(",".join(row) for row in rows)
    assert "Northern Test DSSAB" in text
    assert "Southern Test CMSM" in text
    # 3 cases is under 10 people: suppressed, never shown as a count.
    assert any("<10" in cell or cell == "" for row in rows for cell in row)
    assert ",3," not in text


def test_partner_admin_sees_own_partner_beside_province_only(page: Page, live_server: Any) -> None:
    mine = DeliveryPartnerFactory(code="mine", name="My Test CMSM")
    theirs = DeliveryPartnerFactory(code="theirs", name="Their Test CMSM")
    _caseload(mine, 11)
    _caseload(theirs, 11)
    admin = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=mine)

    login(page, live_server.url, admin.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/reporting/")
    main = page.locator("main")
    expect(main).to_contain_text("My Test CMSM")
    expect(main).not_to_contain_text("Their Test CMSM")
    expect(main).to_contain_text("Ontario")
    assert_accessible(page, "partner dashboard")
    response = page.goto(f"{live_server.url}/reporting/partners/{theirs.pk}/")
    assert response is not None
    assert response.status == 404
    response = page.goto(f"{live_server.url}/reporting/compare/?first={mine.pk}&second={theirs.pk}")
    assert response is not None
    assert response.status == 403
