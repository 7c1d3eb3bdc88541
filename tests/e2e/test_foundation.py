"""Issue 2 in the browser: each role signs in and sees only what the role allows."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.cases.tests.factories import make_case

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_in_english_and_french(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "login (en)")
    screenshot(page, "login")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page, "login (fr)")


@pytest.mark.parametrize(
    ("role", "sees_search"),
    [
        (Role.INTAKE_CLERK, True),
        (Role.CASEWORKER, True),
        (Role.EMPLOYMENT_CASEWORKER, True),
        (Role.SUPERVISOR, True),
        (Role.PARTNER_ADMIN, False),
        (Role.AUDITOR, True),
    ],
)
def test_each_role_signs_in_and_sees_only_what_it_may(
    page: Page, live_server: Any, partner: Any, role: str, sees_search: bool
) -> None:
    user = UserFactory(role=role, delivery_partner=partner)
    login(page, live_server.url, user.username, TEST_PASSWORD)
    expect(page.get_by_role("main")).to_be_visible()
    assert_accessible(page, f"home as {role}")
    response = page.goto(f"{live_server.url}/clients/?q=a")
    assert response is not None
    assert response.status == (200 if sees_search else 403)
    assert page.get_by_role("heading", level=1).count() == 1


def test_ministry_analyst_cannot_open_a_client_file(
    page: Page, live_server: Any, partner: Any
) -> None:
    case = make_case(partner=partner)
    person = case.members.get().person
    analyst = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)
    login(page, live_server.url, analyst.username, TEST_PASSWORD)
    response = page.goto(f"{live_server.url}/clients/{person.pk}/")
    assert response is not None
    assert response.status == 403


def test_caseworker_of_another_partner_gets_404_for_a_client(
    page: Page, live_server: Any, partner: Any, other_partner: Any
) -> None:
    case = make_case(partner=partner)
    person = case.members.get().person
    stranger = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
    login(page, live_server.url, stranger.username, TEST_PASSWORD)
    response = page.goto(f"{live_server.url}/clients/{person.pk}/")
    assert response is not None
    assert response.status == 404


def test_case_page_is_accessible(page: Page, live_server: Any, partner: Any) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    case = make_case(partner=partner, caseworker=worker, first_name="Amélie", last_name="Côté")
    login(page, live_server.url, worker.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_text(case.case_number).first).to_be_visible()
    assert_accessible(page, "case page")
    screenshot(page, "case-page")
