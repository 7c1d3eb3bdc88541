"""What the client-realm journeys share (issue 17): a client with an account on a phone-sized
browser, their caseworker and a colleague of the same office, built through the services.

Plain functions, not fixtures: each test module wraps the ones it needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.partners.tests.factories import OfficeFactory
from caseworks.payments.tests.builders import active_case
from caseworks.portal.models import PortalAccount
from caseworks.portal.services import activation_code_issue, portal_account_activate

PASSWORD = "purple-kettle-under-the-maple-77"
# A tiny valid PNG (1×1 pixel), as a phone camera upload would be a real image.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@dataclass
class Client:
    worker: Any  # the case's caseworker
    colleague: Any  # another caseworker of the same office (the team)
    case: Any
    person: Any
    account: PortalAccount


def client_with_account(partner: Any, username: str = "amira") -> Client:
    office = OfficeFactory(delivery_partner=partner, name="Sudbury North")
    worker = UserFactory(
        role=Role.CASEWORKER,
        delivery_partner=partner,
        office=office,
        first_name="Chantal",
        last_name="Bélanger",
    )
    colleague = UserFactory(
        role=Role.CASEWORKER,
        delivery_partner=partner,
        office=office,
        first_name="Marc",
        last_name="Tremblay",
    )
    case = active_case(partner=partner, actor=worker, first_name="Amira", last_name="Haddad")
    person = case.members.get(role=MemberRole.APPLICANT).person
    _row, code = activation_code_issue(acting_user=worker, benefit_unit=case, person=person)
    account = portal_account_activate(
        code=code,
        date_of_birth=person.date_of_birth,
        case_number=case.case_number,
        username=username,
        password=PASSWORD,
    )
    return Client(worker=worker, colleague=colleague, case=case, person=person, account=account)


def phone_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(
        locale="en-CA", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    return context


def in_french(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def sign_in(page: Page, base: str, language: str, username: str = "amira") -> None:
    """The portal's sign-in page, in the language asked, then the password."""
    page.goto(f"{base}/my/login/")
    if language == "fr":
        in_french(page)
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def shown_date(day: dt.date, language: str) -> str:
    """A date as the pages show it (DATE_FORMAT of the language)."""
    with translation.override(language):
        return str(formats.date_format(day, "DATE_FORMAT"))
