"""Issue 17 in the browser, on a phone (390×844), in English and French, with axe on every page:
the client reports a new rent (a wrong amount first: the error names the field) and sends a
photo of a document the verification checklist asks for; then the caseworker sees the change
waiting for verification, and the proof, on the case's "Client online" page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.models import Application, VerificationItem
from caseworks.messaging.models import ClientUpload, ReportedChange
from caseworks.payments.tests.builders import active_case
from caseworks.portal.services import activation_code_issue, portal_account_activate

from .conftest import StaffDesk, assert_accessible, screenshot
from .steps import StepCounter

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "purple-kettle-under-the-maple-77"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

WORDS = {
    "en": {
        "rent": "New rent or housing cost",
        "send_change": "Send this change",
        "pending": "Waiting for your caseworker to check it",
        "amount_bad": "12,50",
        "amount": "1,150.00",
        "shown": "$1,150.00",
        "send_document": "Send this document",
        "received": "Received: your caseworker checks it",
        "staff_pending": "Waiting for the caseworker",
        "proof": "Shelter cost",
    },
    "fr": {
        "rent": "Nouveau loyer ou coût du logement",
        "send_change": "Envoyer ce changement",
        "pending": "En attente de la vérification de votre intervenant",
        "amount_bad": "1.150",
        "amount": "1 150,00",
        "shown": "1\u00a0150,00\u00a0$",
        "send_document": "Envoyer ce document",
        "received": "Reçu : votre intervenant le vérifie",
        "staff_pending": "En attente de l'agent",
        "proof": "Frais de logement",
    },
}


def _checklist_item(case: Any, person: Any) -> VerificationItem:
    """The case's application asks for proof of identity and of the shelter cost."""
    application = Application.objects.create(
        benefit_unit=case, delivery_partner_id=case.delivery_partner_id, applied_on=case.opened_on
    )
    VerificationItem.objects.create(application=application, kind="identity", person=person)
    return VerificationItem.objects.create(application=application, kind="shelter_cost")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_client_reports_a_rent_change_and_sends_a_proof_then_the_caseworker_sees_them(
    live_server: Any,
    phone: Page,
    partner: Any,
    staff_desk: StaffDesk,
    language: str,
    tmp_path: Any,
) -> None:
    base = live_server.url
    words = WORDS[language]
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    case = active_case(partner=partner, actor=worker, first_name="Amira", last_name="Haddad")
    person = case.members.get(role="applicant").person
    item = _checklist_item(case, person)
    _row, code = activation_code_issue(acting_user=worker, benefit_unit=case, person=person)
    portal_account_activate(
        code=code,
        date_of_birth=person.date_of_birth,
        case_number=case.case_number,
        username="amira",
        password=PASSWORD,
    )

    phone.goto(f"{base}/my/login/")
    if language == "fr":
        with phone.expect_navigation():
            phone.get_by_role("button", name="Français").click()
    phone.fill("#id_login", "amira")
    phone.fill("#id_password", PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").last.click()
    expect(phone.locator("html")).to_have_attribute("lang", language)
    assert_accessible(phone, f"home ({language})")
    steps = StepCounter(phone)

    # Report a change: from the home page, the rent form; a wrong amount first.
    phone.locator("#home-changes").click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, f"report a change ({language})")
    phone.get_by_role("link", name=words["rent"]).click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, f"rent form ({language})")
    phone.fill("#id_changed_on", case.opened_on.isoformat())
    phone.fill("#id_shelter_cost", words["amount_bad"])
    with phone.expect_navigation():
        phone.get_by_role("button", name=words["send_change"]).click()
    expect(phone.locator("#id_shelter_cost")).to_have_attribute("aria-invalid", "true")
    assert not ReportedChange.objects.exists()
    assert_accessible(phone, f"rent form with an error ({language})")
    phone.fill("#id_shelter_cost", words["amount"])
    with phone.expect_navigation():
        phone.get_by_role("button", name=words["send_change"]).click()
    expect(phone.locator("#reported-changes")).to_contain_text(words["pending"])
    expect(phone.locator("#reported-changes")).to_contain_text(words["shown"])
    assert_accessible(phone, f"changes reported ({language})")
    screenshot(phone, f"portal-changes-{language}")
    steps.assert_within(submits=2, journey="report a new rent (one correction)")
    assert steps.submits == 2  # one refused on purpose (the amount), then sent
    change = ReportedChange.objects.get()
    assert (change.kind, change.shelter_cost_cents, change.status) == (
        "shelter_cost",
        115_000,
        "pending",
    )

    # Documents we need: a photo against the shelter-cost item.
    steps.reset()
    phone.goto(f"{base}/my/")
    phone.locator("#home-documents").click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone, f"documents we need ({language})")
    upload = phone.locator(f"#id_item{item.pk}-file")
    assert upload.get_attribute("accept") == "image/*,application/pdf"
    assert upload.get_attribute("capture") == "environment"
    photo = tmp_path / "lease.png"
    photo.write_bytes(PNG)
    upload.set_input_files(str(photo))
    with phone.expect_navigation():
        phone.locator(f"#item-{item.pk}").get_by_role("button", name=words["send_document"]).click()
    expect(phone.locator(f"#item-{item.pk}")).to_contain_text(words["received"])
    assert_accessible(phone, f"document sent ({language})")
    screenshot(phone, f"portal-documents-{language}")
    steps.assert_within(submits=1, journey="send a proof for a checklist item")
    assert steps.submits == 1
    assert ClientUpload.objects.get().item == item

    # The caseworker sees the change waiting for verification, and the proof, on the case.
    desk, _staff_steps = staff_desk(worker, base, language)
    desk.goto(f"{base}/messaging/cases/{case.pk}/")
    expect(desk.locator(f"#change-{change.pk}")).to_contain_text(words["staff_pending"])
    expect(desk.locator("#changes")).to_contain_text(words["shown"])
    expect(desk.locator("#uploads")).to_contain_text(words["proof"])
    assert_accessible(desk, f"case: client online ({language})")
