"""The one way money owed is written: `ledger_add` for single entries (every service and the
recalculation use it) and `recoveries_insert` for the run's set-based recovery entries.

Two balances are read from the same entries:
* the overpayment balance (owed by the client): overpayment + recovery + repayment + write-off
  + set-off (recovery, repayment, write-off and set-off are negative);
* the underpayment owed to the client: underpayment + underpayment paid + set-off.
A set-off is one entry that lowers both: an underpayment found while an overpayment is open is
applied to it first (`UNDERPAYMENT_SET_OFF_CITATION`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Sum

from caseworks.accounts.models import User
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType

from .bulk import id_in
from .constants import RECOVERY_CITATION, LedgerEntryKind, LineKind, RunStatus
from .models import LedgerEntry, Payment, PaymentRunLine

BALANCE_KINDS = (
    LedgerEntryKind.OVERPAYMENT,
    LedgerEntryKind.RECOVERY,
    LedgerEntryKind.REPAYMENT,
    LedgerEntryKind.WRITE_OFF,
    LedgerEntryKind.SET_OFF,
)
UNDERPAYMENT_KINDS = (
    LedgerEntryKind.UNDERPAYMENT,
    LedgerEntryKind.UNDERPAYMENT_PAID,
    LedgerEntryKind.SET_OFF,
)
# Entries that correct what was issued for one benefit month (signed as the client's gain).
ADJUSTMENT_SIGN: dict[str, int] = {
    LedgerEntryKind.OVERPAYMENT.value: -1,
    LedgerEntryKind.UNDERPAYMENT.value: 1,
}
OVERPAYMENT_CITATION = "Ontario Works Act, 1997, s. 19; O. Reg. 134/98, s. 62"
UNDERPAYMENT_CITATION = "O. Reg. 134/98, s. 64 (retroactive payment)"
UNDERPAYMENT_SET_OFF_CITATION = (
    "O. Reg. 134/98, s. 62; OW Policy Directive 9.3 (August 2025); "
    "ODSP Policy Directive 11.1 (arrears applied to an overpayment)"
)


def overpayment_balances(benefit_unit_ids: list[int]) -> dict[int, int]:
    rows = (
        LedgerEntry.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), kind__in=BALANCE_KINDS
        )
        .values("benefit_unit_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {r["benefit_unit_id"]: int(r["total"] or 0) for r in rows}


def overpayment_balance_cents(benefit_unit_id: int) -> int:
    """The balance the client owes: the sum of the ledger's overpayment-side entries."""
    return overpayment_balances([benefit_unit_id]).get(benefit_unit_id, 0)


def underpayment_owed_cents(benefit_unit_id: int) -> int:
    total = LedgerEntry.objects.filter(
        benefit_unit_id=benefit_unit_id, kind__in=UNDERPAYMENT_KINDS
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def pending_recovery_cents(benefit_unit_id: int) -> int:
    """Recovery already set on lines of runs not yet released: it will be booked at the
    release, so it is not available to repay, write off or set off in the meantime."""

    total = (
        PaymentRunLine.objects.filter(
            benefit_unit_id=benefit_unit_id,
            kind=LineKind.PAY,
            recovery_cents__gt=0,
            # A draft's lines exist while its dry run is writing them (a redo deletes old ones).
            run__status__in=(
                RunStatus.DRAFT,
                RunStatus.DRY_RUN_COMPLETE,
                RunStatus.APPROVED,
                RunStatus.RELEASING,
            ),
        )
        .exclude(payment__isnull=False)
        .aggregate(total=Sum("recovery_cents"))["total"]
    )
    return int(total or 0)


def available_balance_cents(benefit_unit_id: int) -> int:
    """The overpayment balance less the recovery waiting in a run not yet released."""
    return overpayment_balance_cents(benefit_unit_id) - pending_recovery_cents(benefit_unit_id)


def month_adjustments_cents(payment: Payment) -> int:
    """What earlier corrections of this payment's month already changed, as the client's gain
    (an overpayment booked counts against, an underpayment for)."""
    total = 0
    for kind, amount in LedgerEntry.objects.filter(
        payment=payment, kind__in=tuple(ADJUSTMENT_SIGN)
    ).values_list("kind", "amount_cents"):
        total += ADJUSTMENT_SIGN[kind] * amount
    return total


def ledger_add(
    *,
    acting_user: User,
    benefit_unit: Any,
    kind: str,
    amount_cents: int,
    reason: str,
    citation: str = "",
    benefit_month: dt.date | None = None,
    payment: Payment | None = None,
    determination_id: int | None = None,
) -> LedgerEntry:
    """Write one ledger entry with its audit event (the caller holds the case lock and is
    inside a transaction). Entries are never edited or deleted."""
    entry = LedgerEntry.objects.create(
        benefit_unit=benefit_unit,
        kind=kind,
        amount_cents=amount_cents,
        benefit_month=benefit_month,
        payment=payment,
        determination_id=determination_id,
        reason=reason,
        citation=citation,
        recorded_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.LEDGER_ENTRY_RECORDED,
        subject=entry,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"kind": kind, "amount_cents": amount_cents, "reason": reason},
    )
    return entry


def set_off_underpayment(
    *, acting_user: User, benefit_unit: Any, underpayment: LedgerEntry
) -> LedgerEntry | None:
    """Apply a new underpayment to the open overpayment balance, as far as it goes."""
    amount = min(
        underpayment.amount_cents,
        available_balance_cents(benefit_unit.pk),
        underpayment_owed_cents(benefit_unit.pk),
    )
    if amount <= 0:
        return None
    return ledger_add(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        kind=LedgerEntryKind.SET_OFF,
        amount_cents=-amount,
        reason=underpayment.reason,
        citation=UNDERPAYMENT_SET_OFF_CITATION,
        benefit_month=underpayment.benefit_month,
        payment=underpayment.payment,
        determination_id=underpayment.determination_id,
    )


def recoveries_insert(
    *, run_id: int, benefit_month: dt.date, after_id: int, upto_id: int, user_id: int, now: Any
) -> None:
    """The run's recovery entries for its payments with after_id < line id <= upto_id (one
    statement; ON CONFLICT DO NOTHING: a recovery is recorded once per payment)."""
    payment = Payment._meta.db_table
    ledger = LedgerEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO "{ledger}" (benefit_unit_id, kind, amount_cents, benefit_month,
                payment_id, determination_id, reason, citation, recorded_by_id, recorded_at)
            SELECT p.benefit_unit_id, %s, -p.recovery_cents, p.benefit_month, p.id,
                p.determination_id, %s, %s, %s, %s
            FROM "{payment}" p
            WHERE p.run_id = %s AND p.recovery_cents > 0 AND p.line_id > %s AND p.line_id <= %s
            ORDER BY p.id
            ON CONFLICT DO NOTHING
            """,  # noqa: S608  # table names from the models' metadata, values are parameters
            [
                LedgerEntryKind.RECOVERY,
                f"Deducted from the payment for {benefit_month:%Y-%m}",
                RECOVERY_CITATION,
                user_id,
                now,
                run_id,
                after_id,
                upto_id,
            ],
        )
