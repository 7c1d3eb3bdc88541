"""Issue 16 in the browser (English and French): a caseworker asks to authorize a vendor for the
client's 25 % share of an Assistive Devices Program device, typing the ADP price the way the
page's language writes amounts; a second person approves it (the letter is stored on the case);
the caseworker records the vendor's invoice; the between-run batch pays the vendor. The limit
shown = the letter = the invoice = the payment = the ledger entry, to the cent. axe scans each
page; the submits are the step budget.

Worked by hand: ADP price $1,234.01 x 25 % = $308.5025, rounded half up to $308.50."""

from __future__ import annotations

import io
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.payments.constants import HealthAuthorizationStatus, LedgerEntryKind
from caseworks.payments.models import HealthAuthorization, LedgerEntry
from caseworks.payments.services.onetime import one_time_batch_issue
from caseworks.payments.tests.builders import active_case

from .conftest import StaffDesk, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"
WORDS = {
    "en": {
        "price": "1,234.01",
        "limit": "$308.50",
        "remaining": "$0.00",
        "invoice": "308.50",
        "link": "Health benefit authorizations",
        "requested": "another person must approve it",
        "approve": "Approve",
        "approved": "The authorization is approved",
        "recorded": "The invoice is recorded",
    },
    "fr": {
        "price": "1 234,01",
        "limit": f"308,50{NBSP}$",
        "remaining": f"0,00{NBSP}$",
        "invoice": "308,50",
        "link": "Autorisations de prestations de santé",
        "requested": "une autre personne doit l’approuver",
        "approve": "Approuver",
        "approved": "L’autorisation est approuvée",
        "recorded": "La facture est enregistrée",
    },
}


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace(NBSP, " ").replace("\u202f", " ")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_adp_share_from_request_to_the_vendors_payment_in_the_browser(
    staff_desk: StaffDesk, live_server: Any, partner: Any, language: str
) -> None:
    words = WORDS[language]
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    finance = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    case = active_case(partner=partner, actor=worker, first_name="Amara", last_name="Okafor")
    base = live_server.url

    # The caseworker asks for the authorization from the case's money page.
    page, steps = staff_desk(worker, base, language)
    page.goto(f"{base}/payments/cases/{case.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=words["link"]).click()
    assert_accessible(page, f"authorizations ({language})")
    page.select_option("#id_kind", "adp_share")
    page.fill("#id_ends_on", "2099-12-31")  # too long: refused with the rule, nothing saved
    page.fill("#id_device_price", words["price"])
    page.fill("#id_reason", "Hearing aid (synthetic)")
    page.fill("#id_vendor_name", "Hearing Co")
    page.fill("#id_vendor_address", "5 Main St, Ottawa")
    page.check("input[name=method][value=cheque]")
    with page.expect_navigation():
        page.locator("#request-submit").click()
    expect(page.locator("#id_ends_on_error")).to_be_visible()
    assert_accessible(page, f"request refused ({language})")
    assert HealthAuthorization.objects.count() == 0
    page.fill("#id_ends_on", page.input_value("#id_starts_on"))
    with page.expect_navigation():
        page.locator("#request-submit").click()
    expect(page.get_by_text(words["requested"])).to_be_visible()
    expect(page.locator("#authorization-limit")).to_have_text(words["limit"])
    steps.assert_within(submits=2, journey="health authorization: request")
    assert steps.submits == 2  # one refused on purpose (the period), then the request
    auth = HealthAuthorization.objects.get()
    assert auth.limit_cents == 30_850

    # A second person approves it; the letter is stored in both languages.
    page2, steps2 = staff_desk(supervisor, base, language)
    page2.goto(f"{base}/payments/cases/{case.pk}/health/{auth.pk}/")
    assert_accessible(page2, f"authorization to decide ({language})")
    page2.get_by_label(words["approve"], exact=True).check()
    with page2.expect_navigation():
        page2.locator("#decide-submit").click()
    expect(page2.get_by_text(words["approved"])).to_be_visible()
    steps2.assert_within(submits=1, journey="health authorization: approve")
    assert steps2.submits == 1
    letter_link = page2.locator(f"#letter-{language}")
    letter = page2.request.get(f"{base}{letter_link.get_attribute('href')}")
    assert letter.ok
    text = _pdf_text(letter.body())
    assert words["limit"].replace(NBSP, " ") in text
    assert "Hearing Co" in text

    # The caseworker records the vendor's invoice for the whole limit.
    page.goto(f"{base}/payments/cases/{case.pk}/health/{auth.pk}/")
    page.fill("#id_invoice-invoice_number", "HC-77")
    page.fill("#id_invoice-amount", words["invoice"])
    with page.expect_navigation():
        page.locator("#invoice-submit").click()
    expect(page.get_by_text(words["recorded"])).to_be_visible()
    expect(page.locator("#authorization-remaining")).to_have_text(words["remaining"])
    assert_accessible(page, f"invoice recorded ({language})")

    # The between-run batch pays the vendor the same cents.
    batch = one_time_batch_issue(acting_user=finance, idempotency_key=f"e2e-health-{language}")
    payment = batch.payments.get()
    assert (payment.amount_cents, payment.payee_name, payment.method) == (
        30_850,
        "Hearing Co",
        "cheque",
    )
    entry = LedgerEntry.objects.get(kind=LedgerEntryKind.ONE_TIME_PAYMENT)
    assert entry.amount_cents == 30_850
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.PAID
