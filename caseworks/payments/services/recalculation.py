"""Recalculation of benefit months from the facts in force each month, and edits of past data
with a preview: nothing is recalculated retroactively by surprise.

* `determination_for_month` stores the Determination of one case-month (rules of that month).
* `recalculation_preview(edit=...)` makes the edit inside a savepoint, recalculates every
  affected benefit month, compares with what was stored (the payment issued, or the last
  determination), and rolls everything back: the caller sees each month's old and new amount.
* `recalculation_apply(edit=...)` makes the edit for real and records new determinations for the
  months; a month already paid is never changed silently: the difference becomes an
  overpayment (paid too much) or underpayment (paid too little) ledger entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.calculation import engine
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_lock
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.eligibility.constants import DeterminationResult
from caseworks.eligibility.models import Determination

from ..calc import calculate_many, determination_for
from ..constants import LedgerEntryKind
from ..facts import build_month_facts, month_start
from ..ledger import (
    OVERPAYMENT_CITATION,
    UNDERPAYMENT_CITATION,
    ledger_add,
    month_adjustments_cents,
    set_off_underpayment,
)
from ..letters import ledger_notices_generate
from ..models import Payment

MAX_MONTHS = 36


@dataclass(frozen=True)
class MonthChange:
    benefit_month: dt.date
    paid: bool
    old_payment_cents: int | None
    new_payment_cents: int
    new_result: str
    # The rules' explanation of the new amount (Determination.explanation items).
    explanation: tuple[Any, ...] = field(default=(), compare=False)

    @property
    def difference_cents(self) -> int:
        return self.new_payment_cents - (self.old_payment_cents or 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "benefit_month": self.benefit_month.strftime("%Y-%m"),
            "paid": self.paid,
            "old_payment_cents": self.old_payment_cents,
            "new_payment_cents": self.new_payment_cents,
            "difference_cents": self.difference_cents,
            "result": self.new_result,
        }


class _RollbackError(Exception):
    pass


def _months(benefit_unit: BenefitUnit, from_month: dt.date) -> list[dt.date]:
    start = month_start(from_month)
    last_paid = Payment.objects.filter(benefit_unit=benefit_unit).aggregate(m=Max("benefit_month"))[
        "m"
    ]
    last_determined = Determination.objects.filter(benefit_unit=benefit_unit).aggregate(
        m=Max("benefit_month")
    )["m"]
    end = max([d for d in (last_paid, last_determined) if d is not None] or [start], default=start)
    end = max(end, start)
    months: list[dt.date] = []
    month = start
    while month <= end and len(months) < MAX_MONTHS:
        months.append(month)
        month += relativedelta(months=1)
    return months


def _payments(benefit_unit: BenefitUnit, months: list[dt.date]) -> dict[dt.date, Payment]:
    return {
        p.benefit_month: p
        for p in Payment.objects.filter(benefit_unit=benefit_unit, benefit_month__in=months)
    }


def _issued_net_cents(payment: Payment) -> int:
    """What the client was given for the payment's month: the payment, plus or minus every
    correction of that month booked since (never today's balance or recovery)."""
    return payment.amount_cents + month_adjustments_cents(payment)


def _last_determined(benefit_unit: BenefitUnit, month: dt.date) -> int | None:
    latest = (
        Determination.objects.filter(benefit_unit=benefit_unit, benefit_month=month)
        .order_by("-determined_at", "-id")
        .first()
    )
    return latest.payment_cents if latest else None


def _calculate(
    benefit_unit: BenefitUnit, months: list[dt.date], acting_user: User
) -> list[tuple[dt.date, Determination, Payment | None]]:
    """Each month from the facts in force that month. A month already paid keeps what was
    stored with its payment: its months in receipt, the income it was paid on for members who
    have not reported that month, and its recovery (not calculated again: the determination is
    the month's amount before recovery)."""
    version = engine.rules_version()
    paid = _payments(benefit_unit, months)
    situations = dict(
        Determination.objects.filter(
            pk__in=[p.determination_id for p in paid.values()]
        ).values_list("pk", "situation")
    )
    results = []
    for month in months:  # months differ in rules and facts: one call each, few months
        payment = paid.get(month)
        facts = build_month_facts(
            [benefit_unit.pk],
            month,
            with_recovery=payment is None,
            months_in_receipt={benefit_unit.pk: payment.months_in_receipt} if payment else None,
            paid_situations={benefit_unit.pk: situations[payment.determination_id]}
            if payment
            else None,
        )
        determination = determination_for(
            calculate_many(facts)[0],
            benefit_month=month,
            acting_user_id=acting_user.pk,
            rules_version=version,
        )
        results.append((month, determination, payment))
    return results


def _changes(
    benefit_unit: BenefitUnit, computed: list[tuple[dt.date, Determination, Payment | None]]
) -> list[MonthChange]:
    changes = []
    for month, determination, payment in computed:
        if payment is None:
            old = _last_determined(benefit_unit, month)
            new = determination.payment_cents
        else:
            # Compared net of this month's own recovery, stored on its payment.
            old = _issued_net_cents(payment)
            new = determination.payment_cents - payment.recovery_cents
        changes.append(
            MonthChange(
                benefit_month=month,
                paid=payment is not None,
                old_payment_cents=old,
                new_payment_cents=new,
                new_result=determination.result,
                explanation=tuple(determination.explanation),
            )
        )
    return changes


@transaction.atomic
def determination_for_month(
    *, acting_user: User, benefit_unit: BenefitUnit, benefit_month: dt.date
) -> Determination:
    """Calculate and store one case-month from the facts in force that month."""
    require_capability(acting_user, Capability.DETERMINATION_RUN)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    ((month, determination, _payment),) = _calculate(
        benefit_unit, [month_start(benefit_month)], acting_user
    )
    determination.save()  # custom-check: allow save-needs-update-fields (a new row: a create)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.DETERMINATION_RUN,
        subject=determination,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={
            "benefit_month": month.isoformat(),
            "payment_cents": determination.payment_cents,
        },
    )
    return determination


def recalculation_preview(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    from_month: dt.date,
    edit: Callable[[], Any],
    include_unchanged: bool = False,
) -> list[MonthChange]:
    """Every benefit month from `from_month` the edit would change, and by how much.
    Nothing is saved (the edit runs in a savepoint that is rolled back). With
    `include_unchanged`, every month from `from_month` is listed (at least `from_month` itself,
    even when no later month is paid or determined): the preview of the next payment."""
    require_capability(acting_user, Capability.CASE_VIEW)
    return _preview(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        from_month=from_month,
        edit=edit,
        include_unchanged=include_unchanged,
    )


def recalculation_preview_for_client(
    *, acting_user: User, benefit_unit: BenefitUnit, from_month: dt.date, edit: Callable[[], Any]
) -> list[MonthChange]:
    """`recalculation_preview` for the client's own case in the portal (issue 17): the same
    rules path, nothing saved, and every month from `from_month` returned (the unchanged ones
    too: the client sees the month's amount). `caseworks.portal` checks that `acting_user` is
    the client's account on this benefit unit before calling."""
    return _preview(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        from_month=from_month,
        edit=edit,
        include_unchanged=True,
    )


def _preview(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    from_month: dt.date,
    edit: Callable[[], Any],
    include_unchanged: bool = False,
) -> list[MonthChange]:
    result: list[MonthChange] = []
    try:
        with transaction.atomic():
            edit()
            months = _months(benefit_unit, from_month)
            result = _changes(benefit_unit, _calculate(benefit_unit, months, acting_user))
            raise _RollbackError
    except _RollbackError:
        pass
    if include_unchanged:
        return result
    return [c for c in result if c.old_payment_cents is None or c.difference_cents != 0]


def _book_difference(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    payment: Payment,
    determination: Determination,
    difference: int,
) -> None:
    """Book only the difference between the month's correct amount and what was issued for it
    (net of earlier corrections): the same correction twice books nothing."""
    month = payment.benefit_month
    reason = _("Recalculation of %(month)s after a change of past information") % {
        "month": month.strftime("%Y-%m")
    }
    entry = ledger_add(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        kind=LedgerEntryKind.OVERPAYMENT if difference < 0 else LedgerEntryKind.UNDERPAYMENT,
        amount_cents=abs(difference),
        reason=reason,
        citation=OVERPAYMENT_CITATION if difference < 0 else UNDERPAYMENT_CITATION,
        benefit_month=month,
        payment=payment,
        determination_id=determination.pk,
    )
    if difference < 0:
        ledger_notices_generate(acting_user=acting_user, entry=entry)
    else:
        set_off_underpayment(acting_user=acting_user, benefit_unit=benefit_unit, underpayment=entry)


@transaction.atomic
def recalculation_apply(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    from_month: dt.date,
    edit: Callable[[], Any],
    expected_version: int | None = None,
) -> list[MonthChange]:
    """Make the edit and record the recalculated months (see module docstring)."""
    require_capability(acting_user, Capability.DETERMINATION_RUN)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    locked = benefit_unit_lock(benefit_unit, expected_version)
    edit()
    months = _months(locked, from_month)
    computed = _calculate(locked, months, acting_user)
    changes = _changes(locked, computed)
    insufficient = DeterminationResult.INSUFFICIENT_INFORMATION
    for (month, determination, payment), change in zip(computed, changes, strict=True):
        if change.paid and determination.result == insufficient:
            raise ApplicationError(
                _("%(month)s, already paid, cannot be calculated with this change: %(missing)s")
                % {
                    "month": month.strftime("%Y-%m"),
                    "missing": "; ".join(determination.missing_information),
                },
                field="benefit_month",
            )
        if change.old_payment_cents is not None and change.difference_cents == 0:
            continue
        determination.save()
        if payment is not None:
            _book_difference(
                acting_user=acting_user,
                benefit_unit=locked,
                payment=payment,
                determination=determination,
                difference=change.difference_cents,
            )
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["version", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.RECALCULATION_APPLIED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.pk,
        extra_data={"months": [c.as_dict() for c in changes]},
    )
    return changes
