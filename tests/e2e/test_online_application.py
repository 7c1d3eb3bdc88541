"""Issue 17 in the browser: a person with no account applies online from a phone (390×844), in
English and in French, and the application reaches the Ministry intake unit's queue, where an
intake clerk of that unit sees it (marked online and urgent) and registers the person with
everything already filled in. axe-core finds no violation (any impact) on any page of the
application; the screens are counted (step budget: at most 12 page loads, docs/step-budgets.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.applications.constants import InquiryChannel
from caseworks.applications.models import Inquiry
from caseworks.applications.services import online_application_submit
from caseworks.applications.tests.test_online import _answers
from caseworks.partners.constants import PartnerKind
from caseworks.partners.reference import MINISTRY_CODE
from caseworks.partners.tests.factories import DeliveryPartnerFactory

from .conftest import axe_violations, login
from .steps import StepCounter

pytestmark = pytest.mark.django_db(transaction=True)
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
SCREEN_BUDGET = 12

TEXT = {
    "en": {
        "start": "Apply for Ontario Works",
        "error": "Date of birth: enter the date as year-month-day",
        "hint": "Year-month-day, for example 1990-05-17",
        "sent": "Your application is sent",
        "urgent": "I have no food",
    },
    "fr": {
        "start": "Demander l’aide d’Ontario au travail",
        "error": "Date de naissance : entrez la date sous la forme année-mois-jour",
        "hint": "Année-mois-jour, par exemple 1990-05-17",
        "sent": "Votre demande est envoyée",
        "urgent": "Je n’ai pas de nourriture",
    },
}


def _no_violation(page: Page, label: str) -> None:
    violations = axe_violations(page, ALL_IMPACTS)
    assert violations == [], (label, [(v["id"], v["impact"], v["help"]) for v in violations])


def _go(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_online_application_on_a_phone_reaches_the_ministry_intake_queue(
    phone: Page, page: Page, live_server: Any, partner: Any, language: str
) -> None:
    base = live_server.url
    ministry = DeliveryPartnerFactory(
        code=MINISTRY_CODE, name="Ministry intake (test)", kind=PartnerKind.MINISTRY
    )
    text = TEXT[language]
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    steps = StepCounter(phone)
    phone.goto(f"{base}/my/apply/")
    expect(phone.locator("h1")).to_contain_text(text["start"])
    _no_violation(phone, "start")
    _go(phone, "#apply-start")
    _no_violation(phone, "about you")
    # A date typed the wrong way and no name: both named at once, the rest kept.
    phone.fill("#id_last_name", "Diallo")
    phone.fill("#id_date_of_birth", "17/05/1990")
    phone.fill("#id_phone", "905-555-0199")
    _go(phone, "#apply-continue")
    expect(phone.locator("#id_date_of_birth_error")).to_contain_text(text["error"])
    expect(phone.locator("#id_first_name_error")).to_be_visible()
    expect(phone.locator("#id_date_of_birth_helptext")).to_contain_text(text["hint"])
    expect(phone.locator("#id_last_name")).to_have_value("Diallo")
    _no_violation(phone, "about you, refused")
    phone.fill("#id_first_name", "Awa")
    phone.fill("#id_date_of_birth", "1990-05-17")
    phone.check(f"#id_language_{1 if language == 'fr' else 0}")
    _go(phone, "#apply-continue")
    _no_violation(phone, "address")
    phone.fill("#id_address_line", "12 King Street West")
    phone.fill("#id_city", "Hamilton")
    phone.fill("#id_postal_code", "l8p4r5")
    _go(phone, "#apply-continue")
    _no_violation(phone, "household")
    _go(phone, "#add-child")
    phone.fill("#id_child-0-first_name", "Mariam")
    phone.fill("#id_child-0-date_of_birth", "2019-03-02")
    _no_violation(phone, "household with a child")
    _go(phone, "#apply-continue")
    _no_violation(phone, "money")
    phone.fill("#id_monthly_income", "200")
    phone.fill("#id_shelter_cost", "950")
    phone.get_by_label(text["urgent"]).check()
    _go(phone, "#apply-continue")
    expect(phone.locator("#review-members")).to_contain_text("Mariam")
    expect(phone.locator("#review-about")).to_contain_text("L8P 4R5")
    _no_violation(phone, "review")
    phone.check("#id_consent")
    phone.check("#id_declaration")
    _go(phone, "#apply-send")
    expect(phone.locator("h1")).to_contain_text(text["sent"])
    reference = phone.locator("#apply-reference").inner_text()
    expect(phone.locator("#apply-next")).to_contain_text("2.1")
    _no_violation(phone, "sent")
    # Step budget: screens the applicant saw (page loads), one refused on purpose.
    assert steps.page_loads <= SCREEN_BUDGET, steps.page_loads
    assert steps.page_loads == 9
    steps.assert_within(submits=7, journey=f"online application ({language})")
    assert steps.submits == 7

    inquiry = Inquiry.objects.get(reference=reference)
    assert (inquiry.delivery_partner_id, inquiry.channel, inquiry.urgent) == (
        ministry.pk,
        InquiryChannel.ONLINE,
        True,
    )

    # The Ministry intake clerk sees it in the queue (online, urgent) and registers the person:
    # everything is filled in from the answers.
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=ministry, first_name="Inès")
    login(page, base, clerk.username, TEST_PASSWORD)
    page.goto(f"{base}/applications/inquiries/")
    expect(page.locator(f"#online-{inquiry.pk}")).to_contain_text(reference)
    expect(page.locator(f"#urgent-{inquiry.pk}")).to_be_visible()
    page.locator("#inquiry-queue").get_by_role("link", name="Awa Diallo").click()
    expect(page.locator("#online-answers")).to_contain_text("Mariam")
    page.click("#register-person")
    expect(page.locator("#id_first_name")).to_have_value("Awa")
    expect(page.locator("#id_date_of_birth")).to_have_value("1990-05-17")
    expect(page.locator("#id_postal_code")).to_have_value("L8P 4R5")
    _go(page, "#register-submit")
    expect(page.locator("#inquiry-person")).to_contain_text("Awa Diallo")


def test_other_partners_intake_staff_do_not_see_it(
    page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    DeliveryPartnerFactory(
        code=MINISTRY_CODE, name="Ministry intake (test)", kind=PartnerKind.MINISTRY
    )
    inquiry = online_application_submit(
        answers=_answers(), draft_key="draft-key-e2e-0123456789", sender_address="127.0.0.1"
    )
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner)
    login(page, base, clerk.username, TEST_PASSWORD)
    page.goto(f"{base}/applications/inquiries/")
    expect(page.locator(f"#online-{inquiry.pk}")).to_have_count(0)
    response = page.goto(f"{base}/applications/inquiries/{inquiry.pk}/")
    assert response is not None
    assert response.status == 404
