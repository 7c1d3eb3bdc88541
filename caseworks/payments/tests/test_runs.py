from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.eligibility.models import Determination
from caseworks.payments.constants import LedgerEntryKind, LineKind, PaymentMethod, RunStatus
from caseworks.payments.models import CircumstancesChange, LedgerEntry, Payment, PaymentRunLine
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import (
    income_report_record,
    overpayment_balance_cents,
    overpayment_record,
    payment_action_record,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)
FEB = dt.date(2026, 2, 1)


def _run(partner: Any, staff: dict[str, Any], month: dt.date) -> Any:
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return payment_run_release(acting_user=staff["supervisor"], run=run)


def test_payment_run_dry_run_stores_one_determination_and_line_per_case(partner: Any) -> None:
    staff = payment_staff(partner)
    a = active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Ana",
        last_name="Roy",
        bank=("004", "12345", "1234567"),
    )
    b = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ben", last_name="Lee", children=2
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    assert run.status == RunStatus.DRY_RUN_COMPLETE
    lines = {line.benefit_unit_id: line for line in PaymentRunLine.objects.filter(run=run)}
    assert set(lines) == {a.pk, b.pk}
    assert lines[a.pk].method == PaymentMethod.EFT
    assert lines[b.pk].method == PaymentMethod.CHEQUE
    for line in lines.values():
        determination = Determination.objects.get(pk=line.determination_id)
        assert determination.benefit_month == JAN
        assert line.amount_cents == determination.payment_cents > 0
    assert run.total_cents == sum(line.amount_cents for line in lines.values())
    assert run.eft_total_cents + run.cheque_total_cents == run.total_cents
    assert Payment.objects.count() == 0  # a dry run pays nothing


def test_payment_run_approve_refused_when_approver_prepared_it(partner: Any) -> None:
    staff = payment_staff(partner)
    active_case(partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy")
    run = payment_run_prepare(
        acting_user=staff["supervisor"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=staff["supervisor"], run=run)
    with pytest.raises(ApplicationError) as exc:
        payment_run_approve(acting_user=staff["supervisor"], run=run)
    assert exc.value.field == "approved_by"
    with pytest.raises(PermissionDeniedError):
        payment_run_approve(acting_user=staff["caseworker"], run=run)
    assert payment_run_approve(acting_user=staff["supervisor2"], run=run).status == "approved"


def test_payment_run_release_creates_nothing_when_released_again(partner: Any) -> None:
    staff = payment_staff(partner)
    for name in ("Ana", "Ben", "Cy"):
        active_case(partner=partner, actor=staff["caseworker"], first_name=name, last_name="Roy")
    run = _run(partner, staff, JAN)
    assert run.status == RunStatus.RELEASED
    assert Payment.objects.filter(run=run).count() == 3
    assert run.released_total_cents == run.total_cents
    again = payment_run_release(acting_user=staff["supervisor"], run=run)
    assert again.status == RunStatus.RELEASED
    assert Payment.objects.count() == 3
    with pytest.raises(ApplicationError):
        payment_run_prepare(
            acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
        )


def test_payment_run_dry_run_applies_income_of_previous_month_when_reported(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _run(partner, staff, JAN)
    applicant = unit.members.get().person
    income_report_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        person=applicant,
        income_month=JAN,
        amounts_cents={"earnings": 60_000},
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=FEB
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    line = PaymentRunLine.objects.get(run=run)
    determination = Determination.objects.get(pk=line.determination_id)
    assert determination.situation["members"][0]["net_earnings"] == "600.00"
    assert determination.situation["months_in_receipt"] == line.months_in_receipt == 1
    jan = Payment.objects.get(benefit_unit=unit, benefit_month=JAN)
    assert line.previous_amount_cents == jan.amount_cents
    # Second month on assistance: no earnings exemption yet (it starts after 3 months in
    # receipt), so all $600 counts, and a change of more than 25 % is listed for the approver.
    assert jan.amount_cents - line.amount_cents == 60_000
    assert run.variance_cents == line.amount_cents - jan.amount_cents
    assert line.unusual
    assert [c["benefit_unit"] for c in run.unusual_changes] == [unit.pk]


def test_payment_run_dry_run_skips_case_when_payments_on_hold(partner: Any) -> None:
    staff = payment_staff(partner)
    held = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    active_case(partner=partner, actor=staff["caseworker"], first_name="Ben", last_name="Roy")
    action = payment_action_record(
        acting_user=staff["caseworker"],
        benefit_unit=held,
        kind="hold",
        reason="Address unknown; mail returned",
    )
    assert action.notice_en_id
    assert action.notice_fr_id
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    assert held.pk not in set(
        PaymentRunLine.objects.filter(run=run).values_list("benefit_unit_id", flat=True)
    )
    assert run.case_count == 1


def test_overpayment_record_recovered_by_deduction_when_next_month_paid(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _run(partner, staff, JAN)
    payment = Payment.objects.get(benefit_unit=unit, benefit_month=JAN)
    entry = overpayment_record(
        acting_user=staff["caseworker"],
        payment=payment,
        correct_amount_cents=payment.amount_cents - 30_000,
        reason="Earnings not reported (synthetic)",
    )
    assert entry.amount_cents == 30_000
    assert entry.notice_en_id
    assert entry.notice_fr_id
    assert overpayment_balance_cents(unit) == 30_000
    _run(partner, staff, FEB)
    feb = Payment.objects.get(benefit_unit=unit, benefit_month=FEB)
    recovery = LedgerEntry.objects.get(benefit_unit=unit, kind=LedgerEntryKind.RECOVERY)
    assert recovery.payment_id == feb.pk
    assert recovery.amount_cents == -feb.recovery_cents
    # 10 % of the entitlement (default rate)
    determination = Determination.objects.get(pk=feb.determination_id)
    assert feb.recovery_cents == determination.entitlement_cents // 10
    assert overpayment_balance_cents(unit) == 30_000 - feb.recovery_cents


def test_overpayment_record_refused_when_correct_amount_not_below_paid(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _run(partner, staff, JAN)
    payment = Payment.objects.get(benefit_unit=unit)
    with pytest.raises(ApplicationError) as exc:
        overpayment_record(
            acting_user=staff["caseworker"],
            payment=payment,
            correct_amount_cents=payment.amount_cents,
            reason="x",
        )
    assert exc.value.field == "correct_amount"
    assert not LedgerEntry.objects.exists()


def test_payment_run_line_error_when_housing_missing(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    CircumstancesChange.objects.filter(benefit_unit=unit).delete()
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    line = PaymentRunLine.objects.get(run=run)
    assert line.kind == LineKind.ERROR
    assert line.amount_cents == 0
    assert run.error_count == 1
    assert run.payment_count == 0
