"""Issue 16 in the browser: a one-time payment from request to bank file, letter and
reconciliation, through the pages staff use, in English and with the interface in French (the
amount typed the French way, the client served in French).

A caseworker asks for the Full-Time Employment Benefit ($500.00: O. Reg. 134/98 s. 55(1)
para 5.1, at most $500 in any 12 months; first a request over the limit is refused naming the
rule); a supervisor approves it (a session that passed the second factor; nobody decides what
they asked for); finance issues the between-run batch. The batch's CPA-005 file has its own
file creation number, after the January run's file; the credit, the letter in the client's
language ("500,00 $" in French), the pages and the reconciliation all say the same amount.
The world before the journey (an active case with a bank account, January released and its
bank file built) is made through the services, as tests/money does."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.clients.models import Person
from caseworks.payments.constants import OneTimeStatus, PaymentFileKind
from caseworks.payments.models import OneTimeBatch, OneTimePayment
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import payment_file_build
from caseworks.payments.tests.builders import active_case
from tests.money.conftest import cpa005_credits, money_text

from .conftest import StaffDesk, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

FTEB_CENTS = 50_000  # O. Reg. 134/98 s. 55(1) para 5.1: up to $500 in any 12 months
TYPED = {"en": ("500.01", "500.00"), "fr": ("500,01", "500,00")}
LIMIT_RULE = {"en": "s. 55(1) para 5.1", "fr": "art. 55(1) disp. 5.1"}


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def shows(text: str, cents: int, language: str) -> bool:
    amount = re.escape(money_text(cents, language))
    return re.search(rf"(?<![\d,.])(?<!\d )(?<!-){amount}(?![\d])", flat(text)) is not None


def follow(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def download(page: Page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def pdf_text(data: bytes) -> str:
    return flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))


def _world(partner: Any, language: str) -> dict[str, Any]:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal")
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner, first_name="Samir")
    finance = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner, first_name="Fatima")
    unit = active_case(
        partner=partner,
        actor=worker,
        first_name="Rose" if language == "en" else "Émilie",
        last_name="Okafor-Unique" if language == "en" else "Tremblay-Unique",
        bank=("004", "12345", "1234567"),
    )
    applicant = unit.members.get(role=MemberRole.APPLICANT).person
    Person.objects.filter(pk=applicant.pk).update(language_preference=language)
    run = payment_run_prepare(
        acting_user=worker, delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=worker, run=run)
    run = payment_run_approve(acting_user=supervisor, run=run)
    run = payment_run_release(acting_user=supervisor, run=run)
    _data, run_file = payment_file_build(acting_user=finance, run=run)
    return {
        "worker": worker,
        "supervisor": supervisor,
        "finance": finance,
        "unit": unit,
        "run": run,
        "run_file": run_file,
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_one_time_payment_request_approval_batch_letter_and_reconciliation(
    staff_desk: StaffDesk, live_server: Any, partner: Any, language: str
) -> None:
    world = _world(partner, language)
    base, unit = live_server.url, world["unit"]
    over, typed = TYPED[language]

    # 1. The caseworker, on the case's money tab: "Request a one-time payment".
    page, steps = staff_desk(world["worker"], base, language)
    page.goto(f"{base}/payments/cases/{unit.pk}/")
    assert_accessible(page, f"money page ({language})")
    follow(page, "#one-time-request-link")
    assert_accessible(page, f"one-time request form ({language})")
    page.select_option("#id_kind", "full_time_employment")
    page.check("input[name='payee'][value='client']")
    page.check("input[name='method'][value='eft']")
    page.fill("#id_reason", "Work boots and a bus pass to start a full-time job")
    #    One cent over the limit: refused, the rule named, nothing saved.
    page.fill("#id_amount", over)
    follow(page, "#one-time-request-submit")
    error = flat(page.locator("#id_amount_error").inner_text())
    assert money_text(FTEB_CENTS, language) in error, error
    assert LIMIT_RULE[language] in error, error
    assert not OneTimePayment.objects.exists()
    assert_accessible(page, f"one-time request refused ({language})")
    #    The journey measured: from the corrected request to the approval.
    steps.reset()
    page.fill("#id_amount", typed)
    follow(page, "#one-time-request-submit")
    assert page.url.endswith(f"/payments/cases/{unit.pk}/#one-time")
    payment = OneTimePayment.objects.get()
    assert (payment.amount_cents, payment.status) == (FTEB_CENTS, OneTimeStatus.REQUESTED)
    assert shows(page.locator("#one-time").inner_text(), FTEB_CENTS, language)
    assert_accessible(page, f"money page with the request ({language})")

    # 2. The caseworker cannot decide it; a supervisor approves it.
    page.goto(f"{base}/payments/one-time/")
    expect(page.locator(f"#request-{payment.pk} form")).to_have_count(0)
    supervisor, approving = staff_desk(world["supervisor"], base, language)
    supervisor.goto(f"{base}/payments/runs/")
    follow(supervisor, "main a[href='/payments/one-time/']")
    card = supervisor.locator(f"#request-{payment.pk}")
    assert shows(card.inner_text(), FTEB_CENTS, language)
    assert_accessible(supervisor, f"one-time queue ({language})")
    supervisor.check(f"input[name='decide-{payment.pk}-decision'][value='approve']")
    follow(supervisor, f"#decide-{payment.pk}-submit")
    payment.refresh_from_db()
    assert (payment.status, payment.decided_by) == (OneTimeStatus.APPROVED, world["supervisor"])
    assert_accessible(supervisor, f"one-time queue after the decision ({language})")
    steps.submits += approving.submits  # one task, two desks (docs/step-budgets.md)
    steps.assert_within(submits=2, journey="request and approve a one-time payment")
    assert steps.submits == 2

    # 3. Finance issues the between-run batch.
    finance, _steps = staff_desk(world["finance"], base, language)
    finance.goto(f"{base}/payments/one-time/batches/")
    waiting = finance.locator("section[aria-labelledby='approved-title']")
    assert shows(waiting.inner_text(), FTEB_CENTS, language)
    assert_accessible(finance, f"between-run payments ({language})")
    follow(finance, "#issue-batch-submit")
    batch = OneTimeBatch.objects.get()
    assert finance.url.endswith(f"/payments/one-time/batches/{batch.pk}/")
    assert_accessible(finance, f"between-run batch ({language})")
    record = batch.payment_file
    assert record.kind == PaymentFileKind.ONE_TIME
    assert record.file_creation_number == world["run_file"].file_creation_number + 1
    shown_number = finance.locator("#file-creation-number").inner_text().strip()
    assert shown_number == f"{record.file_creation_number:04d}"
    row = finance.locator(f"#batch-payment-{payment.pk}")
    assert shows(row.inner_text(), FTEB_CENTS, language)

    # 4. The bank file: its own number in the header, the same cents in the credit.
    data = download(finance, "#batch-file-download")
    header = data.split(b"\r\n")[0]
    assert header[20:24].decode() == shown_number
    credits = cpa005_credits(data)
    assert [(c["type"], c["amount_cents"]) for c in credits] == [("603", FTEB_CENTS)]

    # 5. The letter in the client's language says the same amount.
    letter_link = 0 if language == "en" else 1
    letter = pdf_text(download(finance, f"#batch-payment-{payment.pk} a >> nth={letter_link}"))
    assert shows(letter, FTEB_CENTS, language), letter[:1500]
    if language == "fr":
        assert "500,00 $" in letter

    # 6. The reconciliation of January lists the batch issued after it, paid in full.
    finance.goto(f"{base}/payments/runs/{world['run'].pk}/reconciliation/")
    heading = finance.locator(f"#batch-{batch.pk}-reconciliation")
    expect(heading).to_contain_text(shown_number)
    table = finance.locator(f"#batch-{batch.pk}-reconciliation + table")
    assert shows(table.locator("tbody tr").first.inner_text(), FTEB_CENTS, language)
    assert shows(table.locator("tbody tr").last.inner_text(), FTEB_CENTS, language)
    assert_accessible(finance, f"reconciliation with the between-run batch ({language})")
