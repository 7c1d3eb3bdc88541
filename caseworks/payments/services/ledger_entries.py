"""Status actions with their notices, the overpayment ledger, recovery rates and interim
assistance overpayments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_lock, case_status_change
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.money import display_cents
from caseworks.core.ownership import require_same_partner
from caseworks.documents.models import Document

from ..constants import (
    MAX_RECOVERY_RATE_BP,
    RECOVERY_CITATION,
    LedgerEntryKind,
    PaymentActionKind,
)
from ..facts import default_rate_bp
from ..ledger import (
    available_balance_cents,
    ledger_add,
    month_adjustments_cents,
    underpayment_owed_cents,
)
from ..ledger import overpayment_balance_cents as _balance
from ..letters import ledger_notices_generate, payment_action_notices_generate
from ..models import (
    LedgerEntry,
    Payment,
    PaymentAction,
    PaymentProfile,
)


def _profile(benefit_unit: BenefitUnit) -> PaymentProfile:
    profile, _created = PaymentProfile.objects.select_for_update().get_or_create(
        benefit_unit=benefit_unit
    )
    return profile


_ACTION_STATUS = {
    PaymentActionKind.SUSPENSION: CaseStatus.SUSPENDED,
    PaymentActionKind.CANCELLATION: CaseStatus.CLOSED,
    PaymentActionKind.REINSTATEMENT: CaseStatus.ACTIVE,
}


# Checks a hold for a missing monthly report must pass; each raises ApplicationError to refuse.
# Higher apps register theirs at start-up (AppConfig.ready): the portal, which sends the
# reminders, registers "two reminders on two channels" (a lower app takes the callable).
MISSING_REPORT_HOLD_CHECKS: list[Callable[[BenefitUnit], None]] = []


@transaction.atomic
def payment_action_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    kind: str,
    reason: str,
    effective_on: dt.date | None = None,
    expected_version: int | None = None,
    for_missing_report: bool = False,
) -> PaymentAction:
    """Hold or release payments, or suspend, cancel or reinstate assistance, with a reason and
    a notice in English and French that states the right to an internal review.

    A hold for a missing monthly report (`for_missing_report`) is refused unless every check in
    MISSING_REPORT_HOLD_CHECKS passes: the client portal registers the rule that the client was
    reminded twice, on two channels where they have them (caseworks.portal.reminders)."""

    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if kind not in PaymentActionKind.values:
        raise ApplicationError(_("Choose what to do."), field="kind")
    if kind == PaymentActionKind.HOLD and for_missing_report:
        for check in MISSING_REPORT_HOLD_CHECKS:
            check(benefit_unit)
    if not reason.strip():
        raise ApplicationError(_("Give the reason; it is printed on the notice."), field="reason")
    effective_on = effective_on or timezone.localdate()
    if kind in _ACTION_STATUS:
        benefit_unit = case_status_change(
            acting_user=acting_user,
            benefit_unit=benefit_unit,
            to_status=_ACTION_STATUS[PaymentActionKind(kind)],
            reason=reason,
            effective_on=effective_on,
            expected_version=expected_version,
        )
    else:
        locked = benefit_unit_lock(benefit_unit, expected_version)
        profile = _profile(locked)
        if kind == PaymentActionKind.HOLD and profile.on_hold:
            raise ApplicationError(_("Payments are already on hold."), field="kind")
        if kind == PaymentActionKind.HOLD_RELEASED and not profile.on_hold:
            raise ApplicationError(_("Payments are not on hold."), field="kind")
        profile.on_hold = kind == PaymentActionKind.HOLD
        profile.hold_reason = reason.strip() if profile.on_hold else ""
        profile.version += 1
        profile._history_user = acting_user  # type: ignore[attr-defined]
        profile.save(update_fields=["on_hold", "hold_reason", "version", "modified_at"])
        locked.version += 1
        locked._history_user = acting_user  # type: ignore[attr-defined]
        locked.save(update_fields=["version", "modified_at"])
        benefit_unit = locked
    action = PaymentAction(
        benefit_unit=benefit_unit,
        kind=kind,
        reason=reason.strip(),
        effective_on=effective_on,
        recorded_by=acting_user,
    )
    action._history_user = acting_user  # type: ignore[attr-defined]
    action.save()
    payment_action_notices_generate(acting_user=acting_user, action=action)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_ACTION_RECORDED,
        subject=action,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"kind": kind, "effective_on": effective_on.isoformat()},
    )
    return action


# --- Overpayment ledger ---------------------------------------------------------------------


def overpayment_balance_cents(benefit_unit: BenefitUnit) -> int:
    """The balance the client owes: the sum of the ledger's overpayment-side entries."""
    return _balance(benefit_unit.pk)


@transaction.atomic
def overpayment_record(
    *,
    acting_user: User,
    payment: Payment,
    correct_amount_cents: int,
    reason: str,
    determination_id: int | None = None,
    notify: bool = True,
) -> LedgerEntry:
    """An overpayment: part of a payment actually issued that was not due. Only from an
    issued payment, never more than it; a notice (EN/FR) tells the client."""

    require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    benefit_unit = payment.benefit_unit
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the overpayment."), field="reason")
    BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    # What the client was given for the month: the payment and every correction since.
    issued = payment.amount_cents + month_adjustments_cents(payment)
    if correct_amount_cents < 0 or correct_amount_cents >= issued:
        raise ApplicationError(
            _("The correct amount must be at least 0 and less than the %(paid)s paid.")
            % {"paid": display_cents(issued, get_language())},
            field="correct_amount",
        )
    amount = issued - correct_amount_cents
    entry = ledger_add(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        kind=LedgerEntryKind.OVERPAYMENT,
        amount_cents=amount,
        reason=reason.strip(),
        citation="Ontario Works Act, 1997, s. 19; O. Reg. 134/98, s. 62",
        benefit_month=payment.benefit_month,
        payment=payment,
        determination_id=determination_id,
    )
    if notify:
        ledger_notices_generate(acting_user=acting_user, entry=entry)
    return entry


@transaction.atomic
def ledger_entry_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    kind: str,
    amount_cents: int,
    reason: str,
) -> LedgerEntry:
    """A repayment by the client or a write-off (supervisors), lowering the balance; or an
    underpayment owed to the client / its payment."""
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if kind == LedgerEntryKind.WRITE_OFF:
        require_capability(acting_user, Capability.OVERPAYMENT_WRITE_OFF)
    else:
        require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    if kind not in (
        LedgerEntryKind.REPAYMENT,
        LedgerEntryKind.WRITE_OFF,
        LedgerEntryKind.UNDERPAYMENT_PAID,
    ):
        raise ApplicationError(_("Choose a repayment or a write-off."), field="kind")
    if amount_cents <= 0:
        raise ApplicationError(_("The amount must be more than 0."), field="amount")
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    if kind in (LedgerEntryKind.REPAYMENT, LedgerEntryKind.WRITE_OFF):
        # Less what a run already approved will recover: the balance never goes below zero.
        balance = available_balance_cents(benefit_unit.pk)
        if amount_cents > balance:
            raise ApplicationError(
                _("The amount is more than the balance owed (%(balance)s).")
                % {"balance": display_cents(balance, get_language())},
                field="amount",
            )
        signed = -amount_cents
    else:
        owed = underpayment_owed_cents(benefit_unit.pk)
        if amount_cents > owed:
            raise ApplicationError(_("More than the underpayment owed."), field="amount")
        signed = -amount_cents
    return ledger_add(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        kind=kind,
        amount_cents=signed,
        reason=reason.strip(),
        citation=RECOVERY_CITATION if kind == LedgerEntryKind.WRITE_OFF else "",
    )


@transaction.atomic
def recovery_rate_set(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    rate_bp: int | None,
    consent_document: Document | None = None,
) -> PaymentProfile:
    """Set the case's recovery rate. None returns to the default (10 %, 5 % for a First
    Nation). Any other rate needs the recipient's written consent on file."""
    require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if rate_bp is not None:
        if not 0 < rate_bp <= MAX_RECOVERY_RATE_BP:
            raise ApplicationError(
                _("The rate must be more than 0 % and at most 100 %."), field="rate"
            )
        if consent_document is None:
            raise ApplicationError(
                _("A rate other than the default needs the client's written consent: attach it."),
                field="consent_document",
            )
        if consent_document.benefit_unit_id != benefit_unit.pk:
            raise ApplicationError(
                _("The consent must be a document on this case."), field="consent_document"
            )
    locked = BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    profile = _profile(locked)
    profile.recovery_rate_bp = rate_bp
    profile.recovery_consent = consent_document if rate_bp is not None else None
    profile.version += 1
    profile._history_user = acting_user  # type: ignore[attr-defined]
    profile.save(update_fields=["recovery_rate_bp", "recovery_consent", "version", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.RECOVERY_RATE_SET,
        subject=profile,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.pk,
        extra_data={
            "rate_bp": rate_bp,
            "default_bp": default_rate_bp(locked.delivery_partner),
            "consent_document": consent_document.pk if consent_document else None,
        },
    )
    return profile


# --- Payment files --------------------------------------------------------------------------


@transaction.atomic
def interim_assistance_overpayments_record(
    *, acting_user: User, benefit_unit: BenefitUnit, reason: str
) -> list[LedgerEntry]:
    """Interim assistance paid while an appeal was pending becomes an overpayment when the
    appeal is denied or abandoned (ow-rules.md §5, "Interim assistance"). One entry per interim
    payment actually issued, never twice for the same payment."""

    require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    already = set(
        LedgerEntry.objects.filter(
            benefit_unit=benefit_unit, kind=LedgerEntryKind.OVERPAYMENT, payment__is_interim=True
        ).values_list("payment_id", flat=True)
    )
    entries = []
    for payment in Payment.objects.filter(benefit_unit=benefit_unit, is_interim=True).order_by(
        "benefit_month"
    ):
        if payment.pk in already:
            continue
        entries.append(
            ledger_add(
                acting_user=acting_user,
                benefit_unit=benefit_unit,
                kind=LedgerEntryKind.OVERPAYMENT,
                amount_cents=payment.amount_cents,
                reason=reason,
                citation="Ontario Works Act, 1997, s. 19; interim assistance pending appeal",
                benefit_month=payment.benefit_month,
                payment=payment,
                determination_id=payment.determination_id,
            )
        )
    if entries:
        ledger_notices_generate(acting_user=acting_user, entry=entries[-1])
    return entries
