"""One-time and between-run payments (issue 16): the partner's limits, a caseworker's request,
the decision by a second person, and the between-run batch that issues the approved payments
on the same ledger, CPA-005 and reconciliation path as the monthly run.

Four eyes: nobody approves a payment they requested; above the partner's approval threshold
the approver must also hold the run approver's capability (a supervisor or finance approver).
The second factor is checked by the page and the API (`second_factor_operation`), as for every
money action."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.calculation.labels import citation_text
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, application_errors, raise_all
from caseworks.core.exports import csv_cell
from caseworks.core.money import display_cents, format_cents
from caseworks.partners.models import DeliveryPartner

from ..constants import (
    LedgerEntryKind,
    OneTimeBenefitKind,
    OneTimePayee,
    OneTimeStatus,
    PaymentFileKind,
    PaymentMethod,
)
from ..cpa005 import Credit, Originator, build_credit_file
from ..faults import fault_point
from ..letters_onetime import one_time_notices_generate
from ..models import (
    BankAccount,
    LedgerEntry,
    OneTimeBatch,
    OneTimePayment,
    OneTimePolicy,
)
from ..onetime_limits import WINDOW_DAYS, one_time_limit
from .authorization_paid import health_authorizations_paid
from .bank import bank_details_clean, bank_details_errors
from .files import numbered_credit_file, originator_for

ONE_TIME_CROSS_REFERENCE = "OWT{:016d}"  # "OWT" + the one-time payment id: never a payment id
COUNTED_STATUSES = (OneTimeStatus.REQUESTED, OneTimeStatus.APPROVED, OneTimeStatus.ISSUED)


# --- The partner's settings -------------------------------------------------------------------


def one_time_policy_for(partner_id: int) -> OneTimePolicy:
    """The partner's settings, or the defaults (unsaved) when it never changed them."""
    found = OneTimePolicy.objects.filter(delivery_partner_id=partner_id).first()
    return found or OneTimePolicy(delivery_partner_id=partner_id)


@transaction.atomic
def one_time_policy_set(
    *,
    acting_user: User,
    approval_threshold_cents: int,
    discretionary_annual_limit_cents: int,
    employment_expenses_annual_limit_cents: int,
) -> OneTimePolicy:
    """The partner administrator sets the four-eyes threshold and the yearly limits."""
    require_capability(acting_user, Capability.STAFF_MANAGE)
    partner_id = partner_scope(acting_user)
    if partner_id is None:
        raise ApplicationError(_("Limits are set by a partner's office."), field="partner")
    values = {
        "approval_threshold_cents": approval_threshold_cents,
        "discretionary_annual_limit_cents": discretionary_annual_limit_cents,
        "employment_expenses_annual_limit_cents": employment_expenses_annual_limit_cents,
    }
    for field, cents in values.items():
        if not isinstance(cents, int) or not 0 <= cents <= 10_000_000:
            raise ApplicationError(
                _("Give an amount from $0 to $100,000."), field=field, code="amount_out_of_range"
            )
    policy = OneTimePolicy.objects.select_for_update().filter(delivery_partner_id=partner_id)
    row = policy.first()
    old = {field: getattr(row or one_time_policy_for(partner_id), field) for field in values}
    if row is None:
        row = OneTimePolicy(delivery_partner_id=partner_id, changed_by=acting_user, **values)
        row._history_user = acting_user  # type: ignore[attr-defined]
        row.save()
    else:
        for field, cents in values.items():
            setattr(row, field, cents)
        row.changed_by = acting_user
        row.changed_at = timezone.now()
        row._history_user = acting_user  # type: ignore[attr-defined]
        row.save(update_fields=[*values, "changed_by", "changed_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.ONE_TIME_POLICY_CHANGED,
        subject=row,
        delivery_partner_id=partner_id,
        extra_data={"old": old, "new": values},
    )
    return row


# --- Limits -----------------------------------------------------------------------------------


def _children(unit: BenefitUnit, on: dt.date) -> int:
    return (
        BenefitUnitMember.objects.filter(
            benefit_unit=unit, role=MemberRole.DEPENDANT_CHILD, start_on__lte=on
        )
        .exclude(end_on__lt=on)
        .count()
    )


def _check_limit(payment: OneTimePayment, policy: OneTimePolicy, on: dt.date) -> None:
    """Refuse a payment that would take the case (or the member) over the kind's limit in the
    12 months before `on`, counting requests waiting, approved and issued (not refused)."""
    limit = one_time_limit(
        kind=payment.kind,
        policy=policy,
        on=on,
        dependant_children=_children(payment.benefit_unit, on),
    )
    earlier = OneTimePayment.objects.filter(
        benefit_unit=payment.benefit_unit,
        kind=payment.kind,
        status__in=COUNTED_STATUSES,
        requested_at__date__gt=on - dt.timedelta(days=WINDOW_DAYS),
    ).exclude(pk=payment.pk)
    if limit.per_member:
        earlier = earlier.filter(member=payment.member)
    used = earlier.aggregate(total=Sum("amount_cents"))["total"] or 0
    language = get_language() or "en"  # the message in the reader's language and numbers
    if used + payment.amount_cents > limit.cents:
        raise ApplicationError(
            _(
                "This would pay %(total)s in 12 months; the limit is %(limit)s (%(rule)s). "
                "Already requested or paid: %(used)s."
            )
            % {
                "total": display_cents(used + payment.amount_cents, language),
                "limit": display_cents(limit.cents, language),
                "rule": citation_text(limit.citation, language),
                "used": display_cents(used, language),
            },
            field="amount_cents",
            code="limit_exceeded",
        )
    payment.citation = limit.citation


# --- Request and decision ---------------------------------------------------------------------


def _own_case(acting_user: User, unit: BenefitUnit) -> BenefitUnit:
    scope = partner_scope(acting_user)
    locked = BenefitUnit.objects.select_for_update().filter(pk=unit.pk)
    if scope is not None:
        locked = locked.filter(delivery_partner_id=scope)
    found = locked.first()
    if found is None:
        raise ApplicationError(_("No such case in your office."), field="benefit_unit")
    return found


def _payee_account(
    *, unit: BenefitUnit, payee: str, method: str, vendor_name: str, vendor_bank: dict[str, str]
) -> dict[str, str]:
    """Where the money goes: the client's current account (deposits allowed today), a
    vendor's account given on the request, or a cheque to the client or the vendor."""
    if payee not in OneTimePayee.values:
        raise ApplicationError(_("Choose who is paid."), field="payee")
    if method not in PaymentMethod.values:
        raise ApplicationError(_("Choose direct deposit or cheque."), field="method")
    if payee == OneTimePayee.VENDOR and not vendor_name.strip():
        raise ApplicationError(_("Give the vendor's name."), field="vendor_name")
    if payee == OneTimePayee.VENDOR:
        name = vendor_name.strip()[:30]
        if method == PaymentMethod.CHEQUE:
            return {"payee_name": name}
        given = {k: vendor_bank.get(k, "") for k in ("institution", "transit", "account")}
        raise_all(
            [
                ApplicationError(message, field=field, code="bank_digits")
                for field, message in bank_details_errors(
                    given["institution"].strip(),
                    given["transit"].strip(),
                    given["account"].strip().replace(" ", "").replace("-", ""),
                ).items()
            ]
        )
        institution, transit, account = bank_details_clean(holder_name=name, **vendor_bank)
        return {
            "payee_name": name,
            "institution": institution,
            "transit": transit,
            "account": account,
        }
    applicant = unit.members.filter(role=MemberRole.APPLICANT).select_related("person").first()
    client_name = (
        f"{applicant.person.first_name} {applicant.person.last_name}"[:30] if applicant else ""
    )
    if method == PaymentMethod.CHEQUE:
        return {"payee_name": client_name}
    today = timezone.localdate()
    bank = BankAccount.objects.filter(benefit_unit=unit, end_on__isnull=True).first()
    if bank is None or (bank.deposits_from is not None and bank.deposits_from > today):
        raise ApplicationError(
            _("The case has no bank account that can take a deposit today: pay by cheque."),
            field="method",
            code="no_deposit_account",
        )
    return {
        "payee_name": bank.holder_name,
        "institution": bank.institution,
        "transit": bank.transit,
        "account": bank.account,
    }


@transaction.atomic
def one_time_payment_request(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    member_id: int,
    kind: str,
    amount_cents: int,
    reason: str,
    payee: str,
    method: str,
    vendor_name: str = "",
    vendor_bank: dict[str, str] | None = None,
) -> OneTimePayment:
    """A caseworker asks for a one-time payment on an active case, within the kind's limit.
    Every problem is reported at once (`SeveralApplicationError`), each naming its field and rule;
    nothing is saved."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    unit = _own_case(acting_user, benefit_unit)
    if unit.status != CaseStatus.ACTIVE:
        raise ApplicationError(_("Only an active case is paid."), field="benefit_unit")
    errors: list[ApplicationError] = []
    if kind not in OneTimeBenefitKind.values:
        errors.append(ApplicationError(_("Choose a benefit."), field="kind"))
    elif kind == OneTimeBenefitKind.HEALTH_AUTHORIZATION:
        errors.append(
            ApplicationError(
                _(
                    "A health benefit is paid against its authorization: record the vendor's "
                    "invoice."
                ),
                field="kind",
                code="authorization_only",
            )
        )
    amount_ok = isinstance(amount_cents, int) and amount_cents > 0
    if not amount_ok:
        errors.append(ApplicationError(_("Give an amount above $0."), field="amount_cents"))
    if not reason.strip():
        errors.append(ApplicationError(_("Give the reason for the payment."), field="reason"))
    today = timezone.localdate()
    member = (
        BenefitUnitMember.objects.filter(
            benefit_unit=unit, person_id=member_id, start_on__lte=today
        )
        .exclude(end_on__lt=today)
        .first()
    )
    if member is None:
        errors.append(ApplicationError(_("Choose a member of the case."), field="member_id"))
    account: dict[str, str] = {}
    try:
        account = _payee_account(
            unit=unit,
            payee=payee,
            method=method,
            vendor_name=vendor_name,
            vendor_bank=vendor_bank or {},
        )
    except ApplicationError as exc:
        errors.extend(application_errors(exc))
    payment = OneTimePayment(
        benefit_unit=unit,
        member_id=member_id,
        kind=kind,
        amount_cents=amount_cents,
        reason=reason.strip(),
        payee=payee,
        vendor_name=vendor_name.strip()[:30] if payee == OneTimePayee.VENDOR else "",
        method=method,
        requested_by=acting_user,
        **account,
    )
    if kind in OneTimeBenefitKind.values and amount_ok and member is not None:
        try:
            _check_limit(payment, one_time_policy_for(unit.delivery_partner_id), today)
        except ApplicationError as exc:
            errors.append(exc)
    raise_all(errors)
    payment._history_user = acting_user  # type: ignore[attr-defined]
    payment.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.ONE_TIME_PAYMENT_REQUESTED,
        subject=payment,
        delivery_partner_id=unit.delivery_partner_id,
        benefit_unit_id=unit.pk,
        person_id=member_id,
        extra_data={"kind": kind, "amount_cents": amount_cents, "method": method, "payee": payee},
    )
    return payment


@transaction.atomic
def one_time_payment_decide(
    *, acting_user: User, payment: OneTimePayment, approve: bool, refusal_reason: str = ""
) -> OneTimePayment:
    """A second person approves or refuses a request. Never the requester; above the
    partner's threshold only a run approver (supervisor or finance). Approval checks the limit
    again (another payment may have been approved since). The notice of the decision (PDF,
    English and French) is stored on the case in the same transaction."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    unit = _own_case(acting_user, payment.benefit_unit)
    payment = OneTimePayment.objects.select_for_update().get(pk=payment.pk, benefit_unit=unit)
    if payment.status != OneTimeStatus.REQUESTED:
        raise ApplicationError(_("This request was already decided."), field="status")
    if payment.requested_by_id == acting_user.pk:
        raise ApplicationError(
            _("You asked for this payment: another person must decide it."),
            field="decided_by",
            code="four_eyes",
        )
    policy = one_time_policy_for(unit.delivery_partner_id)
    if payment.amount_cents > policy.approval_threshold_cents and not acting_user.has_capability(
        Capability.PAYMENT_RUN_APPROVE
    ):
        raise ApplicationError(
            _("Above %(limit)s a supervisor or finance approver decides.")
            % {"limit": display_cents(policy.approval_threshold_cents, get_language() or "en")},
            field="decided_by",
            code="approver_needed",
        )
    if approve:
        _check_limit(payment, policy, timezone.localdate())
        payment.status = OneTimeStatus.APPROVED
    else:
        if not refusal_reason.strip():
            raise ApplicationError(_("Give the reason for the refusal."), field="refusal_reason")
        payment.status = OneTimeStatus.REFUSED
        payment.refusal_reason = refusal_reason.strip()
    payment.decided_by = acting_user
    payment.decided_at = timezone.now()
    payment._history_user = acting_user  # type: ignore[attr-defined]
    payment.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at", "citation"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.ONE_TIME_PAYMENT_DECIDED,
        subject=payment,
        delivery_partner_id=unit.delivery_partner_id,
        benefit_unit_id=unit.pk,
        person_id=payment.member_id,
        extra_data={"status": payment.status, "amount_cents": payment.amount_cents},
    )
    # The client's notice of the decision, in English and French, with the request's amount.
    one_time_notices_generate(acting_user=acting_user, payment=payment)
    return payment


# --- The between-run batch --------------------------------------------------------------------


def _credits(payments: list[OneTimePayment]) -> list[Credit]:
    return [
        Credit(
            amount_cents=p.amount_cents,
            institution=p.institution,
            transit=p.transit,
            account=p.account,
            payee_name=p.payee_name,
            cross_reference=ONE_TIME_CROSS_REFERENCE.format(p.pk),
        )
        for p in payments
        if p.method == PaymentMethod.EFT
    ]


@transaction.atomic
def one_time_batch_issue(
    *,
    acting_user: User,
    idempotency_key: str,
    originator: Originator | None = None,
    creation_date: dt.date | None = None,
) -> OneTimeBatch:
    """Issue every approved one-time payment of the partner, outside the monthly run: one
    ledger entry per payment, one CPA-005 file for the deposits (its file creation number taken
    from the originator's sequence, like a run's file: never a number a run file used), the
    cheques on the batch's cheque list. One transaction: killed half-way, nothing is issued and
    the same call issues everything. The same `idempotency_key` again returns the batch it made
    (a replay issues nothing)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    partner_id = partner_scope(acting_user)
    if partner_id is None:
        raise ApplicationError(_("A partner's office issues its payments."), field="partner")
    key = idempotency_key.strip()
    if not key or len(key) > 80:
        raise ApplicationError(_("Give an idempotency key (1-80 characters)."), field="key")
    partner = DeliveryPartner.objects.select_for_update().get(pk=partner_id)  # one batch at once
    done = OneTimeBatch.objects.filter(delivery_partner=partner, idempotency_key=key).first()
    if done is not None:
        return done
    payments = list(
        OneTimePayment.objects.select_for_update()
        .filter(benefit_unit__delivery_partner=partner, status=OneTimeStatus.APPROVED)
        .select_related("benefit_unit")
        .order_by("id")
    )
    if not payments:
        raise ApplicationError(
            _("No approved one-time payment is waiting to be issued."),
            field="payments",
            code="nothing_to_send",
        )
    batch = OneTimeBatch.objects.create(
        delivery_partner=partner, idempotency_key=key, issued_by=acting_user
    )
    credits = _credits(payments)
    if credits:
        creation_date = creation_date or timezone.localdate()
        _data, record = numbered_credit_file(
            acting_user=acting_user,
            credits=credits,
            originator=originator or originator_for(partner),
            creation_date=creation_date,
            funds_date=creation_date,
            delivery_partner_id=partner.pk,
            kind=PaymentFileKind.ONE_TIME,
        )
        batch.payment_file = record
        batch.save(update_fields=["payment_file"])
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                benefit_unit=p.benefit_unit,
                kind=LedgerEntryKind.ONE_TIME_PAYMENT,
                amount_cents=p.amount_cents,
                one_time_payment=p,
                # No free text here (the request's reason stays on the request, redactable).
                reason=f"One-time payment {p.pk}: {p.kind}",
                citation=p.citation,
                recorded_by=acting_user,
            )
            for p in payments
        ]
    )
    for p in payments:
        p.status, p.batch = OneTimeStatus.ISSUED, batch
    bulk_update_with_history(
        payments, OneTimePayment, ["status", "batch"], default_user=acting_user
    )
    health_authorizations_paid(acting_user=acting_user, payments=payments)  # vendor invoices
    fault_point("one_time_batch")  # crash tests: killed before the commit, nothing is issued
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.ONE_TIME_BATCH_ISSUED,
        subject=batch,
        delivery_partner_id=partner.pk,
        extra_data={
            "payments": [p.pk for p in payments],
            "total_cents": sum(p.amount_cents for p in payments),
            "file_creation_number": batch.payment_file.file_creation_number
            if batch.payment_file
            else None,
        },
    )
    return batch


def one_time_batch_key(*, user_id: int, key: str) -> str:
    """The batch key for a page's or an API client's idempotency key: per user (two people of
    one partner may send the same value) and at most 80 characters whatever was sent."""
    return f"u{user_id}-{hashlib.sha256(key.encode()).hexdigest()}"


@transaction.atomic
def one_time_batch_download_record(
    *, acting_user: User, batch: OneTimeBatch, kind: str, size: int
) -> None:
    """Audit who took the batch's bank file or cheque list (both carry names and accounts)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=batch,
        delivery_partner_id=batch.delivery_partner_id,
        extra_data={"kind": kind, "bytes": size},
    )


def one_time_batch_file(batch: OneTimeBatch, originator: Originator | None = None) -> bytes:
    """The batch's CPA-005 file, built again from what it issued with the number and dates it
    was given; refused if it would not be byte for byte the file recorded (its SHA-256)."""
    record = batch.payment_file
    if record is None:
        raise ApplicationError(_("This batch has no direct deposits."), field="payment_file")
    payments = list(batch.payments.order_by("id"))
    data, _total, _count = build_credit_file(
        _credits(payments),
        originator=originator or originator_for(batch.delivery_partner),
        file_creation_number=record.file_creation_number,
        creation_date=record.created_on,
        funds_date=record.funds_on,
    )
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise ApplicationError(
            _("The file built again differs from the file issued: ask support."),
            field="payment_file",
            code="file_changed",
        )
    return data


def one_time_cheque_list_csv(batch: OneTimeBatch) -> str:
    """The batch's cheques (machine amounts), for the office that prints them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["one_time_payment_id", "case_number", "payee_name", "kind", "amount"])
    for p in (
        batch.payments.filter(method=PaymentMethod.CHEQUE)
        .order_by("id")
        .values("id", "benefit_unit__case_number", "payee_name", "kind", "amount_cents")
    ):
        writer.writerow(
            [
                p["id"],
                csv_cell(p["benefit_unit__case_number"]),
                csv_cell(p["payee_name"]),
                p["kind"],
                format_cents(p["amount_cents"]),
            ]
        )
    return out.getvalue()
