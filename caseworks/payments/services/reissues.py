"""Reissues of returned payments, the reissues bank file and cheque list, and cheque actions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.exports import csv_cell
from caseworks.core.money import format_cents
from caseworks.partners.models import DeliveryPartner

from ..constants import (
    ChequeActionKind,
    PaymentFileKind,
    PaymentMethod,
    ReissueMethod,
)
from ..cpa005 import (
    Credit,
)
from ..models import (
    BankAccount,
    ChequeAction,
    Payment,
    PaymentFile,
    PaymentReissue,
    PaymentReturn,
)
from .files import numbered_credit_file, originator_for

# --- Reissue ------------------------------------------------------------------------------


def _corrected_account(payment: Payment, acting_user: User) -> BankAccount:
    """The case's current account, recorded after the payment and different from the account it
    went to (the correction goes through the bank details page and its safeguards)."""
    account = BankAccount.objects.filter(
        benefit_unit_id=payment.benefit_unit_id, end_on__isnull=True
    ).first()
    if account is None or (account.institution, account.transit, account.account) == (
        payment.institution,
        payment.transit,
        payment.account,
    ):
        raise ApplicationError(
            _(
                "Record the corrected bank account on the case first (Bank details); the "
                "payment is then reissued to it."
            ),
            field="method",
            code="no_corrected_account",
        )
    if account.recorded_by_id == acting_user.pk:
        raise ApplicationError(
            _("You recorded this bank account: another person must reissue the payment to it."),
            field="method",
            code="own_bank_change",
        )
    return account


def _reissue(
    *, acting_user: User, original: Payment, method: str, reason: str, payment_return: Any
) -> PaymentReissue:
    if method not in ReissueMethod.values:
        raise ApplicationError(_("Choose cheque or direct deposit."), field="method")
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the reissue."), field="reason")
    if PaymentReissue.objects.filter(original=original).exists():
        raise ApplicationError(
            _("This payment was already reissued; it is reissued only once."),
            field="payment",
            code="already_reissued",
        )
    reissue = PaymentReissue(
        original=original,
        payment_return=payment_return,
        benefit_unit_id=original.benefit_unit_id,
        method=method,
        amount_cents=original.amount_cents,
        payee_name=original.payee_name,
        reason=reason.strip(),
        issued_by=acting_user,
    )
    if method == ReissueMethod.EFT:
        account = _corrected_account(original, acting_user)
        reissue.bank_account = account
        reissue.institution, reissue.transit = account.institution, account.transit
        reissue.account = account.account
        reissue.payee_name = account.holder_name[:30]
    reissue.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_REISSUED,
        subject=reissue,
        delivery_partner_id=acting_user.delivery_partner_id,
        benefit_unit_id=original.benefit_unit_id,
        extra_data={
            "original": original.pk,
            "return": payment_return.pk if payment_return else None,
            "method": method,
            "amount_cents": reissue.amount_cents,
            "old_method": original.method,
        },
    )
    return reissue


def _own_payment(acting_user: User, payment_id: int) -> Payment:
    scope = partner_scope(acting_user)
    rows = Payment.objects.filter(pk=payment_id)
    if scope is not None:
        rows = rows.filter(benefit_unit__delivery_partner_id=scope)
    unit_id = rows.values_list("benefit_unit_id", flat=True).first()
    if unit_id is None:
        raise ApplicationError(_("No such payment in your office."), field="payment")
    # The case row first (the lock every money write of a case takes), then the payment.
    BenefitUnit.objects.select_for_update().filter(pk=unit_id).first()
    return Payment.objects.select_for_update().get(pk=payment_id)


def payment_return_for_user(*, user: Any, return_id: int) -> PaymentReturn:
    """A returned payment of the user's partner (any partner for provincial staff)."""
    require_capability(user, Capability.PAYMENT_VIEW)
    rows = PaymentReturn.objects.filter(pk=return_id)
    scope = partner_scope(user)
    if scope is not None:
        rows = rows.filter(benefit_unit__delivery_partner_id=scope)
    found = rows.first()
    if found is None:
        raise ApplicationError(
            _("No such returned payment in your office."), field="return_id", code="not_found"
        )
    return found


@transaction.atomic
def payment_return_reissue(
    *, acting_user: User, payment_return: PaymentReturn, method: str, reason: str
) -> PaymentReissue:
    """The caseworker reissues a returned deposit by cheque or to the corrected account."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    original = _own_payment(acting_user, payment_return.payment_id)
    return _reissue(
        acting_user=acting_user,
        original=original,
        method=method,
        reason=reason,
        payment_return=payment_return,
    )


# --- Sending reissues: a reissues bank file and a reissue cheque list -----------------------

REISSUE_CROSS_REFERENCE = "OWR{:016d}"  # "OWR" + the reissue id: never read as a payment id


def _pending_reissues(partner_id: int, method: str) -> list[PaymentReissue]:
    """The partner's reissues by `method` not sent yet, locked (two builds never take one twice:
    the second waits, then finds them sent)."""
    return list(
        PaymentReissue.objects.select_for_update(of=("self",))
        .filter(
            benefit_unit__delivery_partner_id=partner_id,
            method=method,
            sent_at__isnull=True,
        )
        .select_related("original", "benefit_unit")
        .order_by("id")
    )


def _reissue_partner(acting_user: User) -> DeliveryPartner:
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    partner_id = partner_scope(acting_user)
    if partner_id is None:
        raise ApplicationError(_("Reissues are sent by the partner's office."), field="partner")
    return DeliveryPartner.objects.get(pk=partner_id)


def _nothing_to_send() -> ApplicationError:
    return ApplicationError(
        _("No reissued payment of this kind is waiting to be sent."),
        field="reissues",
        code="nothing_to_send",
    )


@transaction.atomic
def reissue_file_build(
    *,
    acting_user: User,
    originator: Any = None,
    creation_date: dt.date | None = None,
    funds_date: dt.date | None = None,
) -> tuple[bytes, PaymentFile]:
    """The CPA-005 file of the partner's direct deposit reissues not sent yet: a new file
    creation number from the originator's sequence (the same counter as the runs' files), the
    same validation, a `PaymentFile` of kind "reissues"; each reissue is marked sent in it, so
    it is in exactly one file. A file that fails validation rolls everything back."""

    partner = _reissue_partner(acting_user)
    pending = _pending_reissues(partner.pk, ReissueMethod.EFT)
    if not pending:
        raise _nothing_to_send()
    originator = originator or originator_for(partner)
    creation_date = creation_date or timezone.localdate()
    funds_date = funds_date or creation_date
    credits = [
        Credit(
            amount_cents=r.amount_cents,
            institution=r.institution,
            transit=r.transit,
            account=r.account,
            payee_name=r.payee_name,
            cross_reference=REISSUE_CROSS_REFERENCE.format(r.pk),
        )
        for r in pending
    ]
    data, record = numbered_credit_file(
        acting_user=acting_user,
        credits=credits,
        originator=originator,
        creation_date=creation_date,
        funds_date=funds_date,
        delivery_partner_id=partner.pk,
        kind=PaymentFileKind.REISSUES,
    )
    PaymentReissue.objects.filter(pk__in=[r.pk for r in pending]).update(
        payment_file=record, sent_at=timezone.now()
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=record,
        delivery_partner_id=partner.pk,
        extra_data={
            "kind": "cpa005_reissues",
            "file_creation_number": record.file_creation_number,
            "sha256": record.sha256,
            "credit_count": record.credit_count,
            "credit_total_cents": record.credit_total_cents,
            "reissues": [r.pk for r in pending],
        },
    )
    return data, record


@transaction.atomic
def reissue_cheque_list_csv(*, acting_user: User) -> str:
    """The partner's cheque reissues not listed yet, as the cheque list CSV (machine amounts);
    each is marked sent, so it is on exactly one list. Audited with the reissues listed."""
    partner = _reissue_partner(acting_user)
    pending = _pending_reissues(partner.pk, ReissueMethod.CHEQUE)
    if not pending:
        raise _nothing_to_send()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["reissue_id", "payment_id", "case_number", "payee_name", "benefit_month", "amount"]
    )
    for r in pending:
        writer.writerow(
            [
                csv_cell(c)
                for c in (
                    r.pk,
                    r.original_id,
                    r.benefit_unit.case_number,
                    r.payee_name,
                    r.original.benefit_month.strftime("%Y-%m"),
                    format_cents(r.amount_cents),
                )
            ]
        )
    PaymentReissue.objects.filter(pk__in=[r.pk for r in pending]).update(sent_at=timezone.now())
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=partner,
        delivery_partner_id=partner.pk,
        extra_data={
            "kind": "reissue_cheques",
            "reissues": [r.pk for r in pending],
            "total_cents": sum(r.amount_cents for r in pending),
        },
    )
    return out.getvalue()


# --- Cheque register ------------------------------------------------------------------------


@transaction.atomic
def cheque_action_record(
    *, acting_user: User, payment_id: int, kind: str, reason: str, method: str = "cheque"
) -> ChequeAction:
    """Stop, cancel or reissue a cheque of a released run, with the reason (finance staff:
    the run approve capability). A reissue follows a stop or a cancellation, once."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    payment = _own_payment(acting_user, payment_id)
    if payment.method != PaymentMethod.CHEQUE:
        raise ApplicationError(_("This payment is not a cheque."), field="payment")
    if kind not in ChequeActionKind.values:
        raise ApplicationError(_("Choose stop, cancel or reissue."), field="kind")
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    done = set(ChequeAction.objects.filter(payment=payment).values_list("kind", flat=True))
    stopped = done & {ChequeActionKind.STOP, ChequeActionKind.CANCEL}
    if kind in (ChequeActionKind.STOP, ChequeActionKind.CANCEL) and stopped:
        raise ApplicationError(
            _("This cheque is already stopped or cancelled."), field="kind", code="already_done"
        )
    if kind == ChequeActionKind.REISSUE and not stopped:
        raise ApplicationError(
            _("Stop or cancel the cheque before reissuing it."), field="kind", code="not_stopped"
        )
    reissue = None
    if kind == ChequeActionKind.REISSUE:
        reissue = _reissue(
            acting_user=acting_user,
            original=payment,
            method=method,
            reason=reason,
            payment_return=None,
        )
    action = ChequeAction.objects.create(
        payment=payment,
        benefit_unit_id=payment.benefit_unit_id,
        kind=kind,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CHEQUE_ACTION_RECORDED,
        subject=action,
        delivery_partner_id=acting_user.delivery_partner_id,
        benefit_unit_id=payment.benefit_unit_id,
        extra_data={
            "payment": payment.pk,
            "kind": kind,
            "old": sorted(done),
            "reissue": reissue.pk if reissue else None,
        },
    )
    return action
