"""One-time and between-run payments (issue 16): limits from the rules package and the
partner, four eyes, the between-run batch on the ledger, its CPA-005 file numbered from the
originator's sequence after the run's files, replay, and the reconciliation."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.payments.constants import (
    LedgerEntryKind,
    OneTimeBenefitKind,
    OneTimeStatus,
    PaymentFileKind,
)
from caseworks.payments.cpa005 import validate_file
from caseworks.payments.models import LedgerEntry, OneTimePayment, PaymentFile
from caseworks.payments.onetime_limits import one_time_limit
from caseworks.payments.reconciliation import one_time_reconciliation, reconciliation
from caseworks.payments.services import originator_for, payment_file_build
from caseworks.payments.services.onetime import (
    one_time_batch_file,
    one_time_batch_issue,
    one_time_cheque_list_csv,
    one_time_payment_decide,
    one_time_payment_request,
    one_time_policy_for,
    one_time_policy_set,
)
from caseworks.payments.tests.test_returns import world as world  # noqa: PLC0414  # the fixture

pytestmark = pytest.mark.django_db

FTEB = OneTimeBenefitKind.FULL_TIME_EMPLOYMENT


def _case(world: dict[str, Any], index: int = 0) -> Any:
    return world["eft"][index].benefit_unit


def _applicant_id(unit: Any) -> int:
    return int(unit.members.get(role=MemberRole.APPLICANT).person_id)


def _request(world: dict[str, Any], cents: int, kind: str = FTEB, **extra: Any) -> OneTimePayment:
    unit = extra.pop("unit", None) or _case(world)
    values: dict[str, Any] = {
        "reason": "Work boots and a bus pass to start a full-time job",
        "payee": "client",
        "method": "eft",
        **extra,
    }
    return one_time_payment_request(
        acting_user=world["caseworker"],
        benefit_unit=unit,
        member_id=_applicant_id(unit),
        kind=kind,
        amount_cents=cents,
        **values,
    )


def test_full_time_employment_benefit_limit_500_per_person_per_12_months(world: Any) -> None:
    """O. Reg. 134/98 s. 55(1) para 5.1: up to $500 in any 12 months (rules parameter)."""
    first = _request(world, 30_000)
    assert first.citation.startswith("O. Reg. 134/98, s. 55(1) para 5.1")
    _request(world, 20_000)  # $500.00 exactly: allowed
    with pytest.raises(ApplicationError) as refused:
        _request(world, 1)
    assert refused.value.field == "amount_cents"
    assert refused.value.code == "limit_exceeded"
    assert OneTimePayment.objects.count() == 2  # nothing changed
    # A refused request no longer counts.
    one_time_payment_decide(
        acting_user=world["supervisor"], payment=first, approve=False, refusal_reason="No job offer"
    )
    _request(world, 30_000)


def test_discretionary_limit_is_the_partners_and_changed_with_audit(world: Any) -> None:
    admin = UserFactory(
        role=Role.PARTNER_ADMIN, delivery_partner=world["eft"][0].benefit_unit.delivery_partner
    )
    assert (
        one_time_policy_for(admin.delivery_partner_id).discretionary_annual_limit_cents == 100_000
    )
    with pytest.raises(PermissionDeniedError):
        one_time_policy_set(
            acting_user=world["caseworker"],
            approval_threshold_cents=1,
            discretionary_annual_limit_cents=1,
            employment_expenses_annual_limit_cents=1,
        )
    one_time_policy_set(
        acting_user=admin,
        approval_threshold_cents=25_000,
        discretionary_annual_limit_cents=30_000,
        employment_expenses_annual_limit_cents=10_000,
    )
    assert AuditEvent.objects.filter(event_type="one_time_policy_changed").count() == 1
    _request(world, 30_000, kind=OneTimeBenefitKind.EYEGLASSES, reason="Broken glasses")
    with pytest.raises(ApplicationError, match=r"s\. 59"):
        _request(world, 100, kind=OneTimeBenefitKind.EYEGLASSES, reason="Second pair")


def test_four_eyes_never_the_requester_and_supervisor_above_threshold(world: Any) -> None:
    payment = _request(world, 60_000, kind=OneTimeBenefitKind.FUNERAL_BURIAL, reason="Burial")
    with pytest.raises(ApplicationError) as own:
        one_time_payment_decide(acting_user=world["caseworker"], payment=payment, approve=True)
    assert own.value.code == "four_eyes"
    other_worker = UserFactory(
        role=Role.CASEWORKER, delivery_partner=world["caseworker"].delivery_partner
    )
    with pytest.raises(ApplicationError) as above:  # $600 > the default $500 threshold
        one_time_payment_decide(acting_user=other_worker, payment=payment, approve=True)
    assert above.value.code == "approver_needed"
    payment.refresh_from_db()
    assert payment.status == OneTimeStatus.REQUESTED
    one_time_payment_decide(acting_user=world["supervisor"], payment=payment, approve=True)
    payment.refresh_from_db()
    assert (payment.status, payment.decided_by) == (OneTimeStatus.APPROVED, world["supervisor"])
    small = _request(world, 5_000, kind=OneTimeBenefitKind.MOVING, reason="Van rental")
    one_time_payment_decide(acting_user=other_worker, payment=small, approve=True)
    with pytest.raises(ApplicationError):
        one_time_payment_decide(acting_user=world["supervisor"], payment=small, approve=False)


def test_batch_ledger_file_number_after_run_files_replay_and_reconciliation(world: Any) -> None:
    partner = _case(world).delivery_partner
    originator = originator_for(partner)
    _data, run_file = payment_file_build(acting_user=world["supervisor"], run=world["run"])
    deposit = _request(world, 45_000)
    cheque = _request(
        world,
        12_345,
        kind=OneTimeBenefitKind.NEWBORN_ITEMS,
        payee="vendor",
        method="cheque",
        vendor_name="Baby Store Ltd",
        reason="Crib and car seat",
        unit=_case(world, 1),
    )
    for p in (deposit, cheque):
        one_time_payment_decide(acting_user=world["supervisor"], payment=p, approve=True)
    batch = one_time_batch_issue(
        acting_user=world["supervisor2"], idempotency_key="batch-2026-12-07"
    )
    record = batch.payment_file
    assert record.kind == PaymentFileKind.ONE_TIME
    assert record.file_creation_number == run_file.file_creation_number + 1
    assert record.originator_id == originator.originator_id
    data = one_time_batch_file(batch)
    records = [r for r in data.decode("ascii").split("\r\n") if r]
    validate_file(records)
    assert records[0][20:24] == f"{record.file_creation_number:04d}"
    credit = records[1]
    assert credit[0] == "C"
    assert int(credit[24 + 3 : 24 + 3 + 10]) == 45_000  # the segment's amount, in cents
    assert f"OWT{deposit.pk:016d}" in credit
    # Ledger: one entry per payment, same amounts.
    entries = LedgerEntry.objects.filter(kind=LedgerEntryKind.ONE_TIME_PAYMENT)
    assert sorted(entries.values_list("one_time_payment_id", "amount_cents")) == [
        (deposit.pk, 45_000),
        (cheque.pk, 12_345),
    ]
    assert set(OneTimePayment.objects.values_list("status", flat=True)) == {OneTimeStatus.ISSUED}
    # Replay: the same batch, nothing new.
    again = one_time_batch_issue(
        acting_user=world["supervisor2"], idempotency_key="batch-2026-12-07"
    )
    assert again.pk == batch.pk
    assert entries.count() == 2
    assert PaymentFile.objects.filter(kind=PaymentFileKind.ONE_TIME).count() == 1
    # Reconciliation: the batch's own report; the run's report is unchanged by it.
    report = one_time_reconciliation(batch)
    assert report["issued"]["eft"] == (1, 45_000)
    assert report["issued"]["cheque"] == (1, 12_345)
    assert report["paid"]["total"] == (2, 57_345)
    assert reconciliation(world["run"])["issued"]["total"][0] == 4
    # The next run file continues the sequence after the batch's number.
    _data, next_run_file = payment_file_build(acting_user=world["supervisor"], run=world["run"])
    assert next_run_file.file_creation_number == record.file_creation_number + 1
    cheques = one_time_cheque_list_csv(batch).splitlines()
    assert (
        cheques[1]
        == f"{cheque.pk},{cheque.benefit_unit.case_number},Baby Store Ltd,newborn_items,123.45"
    )
    # A new key with nothing approved issues nothing.
    with pytest.raises(ApplicationError) as nothing:
        one_time_batch_issue(acting_user=world["supervisor2"], idempotency_key="another")
    assert nothing.value.code == "nothing_to_send"


def test_batch_needs_finance_staff_and_bad_input_changes_nothing(world: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        one_time_batch_issue(acting_user=world["caseworker"], idempotency_key="k")
    with pytest.raises(ApplicationError) as bad_member:
        one_time_payment_request(
            acting_user=world["caseworker"],
            benefit_unit=_case(world),
            member_id=_applicant_id(_case(world, 1)),
            kind=FTEB,
            amount_cents=100,
            reason="x",
            payee="client",
            method="eft",
        )
    assert bad_member.value.field == "member_id"
    with pytest.raises(ApplicationError) as no_account:
        _request(world, 100, unit=world["cheques"][0].benefit_unit)
    assert no_account.value.field == "method"
    with pytest.raises(ApplicationError) as vendor:
        _request(
            world,
            100,
            payee="vendor",
            vendor_bank={"institution": "1", "transit": "", "account": ""},
            vendor_name="Shop",
        )
    assert vendor.value.field == "institution"
    assert OneTimePayment.objects.count() == 0


def test_child_care_advance_600_per_child_unlicensed(world: Any) -> None:
    """s. 55(1) para 7 with s. 49(1): a case without children has no advance to give."""
    with pytest.raises(ApplicationError, match="para 7"):
        _request(world, 100, kind=OneTimeBenefitKind.CHILD_CARE_ADVANCE, reason="Daycare deposit")


def test_dates_of_the_parameter(world: Any) -> None:
    policy = one_time_policy_for(_case(world).delivery_partner_id)
    assert (
        one_time_limit(kind=FTEB, policy=policy, on=dt.date(2026, 1, 1), dependant_children=0).cents
        == 50_000
    )
    limit = one_time_limit(
        kind=OneTimeBenefitKind.CHILD_CARE_ADVANCE,
        policy=policy,
        on=dt.date(2026, 1, 1),
        dependant_children=2,
    )
    assert limit.cents == 120_000


def _text(document_id: int | None) -> str:
    document = Document.objects.get(pk=document_id)
    assert bytes(document.content).startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(bytes(document.content)))
    # Words joined by single spaces (line breaks, no-break spaces of French amounts).
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def test_money_journey_request_approval_letter_batch_bank_file_en_fr(world: Any) -> None:
    """Service-level journey (no browser): request → second person approves (the decision
    stores the notice in English and French) → between-run batch → the CPA-005 credit carries
    the letter's amount."""
    payment = _request(world, 45_067)
    payment = one_time_payment_decide(
        acting_user=world["supervisor"], payment=payment, approve=True
    )
    english, french = _text(payment.notice_en_id), _text(payment.notice_fr_id)
    assert "approved" in english
    assert "$450.67" in english
    assert "accordée" in french
    assert "450,67 $" in french
    assert "Social Benefits Tribunal" in english  # a mandatory benefit: the review rights
    batch = one_time_batch_issue(acting_user=world["supervisor2"], idempotency_key="journey")
    credit = [r for r in one_time_batch_file(batch).decode("ascii").split("\r\n") if r][1]
    assert credit[27:37] == "0000045067"  # the same cents as the letter


def test_refused_discretionary_notice_says_no_appeal(world: Any) -> None:
    payment = _request(world, 20_000, kind=OneTimeBenefitKind.ADULT_DENTAL, reason="Crown")
    payment = one_time_payment_decide(
        acting_user=world["supervisor"],
        payment=payment,
        approve=False,
        refusal_reason="Community dental clinic covers it",
    )
    english, french = _text(payment.notice_en_id), _text(payment.notice_fr_id)
    assert "refused" in english
    assert "Community dental clinic covers it" in english
    assert "cannot be appealed" in english
    assert "26(2)" in english
    assert "ne peut pas faire" in french
    assert "200,00 $" in french


def test_batch_stopped_before_its_commit_leaves_nothing_and_runs_again(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resumable: the batch is one transaction; stopped at its last step (after the file and
    the ledger rows), nothing stays, no file number is used, and the same key issues it."""
    payment = _request(world, 10_000)
    one_time_payment_decide(acting_user=world["supervisor"], payment=payment, approve=True)
    files_before = PaymentFile.objects.count()

    def crash(name: str) -> None:
        raise RuntimeError(name)

    monkeypatch.setattr("caseworks.payments.services.onetime.fault_point", crash)
    with pytest.raises(RuntimeError):
        one_time_batch_issue(acting_user=world["supervisor2"], idempotency_key="resume")
    payment.refresh_from_db()
    assert payment.status == OneTimeStatus.APPROVED
    assert PaymentFile.objects.count() == files_before
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.ONE_TIME_PAYMENT).exists()
    monkeypatch.undo()
    batch = one_time_batch_issue(acting_user=world["supervisor2"], idempotency_key="resume")
    assert batch.payment_file is not None
    assert batch.payment_file.file_creation_number == 1  # the number given back is used now
    payment.refresh_from_db()
    assert payment.status == OneTimeStatus.ISSUED
