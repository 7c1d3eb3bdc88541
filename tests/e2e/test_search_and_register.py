"""Client search and the register form in the browser, in English and French (issue 15).

Search: a hyphenated surname alone, an accented compound name typed with or without accents,
a case number that opens its case. Register: one submission shows every error (email, future
birth date, SIN, postal code) with what was typed kept, the second one registers. Submit counts
are asserted: they are the journeys' step budgets.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import Person
from caseworks.clients.tests.factories import PersonFactory

from .conftest import StaffDesk, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH = {"en": "Search", "fr": "Rechercher"}
REGISTER = {"en": "Register client", "fr": "Inscrire le client"}
FOUND_ONE = {"en": "1 client found", "fr": "1 client trouvé"}
PROBLEM = {"en": "There is a problem", "fr": "Il y a un problème"}
VALID_SIN = "046454286"  # the Government of Canada's published sample SIN (passes Luhn)


@pytest.fixture
def signed_in(staff_desk: StaffDesk) -> StaffDesk:
    return staff_desk


def _search(page: Page, base: str, text: str, language: str) -> None:
    """One submit: type in the search box and press the Search button."""
    page.goto(f"{base}/clients/")
    page.fill("#id_q", text)
    with page.expect_navigation():
        page.locator(".search-box__row").get_by_role("button", name=SEARCH[language]).click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_search_finds_compound_names_and_opens_a_case_by_number(
    signed_in: Any, live_server: Any, partner: Any, language: str
) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    PersonFactory(delivery_partner=partner, first_name="Amara", last_name="Okafor-Test")
    PersonFactory(delivery_partner=partner, first_name="Jean-Philippe", last_name="Thériault")
    PersonFactory(delivery_partner=partner, first_name="Philippa", last_name="Okonkwo")
    case = make_case(partner=partner, caseworker=worker, last_name="Ouellette")
    page, steps = signed_in(worker, live_server.url, language)
    base = live_server.url

    _search(page, base, "Okafor-Test", language)
    expect(page.locator("#results-title")).to_have_text(FOUND_ONE[language])
    expect(page.locator("#search-results tbody")).to_contain_text("Okafor-Test, Amara")
    assert_accessible(page, f"search results ({language})")

    for typed in ("Jean-Philippe Thériault", "jean philippe theriault", "Theriault"):
        _search(page, base, typed, language)
        expect(page.locator("#results-title")).to_have_text(FOUND_ONE[language])
        expect(page.locator("#search-results tbody")).to_contain_text("Thériault, Jean-Philippe")

    _search(page, base, case.case_number, language)
    assert page.url.rstrip("/").endswith(f"/cases/{case.pk}")
    expect(page.locator("h1")).to_contain_text(case.case_number)
    assert_accessible(page, f"case opened from search ({language})")
    # Step budget: one submit per search, and a case number is one submit to its case.
    steps.assert_within(submits=5, journey="five searches, the last opening a case by number")
    assert steps.submits == 5


@pytest.mark.parametrize("language", ["en", "fr"])
def test_register_form_shows_every_error_in_one_submit_and_keeps_what_was_typed(
    signed_in: Any, live_server: Any, partner: Any, language: str
) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    page, steps = signed_in(worker, live_server.url, language)
    page.goto(f"{live_server.url}/clients/new/")
    # The date box is a text box with the hint's format: typing the hint gives the hint.
    expect(page.locator("#id_date_of_birth")).to_have_attribute("type", "text")
    expect(page.locator("#id_date_of_birth_helptext")).to_contain_text("1990-05-17")
    page.fill("#id_first_name", "Nadia")
    page.fill("#id_last_name", "Côté-Haddad")
    page.fill("#id_date_of_birth", "2999-01-01")
    page.fill("#id_sin", "123 456 789")
    page.fill("#id_email", "nadia-at-example")
    page.fill("#id_postal_code", "ABC")
    page.fill("#id_city", "Sudbury")
    with page.expect_navigation():
        page.get_by_role("button", name=REGISTER[language]).click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(PROBLEM[language])
    expect(summary.locator("li")).to_have_count(4)
    for field in ("email", "date_of_birth", "sin", "postal_code"):
        expect(page.locator(f"#id_{field}_error")).to_be_visible()
        expect(summary.locator(f'a[href="#id_{field}"]')).to_have_count(1)
    # What was typed is kept, except the SIN (never written back into a page).
    expect(page.locator("#id_first_name")).to_have_value("Nadia")
    expect(page.locator("#id_last_name")).to_have_value("Côté-Haddad")
    expect(page.locator("#id_date_of_birth")).to_have_value("2999-01-01")
    expect(page.locator("#id_email")).to_have_value("nadia-at-example")
    expect(page.locator("#id_postal_code")).to_have_value("ABC")
    expect(page.locator("#id_city")).to_have_value("Sudbury")
    expect(page.locator("#id_sin")).to_have_value("")
    assert_accessible(page, f"register form with errors ({language})")

    page.fill("#id_date_of_birth", "1990-05-17")
    page.fill("#id_sin", VALID_SIN)
    page.fill("#id_email", "nadia@example.com")
    page.fill("#id_postal_code", "p3a1a1")
    with page.expect_navigation():
        page.get_by_role("button", name=REGISTER[language]).click()

    person = Person.objects.get(last_name="Côté-Haddad")
    assert page.url.rstrip("/").endswith(f"/clients/{person.pk}")
    assert person.postal_code == "P3A 1A1"
    assert str(person.date_of_birth) == "1990-05-17"
    assert person.sin_last3 == "286"
    # Step budget: all errors in one submit, registered on the second.
    steps.assert_within(submits=2, journey="register a client (one refused try)")
    assert steps.submits == 2
