"""Bank returns, reissues, the cheque register and the reconciliation of a run (issue 12)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from caseworks.cases.models import Task
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.exports import csv_cell
from caseworks.core.models import AuditEvent
from caseworks.core.money import format_cents
from caseworks.payments.constants import PaymentMethod
from caseworks.payments.cpa005 import (
    PREFIX_LENGTH,
    SEGMENT_LENGTH,
    Credit,
    Originator,
    build_credit_file,
)
from caseworks.payments.models import (
    BankAccount,
    ChequeAction,
    Payment,
    PaymentReissue,
    PaymentReturn,
    ReturnsFile,
)
from caseworks.payments.reconciliation import reconciliation, reconciliation_csv
from caseworks.payments.returns_parsing import parse_cpa005_returns
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import returns as returns_module
from caseworks.payments.services.reissues import cheque_action_record, payment_return_reissue
from caseworks.payments.services.returns import payment_returns_import
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db

BANK_ORIGINATOR = Originator(
    originator_id="0123456789",
    short_name="RETURNS BANK",
    long_name="RETURNS BANK",
    destination_data_centre="00310",
    return_institution="004",
    return_transit="12345",
    return_account="7654321",
)


@pytest.fixture
def world(partner: Any) -> dict[str, Any]:
    staff = payment_staff(partner)
    for first, bank in (
        ("Ana", ("004", "12345", "1234567")),
        ("Ben", ("003", "54321", "7654321")),
        ("Cy", None),
        ("Di", None),
    ):
        active_case(
            partner=partner, actor=staff["caseworker"], first_name=first, last_name="Roy", bank=bank
        )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    eft = list(Payment.objects.filter(run=run, method=PaymentMethod.EFT).order_by("id"))
    cheques = list(Payment.objects.filter(run=run, method=PaymentMethod.CHEQUE).order_by("id"))
    assert len(eft) == 2
    assert len(cheques) == 2
    return {**staff, "run": run, "eft": eft, "cheques": cheques}


def returns_file(items: list[tuple[Payment, str]], amounts: dict[int, int] | None = None) -> bytes:
    """A Standard 005 returned-items file as the bank sends it back: the credits we sent, each
    segment carrying the return reason in its transaction type and 603 in the stored type."""
    amounts = amounts or {}
    data, _total, _count = build_credit_file(
        [
            Credit(
                amount_cents=amounts.get(p.pk, p.amount_cents),
                institution=p.institution,
                transit=p.transit,
                account=p.account,
                payee_name=p.payee_name,
                cross_reference=f"OW{p.pk:017d}",
            )
            for p, _reason in items
        ],
        originator=BANK_ORIGINATOR,
        file_creation_number=7,
        creation_date=dt.date(2026, 1, 10),
        funds_date=dt.date(2026, 1, 9),
    )
    records = data.split(b"\r\n")
    record = bytearray(records[1])
    for slot, (_payment, reason) in enumerate(items):
        start = PREFIX_LENGTH + slot * SEGMENT_LENGTH
        record[start : start + 3] = reason.encode()
        record[start + 62 : start + 65] = b"603"
        record[start + 40 : start + 62] = f"{slot + 1:022d}".encode()
    records[1] = bytes(record)
    return b"\r\n".join(records)


def csv_returns(rows: list[tuple[str, str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["cross_reference", "amount", "reason_code", "date"])
    writer.writerows(rows)
    return out.getvalue().encode()


def test_returns_file_parsed_and_matched_to_the_issued_payment(world: dict[str, Any]) -> None:
    ana, ben = world["eft"]
    data = returns_file([(ana, "905"), (ben, "912")])
    items = parse_cpa005_returns(data)
    assert [(i.cross_reference, i.reason_code, i.returned_on) for i in items] == [
        (f"OW{ana.pk:017d}", "905", dt.date(2026, 1, 9)),
        (f"OW{ben.pk:017d}", "912", dt.date(2026, 1, 9)),
    ]
    result = payment_returns_import(acting_user=world["supervisor"], data=data)
    assert result.recorded == 2
    assert not result.unchanged
    back = PaymentReturn.objects.get(payment=ana)
    assert (back.reason_code, back.amount_cents, back.trace_number) == (
        "905",
        ana.amount_cents,
        "0" * 21 + "1",
    )
    ana.refresh_from_db()
    assert ana.amount_cents == back.amount_cents  # the payment is never edited
    assert AuditEvent.objects.filter(event_type="payment_returns_imported").count() == 1
    # The CSV report of the same return is matched too (and skipped: already returned).
    again = payment_returns_import(
        acting_user=world["supervisor"],
        data=csv_returns([(str(ana.pk), format_cents(ana.amount_cents), "R905", "2026-01-09")]),
    )
    assert (again.recorded, again.already_returned) == (0, 1)


def test_returned_amount_mismatch_refused_naming_the_line(world: dict[str, Any]) -> None:
    ana, ben = world["eft"]
    data = csv_returns(
        [
            (f"OW{ana.pk:017d}", format_cents(ana.amount_cents), "905", "2026-01-09"),
            (f"OW{ben.pk:017d}", format_cents(ben.amount_cents + 1), "905", "2026-01-09"),
        ]
    )
    with pytest.raises(ApplicationError, match="Line 3 of the returns file") as exc:
        payment_returns_import(acting_user=world["supervisor"], data=data)
    assert exc.value.code == "returned_amount_mismatch"
    assert not PaymentReturn.objects.exists()
    assert not ReturnsFile.objects.exists()
    with pytest.raises(ApplicationError, match="Record 2, segment 1 of the returns file"):
        payment_returns_import(
            acting_user=world["supervisor"],
            data=returns_file([(ana, "905")], amounts={ana.pk: ana.amount_cents - 1}).replace(
                b"\r\n", b"\n"
            ),
        )


def test_returned_payment_gives_its_case_a_task(world: dict[str, Any]) -> None:
    ana = world["eft"][0]
    payment_returns_import(acting_user=world["supervisor"], data=returns_file([(ana, "905")]))
    task = Task.objects.get(kind="payment_returned")
    assert task.benefit_unit_id == ana.benefit_unit_id
    assert task.assigned_to == world["caseworker"]
    assert "905 Account closed" in task.title


def test_same_returns_file_twice_changes_nothing_and_a_killed_import_resumes(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = world["eft"]
    data = returns_file([(ana, "905"), (ben, "902")])
    monkeypatch.setattr(returns_module, "RETURNS_BATCH", 1)
    real = returns_module._import_batch
    calls = {"n": 0}

    def dies_on_second(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(*args)

    monkeypatch.setattr(returns_module, "_import_batch", dies_on_second)
    with pytest.raises(RuntimeError):
        payment_returns_import(acting_user=world["supervisor"], data=data)
    assert PaymentReturn.objects.count() == 1
    assert ReturnsFile.objects.get().next_item == 1
    monkeypatch.setattr(returns_module, "_import_batch", real)
    resumed = payment_returns_import(acting_user=world["supervisor"], data=data)
    assert resumed.recorded == 1
    assert PaymentReturn.objects.count() == 2
    assert Task.objects.count() == 2
    second = payment_returns_import(acting_user=world["supervisor"], data=data)
    assert second.unchanged
    assert second.recorded == 0
    assert (PaymentReturn.objects.count(), Task.objects.count(), ReturnsFile.objects.count()) == (
        2,
        2,
        1,
    )
    assert AuditEvent.objects.filter(event_type="payment_returns_imported").count() == 1


def test_reissue_by_cheque_only_once(world: dict[str, Any]) -> None:
    ana = world["eft"][0]
    payment_returns_import(acting_user=world["supervisor"], data=returns_file([(ana, "905")]))
    back = PaymentReturn.objects.get()
    reissue = payment_return_reissue(
        acting_user=world["caseworker"], payment_return=back, method="cheque", reason="Closed"
    )
    assert (reissue.original, reissue.amount_cents, reissue.method) == (
        ana,
        ana.amount_cents,
        "cheque",
    )
    with pytest.raises(ApplicationError, match="only once"):
        payment_return_reissue(
            acting_user=world["caseworker"], payment_return=back, method="cheque", reason="again"
        )
    assert PaymentReissue.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="payment_reissued").count() == 1


def test_reissue_to_a_corrected_account_only_once(world: dict[str, Any]) -> None:
    ana = world["eft"][0]
    payment_returns_import(acting_user=world["supervisor"], data=returns_file([(ana, "912")]))
    back = PaymentReturn.objects.get()
    with pytest.raises(ApplicationError, match="corrected bank account"):
        payment_return_reissue(
            acting_user=world["caseworker"], payment_return=back, method="eft", reason="Fixed"
        )
    BankAccount.objects.filter(benefit_unit_id=ana.benefit_unit_id).update(
        end_on=dt.date(2026, 1, 10)
    )
    BankAccount.objects.create(
        benefit_unit_id=ana.benefit_unit_id,
        holder_name="ANA ROY",
        institution="010",
        transit="11111",
        account="99999999",
        start_on=dt.date(2026, 1, 11),
        recorded_by=world["caseworker"],
    )
    with pytest.raises(ApplicationError, match="another person"):
        payment_return_reissue(
            acting_user=world["caseworker"], payment_return=back, method="eft", reason="Fixed"
        )
    reissue = payment_return_reissue(
        acting_user=world["supervisor"], payment_return=back, method="eft", reason="Fixed"
    )
    assert (reissue.institution, reissue.transit, reissue.account) == ("010", "11111", "99999999")
    with pytest.raises(ApplicationError, match="only once"):
        payment_return_reissue(
            acting_user=world["supervisor"], payment_return=back, method="cheque", reason="x"
        )


def test_reconciliation_totals_to_the_cent(world: dict[str, Any]) -> None:
    ana, ben = world["eft"]
    cy, di = world["cheques"]
    supervisor = world["supervisor"]
    payment_returns_import(acting_user=supervisor, data=returns_file([(ana, "905"), (ben, "910")]))
    payment_return_reissue(
        acting_user=world["caseworker"],
        payment_return=PaymentReturn.objects.get(payment=ana),
        method="cheque",
        reason="Account closed",
    )
    cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="stop", reason="Lost")
    report = reconciliation(world["run"])
    eft_total = ana.amount_cents + ben.amount_cents
    cheque_total = cy.amount_cents + di.amount_cents
    assert report["issued"]["eft"] == (2, eft_total)
    assert report["issued"]["cheque"] == (2, cheque_total)
    assert report["returned"]["eft"] == (2, eft_total)
    assert report["returned"]["cheque"] == (1, cy.amount_cents)
    assert report["reissued"]["cheque"] == (1, ana.amount_cents)
    assert report["outstanding"]["eft"] == (1, ben.amount_cents)
    assert report["outstanding"]["cheque"] == (1, cy.amount_cents)
    # Paid, counted from what reached clients: Di's cheque and Ana's reissued cheque.
    assert report["paid"]["total"][1] == di.amount_cents + ana.amount_cents
    for method in ("eft", "cheque", "total"):
        issued, paid = report["issued"][method], report["paid"][method]
        returned, reissued = report["returned"][method], report["reissued"][method]
        outstanding = report["outstanding"][method][1]
        assert issued[1] == paid[1] + returned[1] - reissued[1]
    assert report["issued"]["total"][1] == report["paid"]["total"][1] + sum(
        report["outstanding"][m][1] for m in ("eft", "cheque")
    )
    assert outstanding == report["outstanding"]["total"][1]


def test_reconciliation_csv_guards_formula_injection(world: dict[str, Any]) -> None:
    run = world["run"]
    run.delivery_partner.name = "=HYPERLINK(evil)"
    text = reconciliation_csv(run)
    assert text.splitlines()[0].startswith("'=HYPERLINK(evil)")
    assert [csv_cell(x) for x in ("+1", "-1", "@a", "\tx", "\rx", "ok")] == [
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
    ]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2][:3] == ["Issued", "2", rows[2][2]]


def test_cheque_stop_cancel_reissue_audited_and_permission_checked(world: dict[str, Any]) -> None:
    cy, di = world["cheques"]
    supervisor, caseworker = world["supervisor"], world["caseworker"]
    with pytest.raises(PermissionDeniedError):
        cheque_action_record(acting_user=caseworker, payment_id=cy.pk, kind="stop", reason="Lost")
    with pytest.raises(ApplicationError, match="Stop or cancel"):
        cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="reissue", reason="x")
    with pytest.raises(ApplicationError, match="reason"):
        cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="stop", reason=" ")
    cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="stop", reason="Lost")
    with pytest.raises(ApplicationError, match="already stopped"):
        cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="cancel", reason="x")
    cheque_action_record(acting_user=supervisor, payment_id=di.pk, kind="cancel", reason="Void")
    cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="reissue", reason="New")
    with pytest.raises(ApplicationError, match="only once"):
        cheque_action_record(acting_user=supervisor, payment_id=cy.pk, kind="reissue", reason="x")
    assert list(ChequeAction.objects.order_by("id").values_list("kind", "reason")) == [
        ("stop", "Lost"),
        ("cancel", "Void"),
        ("reissue", "New"),
    ]
    assert AuditEvent.objects.filter(event_type="cheque_action_recorded").count() == 3
    assert PaymentReissue.objects.get().original == cy
    with pytest.raises(ApplicationError, match="not a cheque"):
        cheque_action_record(
            acting_user=supervisor, payment_id=world["eft"][0].pk, kind="stop", reason="x"
        )


def test_run_pages_show_reconciliation_and_cheque_register(
    client: Any, world: dict[str, Any]
) -> None:
    run, supervisor, caseworker = world["run"], world["supervisor"], world["caseworker"]
    client.force_login(supervisor)
    assert (
        b"reconciliation-title" in client.get(reverse("payments:run_detail", args=[run.pk])).content
    )
    page = client.get(reverse("payments:run_reconciliation", args=[run.pk]))
    assert page.status_code == 200
    assert b"Outstanding" in page.content
    exported = client.get(reverse("payments:run_reconciliation_csv", args=[run.pk]))
    assert exported["Content-Type"].startswith("text/csv")
    register = client.get(reverse("payments:run_cheque_register", args=[run.pk]))
    assert register.status_code == 200
    client.force_login(caseworker)
    assert client.get(reverse("payments:run_cheque_register", args=[run.pk])).status_code == 403
