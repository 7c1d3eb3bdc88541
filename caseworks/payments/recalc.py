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
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_lock
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.eligibility import engine
from caseworks.eligibility.models import Determination

from .calc import calculate_many, determination_for
from .constants import LedgerEntryKind
from .facts import build_month_facts, month_start
from .letters import ledger_notices_generate
from .models import LedgerEntry, Payment

MAX_MONTHS = 36


@dataclass(frozen=True)
class MonthChange:
    benefit_month: dt.date
    paid: bool
    old_payment_cents: int | None
    new_payment_cents: int
    new_result: str

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


def _stored_amount(benefit_unit: BenefitUnit, month: dt.date) -> tuple[bool, int | None]:
    payment = Payment.objects.filter(benefit_unit=benefit_unit, benefit_month=month).first()
    if payment is not None:
        return True, payment.amount_cents
    latest = (
        Determination.objects.filter(benefit_unit=benefit_unit, benefit_month=month)
        .order_by("-determined_at", "-id")
        .first()
    )
    return False, latest.payment_cents if latest else None


def _calculate(
    benefit_unit: BenefitUnit, months: list[dt.date], acting_user: Any
) -> list[tuple[dt.date, Determination]]:
    version = engine.rules_version()
    results = []
    for month in months:  # months differ in rules and facts: one call each, few months
        outcome = calculate_many(build_month_facts([benefit_unit.pk], month))[0]
        results.append(
            (
                month,
                determination_for(
                    outcome,
                    benefit_month=month,
                    acting_user_id=acting_user.pk,
                    rules_version=version,
                ),
            )
        )
    return results


def _changes(
    benefit_unit: BenefitUnit, computed: list[tuple[dt.date, Determination]]
) -> list[MonthChange]:
    changes = []
    for month, determination in computed:
        paid, old = _stored_amount(benefit_unit, month)
        changes.append(
            MonthChange(
                benefit_month=month,
                paid=paid,
                old_payment_cents=old,
                new_payment_cents=determination.payment_cents,
                new_result=determination.result,
            )
        )
    return changes


@transaction.atomic
def determination_for_month(
    *, acting_user: Any, benefit_unit: BenefitUnit, benefit_month: dt.date
) -> Determination:
    """Calculate and store one case-month from the facts in force that month."""
    require_capability(acting_user, Capability.DETERMINATION_RUN)
    if acting_user.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))
    ((month, determination),) = _calculate(benefit_unit, [month_start(benefit_month)], acting_user)
    determination.save()
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
    *, acting_user: Any, benefit_unit: BenefitUnit, from_month: dt.date, edit: Callable[[], Any]
) -> list[MonthChange]:
    """Every benefit month from `from_month` the edit would change, and by how much.
    Nothing is saved (the edit runs in a savepoint that is rolled back)."""
    require_capability(acting_user, Capability.CASE_VIEW)
    result: list[MonthChange] = []
    try:
        with transaction.atomic():
            edit()
            months = _months(benefit_unit, from_month)
            result = _changes(benefit_unit, _calculate(benefit_unit, months, acting_user))
            raise _RollbackError
    except _RollbackError:
        pass
    return [c for c in result if c.old_payment_cents is None or c.difference_cents != 0]


@transaction.atomic
def recalculation_apply(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    from_month: dt.date,
    edit: Callable[[], Any],
    expected_version: int | None = None,
) -> list[MonthChange]:
    """Make the edit and record the recalculated months (see module docstring)."""
    require_capability(acting_user, Capability.DETERMINATION_RUN)
    if acting_user.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))
    locked = benefit_unit_lock(benefit_unit, expected_version)
    edit()
    months = _months(locked, from_month)
    computed = _calculate(locked, months, acting_user)
    changes = _changes(locked, computed)
    for (month, determination), change in zip(computed, changes, strict=True):
        if change.old_payment_cents is not None and change.difference_cents == 0:
            continue
        determination.save()
        if not change.paid:
            continue
        payment = Payment.objects.get(benefit_unit=locked, benefit_month=month)
        difference = change.difference_cents
        entry = LedgerEntry.objects.create(
            benefit_unit=locked,
            kind=LedgerEntryKind.OVERPAYMENT if difference < 0 else LedgerEntryKind.UNDERPAYMENT,
            amount_cents=abs(difference),
            benefit_month=month,
            payment=payment,
            determination=determination,
            reason=_("Recalculation of %(month)s after a change of past information")
            % {"month": month.strftime("%Y-%m")},
            citation="Ontario Works Act, 1997, s. 19; O. Reg. 134/98, s. 62"
            if difference < 0
            else "O. Reg. 134/98, s. 64 (retroactive payment)",
            recorded_by=acting_user,
            recorded_at=timezone.now(),
        )
        if difference < 0:
            ledger_notices_generate(acting_user=acting_user, entry=entry)
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
