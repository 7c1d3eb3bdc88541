"""Reissues reach the bank and the cheque list (issue 12): a direct deposit reissue goes into
one reissues CPA-005 file (validated, numbered from the originator's sequence after the run's
files), a cheque reissue onto one reissue cheque list; each is sent exactly once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.core.money import format_cents
from caseworks.payments.constants import PaymentFileKind
from caseworks.payments.cpa005 import validate_file
from caseworks.payments.models import (
    BankAccount,
    FileCreationCounter,
    PaymentFile,
    PaymentReissue,
    PaymentReturn,
)
from caseworks.payments.returns import (
    cheque_action_record,
    payment_return_reissue,
    payment_returns_import,
    reissue_cheque_list_csv,
    reissue_file_build,
)
from caseworks.payments.services import originator_for, payment_file_build
from caseworks.payments.tests.test_returns import returns_file
from caseworks.payments.tests.test_returns import world as world  # noqa: PLC0414  # the fixture

pytestmark = pytest.mark.django_db


def _new_account(world: dict[str, Any], payment: Any) -> None:
    BankAccount.objects.filter(benefit_unit_id=payment.benefit_unit_id).update(
        end_on=dt.date(2026, 1, 10)
    )
    BankAccount.objects.create(
        benefit_unit_id=payment.benefit_unit_id,
        holder_name="ANA ROY",
        institution="010",
        transit="11111",
        account="99999999",
        start_on=dt.date(2026, 1, 11),
        recorded_by=world["caseworker"],
    )


def _eft_reissue(world: dict[str, Any], payment: Any) -> PaymentReissue:
    payment_returns_import(acting_user=world["supervisor"], data=returns_file([(payment, "912")]))
    _new_account(world, payment)
    return payment_return_reissue(
        acting_user=world["supervisor"],
        payment_return=PaymentReturn.objects.get(payment=payment),
        method="eft",
        reason="Account corrected",
    )


def test_direct_deposit_reissue_in_exactly_one_file_validated_numbers_continue(
    world: dict[str, Any],
) -> None:
    run_data, run_file = payment_file_build(acting_user=world["supervisor"], run=world["run"])
    assert run_file.file_creation_number == 1
    ana = world["eft"][0]
    reissue = _eft_reissue(world, ana)

    data, record = reissue_file_build(acting_user=world["supervisor"])
    # The same originator's sequence: the next number after the run's file.
    assert record.file_creation_number == 2
    assert record.kind == PaymentFileKind.REISSUES
    assert record.run_id is None
    assert record.delivery_partner_id == world["run"].delivery_partner_id
    originator = originator_for(world["run"].delivery_partner).originator_id
    assert FileCreationCounter.objects.get(originator_id=originator).last_number == 2
    # The file validates and carries the one reissue, to the corrected account, to the cent.
    records = [r for r in data.decode("ascii").split("\r\n") if r]
    validate_file(records)
    assert data[20:24] == b"0002"
    assert (record.credit_count, record.credit_total_cents) == (1, ana.amount_cents)
    credit = records[1]
    assert "010" in credit
    assert "11111" in credit
    assert "99999999" in credit
    assert f"OWR{reissue.pk:016d}" in credit
    reissue.refresh_from_db()
    assert reissue.payment_file == record
    assert reissue.sent_at is not None

    # Sent once: the next build has nothing to send, and takes no number.
    with pytest.raises(ApplicationError, match="waiting to be sent") as refused:
        reissue_file_build(acting_user=world["supervisor"])
    assert refused.value.code == "nothing_to_send"
    assert FileCreationCounter.objects.get(originator_id=originator).last_number == 2
    # A new reissue goes into a new file, and the run's rebuilt file continues the numbering.
    ben = world["eft"][1]
    second = _eft_reissue(world, ben)
    _data, next_file = reissue_file_build(acting_user=world["supervisor"])
    assert next_file.file_creation_number == 3
    assert list(next_file.reissues.values_list("pk", flat=True)) == [second.pk]
    _data, rebuilt = payment_file_build(acting_user=world["supervisor"], run=world["run"])
    assert rebuilt.file_creation_number == 4
    assert PaymentReissue.objects.filter(payment_file__isnull=False).count() == 2
    assert (
        AuditEvent.objects.filter(
            event_type="payment_file_generated", extra_data__kind="cpa005_reissues"
        ).count()
        == 2
    )
    assert run_data != data


def test_cheque_reissues_on_exactly_one_cheque_list(world: dict[str, Any]) -> None:
    ana = world["eft"][0]
    cy = world["cheques"][0]
    payment_returns_import(acting_user=world["supervisor"], data=returns_file([(ana, "905")]))
    by_cheque = payment_return_reissue(
        acting_user=world["caseworker"],
        payment_return=PaymentReturn.objects.get(),
        method="cheque",
        reason="Closed",
    )
    cheque_action_record(
        acting_user=world["supervisor"], payment_id=cy.pk, kind="stop", reason="Lost"
    )
    cheque_action_record(
        acting_user=world["supervisor"], payment_id=cy.pk, kind="reissue", reason="Lost"
    )
    text = reissue_cheque_list_csv(acting_user=world["supervisor"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["payment_id"]) for r in rows] == [ana.pk, cy.pk]
    assert rows[0]["reissue_id"] == str(by_cheque.pk)
    assert rows[0]["amount"] == format_cents(ana.amount_cents)
    assert rows[1]["benefit_month"] == "2026-01"
    assert PaymentReissue.objects.filter(sent_at__isnull=True).count() == 0
    with pytest.raises(ApplicationError, match="waiting to be sent"):
        reissue_cheque_list_csv(acting_user=world["supervisor"])
    # The cheques are not in a bank file; no file creation number was taken.
    assert not PaymentFile.objects.exists()


def test_reissue_sending_needs_finance_staff(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        reissue_file_build(acting_user=world["caseworker"])
    with pytest.raises(PermissionDeniedError):
        reissue_cheque_list_csv(acting_user=world["caseworker"])
