"""Issue 10 in the browser: two households walked from registration to the bank file and a late
income report, entirely through the pages staff use, one in English and one with the interface
switched to French (amounts typed the French way). For the paid month: determination page =
decision page = notice = run = CPA-005 amount = money page; then the late report's difference =
ledger = overpayment notice, to the cent.

Every expected figure is worked by hand below from the rates (O. Reg. 134/98 s. 41 and 42): a
single person's basic needs $343.00 and maximum shelter $390.00, so $733.00 for any rent of
$390.00 or more; net earnings are deducted dollar for dollar in the first three months of
receipt (no earnings exemption yet, OW Policy Directive 5.3). Nothing is read from the code.

Queued jobs: the dry run and the release are procrastinate jobs and no worker runs here. The
live server is a thread of this test process, so the in-memory connector swapped into the one
procrastinate app (`in_memory_queue`, as in tests/money) receives the jobs the pages defer, and
`run_queued_jobs` executes each stored job with its own task and arguments, as the worker would
(the app object is process-wide, not thread-local; the rows it writes are committed, so the
pages see them on the next load).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tests.money import conftest as money
from tests.money.conftest import cpa005_credits, money_text, run_queued_jobs

from .conftest import assert_accessible, pass_second_factor, screenshot

# The API journeys' fixture: an in-memory connector in place of the queue tables.
in_memory_queue = money.in_memory_queue

pytestmark = pytest.mark.django_db(transaction=True)

APPLIED_ON = "2026-01-05"  # first benefit month: January 2026
PROOF_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Walk:
    language: str
    first_name: str
    last_name: str
    born: str
    # What the caseworker types, in the page's language.
    rent: str
    earnings: str
    asset: tuple[str, str]
    late_earnings: str  # December 2025, reported after January was paid
    # Worked by hand (see the module docstring).
    notice_cents: int
    corrected_cents: int
    overpayment_cents: int


WALKS = [
    Walk(
        language="en",
        first_name="Amara",
        last_name="Okafor-Walk",
        born="1990-04-02",
        rent="800.00",
        earnings="300.00",
        asset=("bank_account", "500.00"),  # under the $10,000 asset limit of a single person
        late_earnings="575.50",
        # $343.00 + min($800.00, $390.00) = $733.00; − $300.00 earnings = $433.00
        notice_cents=43_300,
        # January recalculated on December's $575.50: $733.00 − $575.50 = $157.50
        corrected_cents=15_750,
        # paid $433.00, due $157.50: overpaid $433.00 − $157.50 = $275.50
        overpayment_cents=27_550,
    ),
    Walk(
        language="fr",
        first_name="Benoît",
        last_name="Gagnon-Parcours",
        born="1988-11-30",
        rent="1 100,00",
        earnings="450,00",
        asset=("bank_account", "2 500,00"),  # under the $10,000 asset limit
        late_earnings="650,00",
        # 343,00 $ + min(1 100,00 $, 390,00 $) = 733,00 $; − 450,00 $ = 283,00 $
        notice_cents=28_300,
        # 733,00 $ − 650,00 $ = 83,00 $
        corrected_cents=8_300,
        # 283,00 $ − 83,00 $ = 200,00 $
        overpayment_cents=20_000,
    ),
]

SIGN_IN = {"en": "Sign in", "fr": "Se connecter"}
OVERPAYMENT_TITLE = {"en": "Notice of overpayment", "fr": "Avis de paiement en trop"}


def flat(text: str) -> str:
    """Page or PDF text with every run of spaces (no-break and narrow no-break included) as one
    plain space, so that '1 234,50 $' compares with what money_text writes."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def shows(text: str, cents: int, language: str) -> bool:
    """The amount appears as a whole amount (not as the tail of a larger one)."""
    amount = re.escape(money_text(cents, language))
    return re.search(rf"(?<![\d,.])(?<!\d )(?<!-){amount}(?![\d])", flat(text)) is not None


def pdf_text(data: bytes) -> str:
    return flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))


def follow(page: Page, selector: str) -> None:
    """Click a link or a submit button and wait for the page it leads to (a form posted back
    to the same address included)."""
    with page.expect_navigation():
        page.locator(selector).click()


def download(page: Page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def cell(page: Page, table: str, row_text: str, column: int) -> str:
    """The text of one cell (0-based, the row header included) of the row holding row_text."""
    row = page.locator(f"{table} tbody tr").filter(has_text=row_text)
    expect(row).to_have_count(1)
    return flat(row.locator("th, td").nth(column).inner_text())


@pytest.fixture
def staff_page(browser: Browser) -> Iterator[Any]:
    """A separate browser for each member of staff (each signs in at their own desk)."""
    contexts = []

    def open_as(user: Any, base: str, language: str, scan: bool = False) -> Page:
        context = browser.new_context(locale="en-CA", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base}/login/")
        if language == "fr":
            with page.expect_navigation():
                page.get_by_role("button", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        if scan:
            assert_accessible(page, f"login ({language})")
        page.fill("#id_username", user.username)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name=SIGN_IN[language], exact=True).click()
        pass_second_factor(page, user.username)
        expect(page.locator("html")).to_have_attribute("lang", language)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.mark.parametrize("walk", WALKS, ids=[w.language for w in WALKS])
def test_money_journey_in_the_browser(
    staff_page: Any,
    live_server: Any,
    partner: Any,
    in_memory_queue: Any,
    tmp_path: Path,
    walk: Walk,
    settings: Any,
) -> None:
    # The January run is prepared right after the account is approved: no cooling-off here
    # (tests/test_bank_details.py covers it).
    settings.BANK_DETAILS_COOLING_OFF_BUSINESS_DAYS = 0
    base, lang = live_server.url, walk.language
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal")
    preparer = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner, first_name="Paula")
    approver = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner, first_name="Samir")

    # 1. The caseworker registers the applicant and starts the application.
    page = staff_page(worker, base, lang, scan=True)
    follow(page, "nav.primary-nav a[href='/clients/new/']")
    assert_accessible(page, "register a client")
    page.fill("#id_first_name", walk.first_name)
    page.fill("#id_last_name", walk.last_name)
    page.fill("#id_date_of_birth", walk.born)
    page.check(f"input[name='language_preference'][value='{lang}']")
    follow(page, "form[action='/clients/new/'] button[type='submit']")
    expect(page.get_by_role("heading", level=1)).to_contain_text(walk.last_name)
    assert_accessible(page, "client page")
    follow(page, "#start-application")
    assert_accessible(page, "start application")
    page.fill("#id_applied_on", APPLIED_ON)
    follow(page, "#start-submit")
    expect(page.locator("#application-form")).to_be_visible()
    assert_accessible(page, "application form")

    # 2. Shelter, declared earnings, one asset, consent.
    page.select_option("#id_income-0-income_type", "earnings")
    page.fill("#id_income-0-monthly_amount", walk.earnings)
    page.select_option("#id_asset-0-asset_type", walk.asset[0])
    page.fill("#id_asset-0-value", walk.asset[1])
    page.select_option("#id_app-shelter_type", "rent")
    page.fill("#id_app-shelter_cost", walk.rent)
    page.check("#id_app-consent_to_verification")
    follow(page, "#save-and-verify")
    assert_accessible(page, "verification checklist")

    # 3. The checklist: in English the proofs are uploaded and verified; in French they are
    #    waived (seen in person at the office).
    items = page.locator("[id^='id_item-'][id$='-status_1']")
    assert items.count() > 0
    if lang == "en":
        proof = tmp_path / "proof.pdf"
        proof.write_bytes(PROOF_PDF)
        page.set_input_files("#id_upload-file", str(proof))
        page.fill("#id_upload-title", "Lease, pay stub and bank statement")
        for index in range(items.count()):
            page.check(f"#id_item-{index}-status_1")  # verified
            page.select_option(f"#id_item-{index}-document", "uploaded")
    else:
        for index in range(items.count()):
            page.check(f"#id_item-{index}-status_2")  # waived
            page.fill(f"#id_item-{index}-waived_reason", "Vu en personne au bureau")
    follow(page, "#save-checklist")
    expect(page.locator(".error-message")).to_have_count(0)
    assert_accessible(page, "checklist saved")

    # 4. Determination: the monthly payment shown is the hand-worked amount.
    follow(page, "#run-determination")
    expect(page.locator("#budget")).to_contain_text("134/98")  # O. Reg. / Règl. de l’Ont.
    assert flat(page.locator("#payment-amount").inner_text()) == money_text(walk.notice_cents, lang)
    assert_accessible(page, "determination")

    # 5. Grant from the application date; the decision page and the notice say the same.
    page.fill("#id_effective_on", APPLIED_ON)
    follow(page, "#decision-submit")
    expect(page.locator("#first-payment-month")).to_have_text("2026-01")
    assert shows(page.locator("main dl.summary").inner_text(), walk.notice_cents, lang)
    assert_accessible(page, "decision")
    notice = pdf_text(download(page, f"#notice-{lang}"))
    assert shows(notice, walk.notice_cents, lang), notice[:1500]

    # 6. Direct deposit details, on the case's money page.
    follow(page, "main p a[href^='/cases/'] >> nth=0")  # the case page
    assert_accessible(page, "case page")
    follow(page, "nav.case-nav a[href*='/payments/cases/']")
    money_url = page.url.split("#")[0]
    assert_accessible(page, "money page")
    #    The void cheque first goes on the case; a second person approves the account.
    cheque = tmp_path / "void-cheque.pdf"
    cheque.write_bytes(PROOF_PDF)
    page.goto(money_url.replace("/payments/cases/", "/documents/cases/"))
    page.set_input_files("#id_file", str(cheque))
    page.fill("#id_title", "Void cheque")
    follow(page, "#upload-submit")
    page.goto(money_url)
    page.locator("#bank details summary").click()
    page.fill("#id_bank-holder_name", f"{walk.first_name} {walk.last_name}"[:30])
    page.fill("#id_bank-institution", "004")
    page.fill("#id_bank-transit", "12345")
    page.fill("#id_bank-account", "1234567")
    page.select_option("#id_bank-proof", label="Void cheque")
    follow(page, "form[action$='/bank-account/'] button[type='submit']")
    expect(page.locator("#bank form[action*='/bank-changes/']")).to_have_count(0)  # not theirs
    assert_accessible(page, "bank account asked for")
    second = staff_page(preparer, base, lang)
    second.goto(money_url)
    second.select_option("#id_bankdecision-decision", "approve")
    follow(second, "#bank form[action*='/bank-changes/'] button[type='submit']")
    expect(second.locator("#bank ul")).to_contain_text("004-12345-…567")
    assert_accessible(second, "bank account approved")

    # 7. Supervisor A prepares January 2026; the dry run is a queued job.
    supervisor_a = staff_page(preparer, base, lang)
    supervisor_a.goto(f"{base}/payments/runs/")
    assert_accessible(supervisor_a, "payment runs")
    supervisor_a.fill("#id_benefit_month", "2026-01")
    follow(supervisor_a, "main form.panel button[type='submit']")
    run_url = supervisor_a.url
    assert re.search(r"/payments/runs/\d+/$", run_url), run_url
    assert run_queued_jobs(in_memory_queue) == 1
    supervisor_a.reload()
    totals = supervisor_a.locator("section[aria-labelledby='totals-title']")
    assert shows(totals.inner_text(), walk.notice_cents, lang), totals.inner_text()
    expect(supervisor_a.locator("form[action$='/approve/']")).to_have_count(0)  # not their own
    assert_accessible(supervisor_a, "dry run complete")

    # 8. Supervisor B approves and releases (queued); the bank file pays the notice's amount.
    supervisor_b = staff_page(approver, base, lang)
    supervisor_b.goto(run_url)
    assert shows(
        supervisor_b.locator("section[aria-labelledby='totals-title']").inner_text(),
        walk.notice_cents,
        lang,
    )
    assert_accessible(supervisor_b, "run to approve")
    if lang == "en":
        screenshot(supervisor_b, "payment-run-to-approve")
    follow(supervisor_b, "form[action$='/approve/'] button")
    assert_accessible(supervisor_b, "run approved")
    follow(supervisor_b, "form[action$='/release/'] button")
    assert run_queued_jobs(in_memory_queue) == 1
    supervisor_b.reload()
    build = "form[action$='/cpa005/'] button"  # a POST: each build takes a file creation number
    expect(supervisor_b.locator(build)).to_be_visible()
    assert_accessible(supervisor_b, "run released")
    if lang == "en":
        screenshot(supervisor_b, "payment-run-released")
    credits = cpa005_credits(download(supervisor_b, build))
    assert [(c["type"], c["amount_cents"]) for c in credits] == [("603", walk.notice_cents)]

    # 9. The caseworker's money page shows January paid, in the page's language.
    page.goto(money_url)
    assert cell(page, "#payments", "2026-01", 3) == money_text(walk.notice_cents, lang)
    assert cell(page, "#payments", "2026-01", 2) == money_text(0, lang)  # nothing recovered
    assert_accessible(page, "money page, January paid")

    # 10. A late income report for December 2025 (counted in January's payment).
    follow(page, "#income a[href$='/income/']")
    assert_accessible(page, "income report form")
    page.fill("#id_income_month", "2025-12")
    page.fill("#id_earnings", walk.late_earnings)
    follow(page, "#save-report")
    preview = page.locator("section[aria-labelledby='preview-title']")
    expect(preview).to_be_visible()
    assert cell(page, "section[aria-labelledby='preview-title']", "2026-01", 2) == money_text(
        walk.notice_cents, lang
    )
    assert cell(page, "section[aria-labelledby='preview-title']", "2026-01", 3) == money_text(
        walk.corrected_cents, lang
    )
    assert cell(page, "section[aria-labelledby='preview-title']", "2026-01", 4) == money_text(
        -walk.overpayment_cents, lang
    )
    assert_accessible(page, "income report preview")
    follow(page, "#save-report")  # confirm
    assert page.url.split("#")[0] == money_url

    # 11. The ledger holds exactly the difference, as an overpayment of January.
    ledger = page.locator("#ledger tbody tr")
    expect(ledger).to_have_count(1)
    assert flat(ledger.locator("td").nth(2).inner_text()) == "2026-01"
    assert flat(ledger.locator("td").nth(4).inner_text()) == money_text(
        walk.overpayment_cents, lang
    )
    balance = flat(page.locator("#ledger dl dd").first.inner_text())
    assert balance == money_text(walk.overpayment_cents, lang)
    assert_accessible(page, "money page, overpayment")

    # 12. The overpayment notice, in the client's language, states the same figure.
    follow(page, "main p.lead a[href^='/cases/']")  # back to the case
    follow(page, "main a[href*='/documents/cases/'] >> nth=0")
    assert_accessible(page, "case documents")
    row = page.locator("#documents-table tbody tr").filter(has_text=OVERPAYMENT_TITLE[lang])
    row = row.filter(has=page.locator(f"span[lang='{lang}']"))
    expect(row).to_have_count(1)
    with page.expect_download() as info:
        row.locator("a").click()
    overpayment_notice = pdf_text(Path(info.value.path()).read_bytes())
    assert shows(overpayment_notice, walk.overpayment_cents, lang), overpayment_notice[:1500]
