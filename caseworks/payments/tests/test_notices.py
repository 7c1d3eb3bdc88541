"""Every payment notice exists in English and French, as a real PDF with the review rights."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from caseworks.documents.models import Document
from caseworks.payments.constants import PaymentActionKind
from caseworks.payments.models import Payment
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import overpayment_record, payment_action_record
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db


def _text(document_id: int | None) -> str:
    document = Document.objects.get(pk=document_id)
    assert bytes(document.content).startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(bytes(document.content)))
    return " ".join((page.extract_text() or "") for page in reader.pages)


@pytest.mark.parametrize(
    ("kind", "english", "french"),
    [
        (PaymentActionKind.HOLD, "on hold", "retenus"),
        (PaymentActionKind.SUSPENSION, "suspended", "suspendue"),
        (PaymentActionKind.CANCELLATION, "cancelled", "annulée"),
    ],
)
def test_payment_action_record_notices_in_english_and_french_when_recorded(
    partner: Any, kind: str, english: str, french: str
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    action = payment_action_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        kind=kind,
        reason="Synthetic reason 4521",
    )
    en, fr = _text(action.notice_en_id), _text(action.notice_fr_id)
    assert english in en
    assert "Synthetic reason 4521" in en
    assert "internal review" in en
    assert "Social Benefits" in en
    assert french in fr
    assert "révision interne" in fr
    assert "Tribunal de l’aide sociale" in fr or "Tribunal de l'aide sociale" in fr


def test_payment_action_record_reinstatement_notice_when_case_suspended(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    payment_action_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        kind=PaymentActionKind.SUSPENSION,
        reason="Missed appointment",
        effective_on=dt.date(2026, 1, 5),
    )
    unit.refresh_from_db()
    action = payment_action_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        kind=PaymentActionKind.REINSTATEMENT,
        reason="Attended",
        effective_on=dt.date(2026, 1, 20),
    )
    unit.refresh_from_db()
    assert unit.status == "active"
    assert "reinstated" in _text(action.notice_en_id)
    assert "rétablie" in _text(action.notice_fr_id)


def test_overpayment_record_notice_shows_stored_amounts_in_both_languages(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    payment_run_release(acting_user=staff["supervisor"], run=run)
    payment = Payment.objects.get(benefit_unit=unit)
    entry = overpayment_record(
        acting_user=staff["caseworker"],
        payment=payment,
        correct_amount_cents=payment.amount_cents - 123_456 // 10,
        reason="Earnings not reported",
    )
    en, fr = _text(entry.notice_en_id), _text(entry.notice_fr_id)
    assert "$123.45" in en  # 12,345 cents, from the stored ledger entry
    assert "10%" in en
    assert "123,45" in fr
    assert "révision interne" in fr
