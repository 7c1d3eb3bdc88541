from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse

from caseworks.clients.models import ClientFileAccess
from caseworks.payments.models import BankAccount, IncomeReport, LedgerEntry, Payment
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db


def _released(partner: Any, staff: dict[str, Any], month: dt.date) -> Any:
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return payment_run_release(acting_user=staff["supervisor"], run=run)


def test_case_money_shows_stored_payment_and_logs_access_when_viewed(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _released(partner, staff, dt.date(2026, 1, 1))
    payment = Payment.objects.get(benefit_unit=unit)
    client.force_login(staff["caseworker"])
    response = client.get(reverse("payments:case_money", args=[unit.pk]))
    assert response.status_code == 200
    assert "$733.00" in response.content.decode()
    assert payment.amount_cents == 73_300
    assert ClientFileAccess.objects.filter(view_name="payments:case_money").exists()


def test_case_money_not_found_when_other_partner(
    partner: Any, other_caseworker: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    client.force_login(other_caseworker)
    assert client.get(reverse("payments:case_money", args=[unit.pk])).status_code == 404


def test_bank_account_form_shows_digit_errors_when_invalid(partner: Any, client: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    client.force_login(staff["caseworker"])
    response = client.post(
        reverse("payments:bank_account", args=[unit.pk]),
        {
            "idempotency_key": uuid.uuid4().hex,
            "bank-holder_name": "Ana Roy",
            "bank-institution": "04",
            "bank-transit": "1234a",
            "bank-account": "123",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 digits" in page
    assert "5 digits" in page
    assert "7 to 12 digits" in page
    assert not BankAccount.objects.exists()


def test_income_report_preview_then_adjustment_when_month_already_paid(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _released(partner, staff, dt.date(2026, 1, 1))
    applicant = unit.members.get().person
    unit.refresh_from_db()
    client.force_login(staff["caseworker"])
    url = reverse("payments:income_report", args=[unit.pk])
    data = {
        "person": applicant.pk,
        "income_month": "2025-12",
        "earnings": "100.00",
        "expected_version": unit.version,
    }
    response = client.post(url, {**data, "idempotency_key": uuid.uuid4().hex})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check before saving" in page
    assert "2026-01" in page
    assert "$633.00" in page  # the stored $733.00 less the $100 now reported
    assert not IncomeReport.objects.exists()  # a preview saves nothing
    assert not LedgerEntry.objects.exists()
    response = client.post(url, {**data, "confirm": "1", "idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 302
    assert IncomeReport.objects.get().amount_cents == 10_000
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount_cents) == ("overpayment", 10_000)
    assert Payment.objects.get().amount_cents == 73_300  # the paid month is never changed


def test_run_pages_approve_refused_for_preparer_and_file_downloaded(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Ana",
        last_name="Roy",
        bank=("004", "12345", "1234567"),
    )
    run = payment_run_prepare(
        acting_user=staff["supervisor"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["supervisor"], run=run)
    client.force_login(staff["supervisor"])
    page = client.get(reverse("payments:run_detail", args=[run.pk])).content.decode()
    assert "$733.00" in page
    assert "Approve these figures" not in page
    client.post(
        reverse("payments:run_approve", args=[run.pk]), {"idempotency_key": uuid.uuid4().hex}
    )
    run.refresh_from_db()
    assert run.status == "dry_run_complete"
    client.force_login(staff["supervisor2"])
    client.post(
        reverse("payments:run_approve", args=[run.pk]), {"idempotency_key": uuid.uuid4().hex}
    )
    run = payment_run_release(acting_user=staff["supervisor2"], run=run)
    response = client.post(reverse("payments:run_file", args=[run.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"A000000001")
    client.force_login(staff["caseworker"])
    assert client.post(reverse("payments:run_file", args=[run.pk])).status_code == 403


def test_overpayment_form_records_entry_and_write_off_needs_supervisor(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _released(partner, staff, dt.date(2026, 1, 1))
    payment = Payment.objects.get(benefit_unit=unit)
    client.force_login(staff["caseworker"])
    response = client.post(
        reverse("payments:overpayment", args=[unit.pk]),
        {
            "idempotency_key": uuid.uuid4().hex,
            "over-payment": payment.pk,
            "over-correct_amount": "700.00",
            "over-reason": "Rent was lower (synthetic)",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert entry.amount_cents == 3_300
    assert entry.notice_fr_id is not None
    response = client.post(
        reverse("payments:ledger_entry", args=[unit.pk]),
        {
            "ledger-kind": "write_off",
            "ledger-amount": "33.00",
            "ledger-reason": "Hardship",
            "idempotency_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 403
    client.force_login(staff["supervisor"])
    response = client.post(
        reverse("payments:ledger_entry", args=[unit.pk]),
        {
            "ledger-kind": "write_off",
            "ledger-amount": "33.00",
            "ledger-reason": "Hardship",
            "idempotency_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("payments:case_money", args=[unit.pk])).content.decode()
    assert "Write-off" in page
