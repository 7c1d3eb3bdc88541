"""Writes of the monthly cycle: income reports, changes of circumstances, bank accounts, holds
and status actions with notices, the overpayment ledger, recovery rates, payment files.

Payment runs are in runs.py, recalculation of past months in recalc.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.applications.constants import AssetType
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.cases.services import benefit_unit_lock, case_status_change
from caseworks.clients.models import Person
from caseworks.clients.services import client_file_accesses_record
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.exports import csv_cell
from caseworks.core.money import display_cents, format_cents
from caseworks.documents.models import Document
from caseworks.partners.models import DeliveryPartner

from .circumstances import version_record
from .constants import (
    INCOME_REPORTING_LAG_MONTHS,
    MAX_RECOVERY_RATE_BP,
    RECOVERY_CITATION,
    IncomeKind,
    LedgerEntryKind,
    PaymentActionKind,
    PaymentFileKind,
    PaymentMethod,
    RunStatus,
)
from .cpa005 import (
    MAX_FILE_CREATION_NUMBER,
    Cpa005Error,
    Credit,
    Originator,
    build_credit_file,
)
from .facts import default_rate_bp, month_start
from .faults import fault_point
from .ledger import (
    available_balance_cents,
    ledger_add,
    month_adjustments_cents,
    underpayment_owed_cents,
)
from .ledger import overpayment_balance_cents as _balance
from .models import (
    BankAccount,
    CircumstancesChange,
    FileCreationCounter,
    IncomeReport,
    LedgerEntry,
    Payment,
    PaymentAction,
    PaymentFile,
    PaymentProfile,
    PaymentRun,
)

SHELTER_TYPES = ("rent", "own", "board_and_lodging", "no_fixed_address")


def _require_own(acting_user: Any, partner_id: int) -> None:
    if acting_user.delivery_partner_id != partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))


def _not_negative(cents: int, field: str) -> None:
    if cents < 0:
        raise ApplicationError(_("An amount cannot be negative."), field=field)


# --- Income reporting ---------------------------------------------------------------------


@transaction.atomic
def income_report_record(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    person: Person,
    income_month: dt.date,
    amounts_cents: dict[str, int],
    proof: Document | None = None,
    expected_version: int | None = None,
) -> list[IncomeReport]:
    """Record what one member received in `income_month`, by kind (0 is a valid report:
    recipients report every month, even with no income). Applies to the following benefit
    month (reporting lag). Correcting an earlier report for a month already paid is a change
    of past data: see recalc.recalculation_preview before saving it."""
    require_capability(acting_user, Capability.INCOME_REPORT_RECORD)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
    month = month_start(income_month)
    if month > month_start(timezone.localdate()):
        raise ApplicationError(
            _("Income cannot be reported for a month that has not started."), field="income_month"
        )
    # Income received in a month counts for the next benefit month (the reporting lag): the
    # person must be a member by the end of that benefit month.
    applies_to_end = month + relativedelta(months=INCOME_REPORTING_LAG_MONTHS + 1, days=-1)
    if not BenefitUnitMember.objects.filter(
        benefit_unit=benefit_unit, person=person, start_on__lte=applies_to_end
    ).exists():
        raise ApplicationError(_("This person is not a member of the case."), field="person")
    if proof is not None and proof.benefit_unit_id != benefit_unit.pk:
        raise ApplicationError(_("The proof must be a document on this case."), field="proof")
    if not amounts_cents:
        raise ApplicationError(_("Give at least one amount (0 if nothing)."), field="amounts")
    for kind, cents in amounts_cents.items():
        if kind not in IncomeKind.values:
            raise ApplicationError(
                _("Unknown kind of income “%(kind)s”.") % {"kind": kind}, field=kind
            )
        _not_negative(cents, kind)
    locked = benefit_unit_lock(benefit_unit, expected_version)
    saved = []
    for kind, cents in amounts_cents.items():
        report = IncomeReport.objects.filter(
            benefit_unit=benefit_unit, person=person, income_month=month, kind=kind
        ).first() or IncomeReport(
            benefit_unit=benefit_unit,
            person=person,
            income_month=month,
            kind=kind,
            recorded_by=acting_user,
            amount_cents=cents,
        )
        old = report.amount_cents if report.pk else None
        report.amount_cents = cents
        report.proof = proof or report.proof
        report.recorded_by = acting_user
        report._history_user = acting_user  # type: ignore[attr-defined]
        report.save()
        saved.append(report)
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.INCOME_REPORT_RECORDED,
            subject=report,
            delivery_partner_id=benefit_unit.delivery_partner_id,
            person_id=person.pk,
            benefit_unit_id=benefit_unit.pk,
            extra_data={
                "income_month": month.isoformat(),
                "kind": kind,
                "amount_cents": cents,
                "previous_amount_cents": old,
            },
        )
    # The case's facts changed: a form opened before this report is now stale.
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["version", "modified_at"])
    return saved


# --- Changes of circumstances ---------------------------------------------------------------


@transaction.atomic
def circumstances_change_record(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    effective_month: dt.date,
    shelter_type: str,
    shelter_cost_cents: int = 0,
    heat_cents: int = 0,
    utilities_cents: int = 0,
    address_line: str = "",
    city: str = "",
    postal_code: str = "",
    remote_community: bool = False,
    reason: str = "",
    expected_version: int | None = None,
    assets: list[dict[str, Any]] | None = None,
) -> CircumstancesChange:
    """The case's facts in force from `effective_month` (a new complete dated version):
    housing, address, remote community and assets. `assets` ([{"type", "value_cents",
    "description"}]) left out keeps the assets of the version in force that month."""
    require_capability(acting_user, Capability.CASE_EDIT)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
    if shelter_type not in SHELTER_TYPES:
        raise ApplicationError(_("Choose the type of housing."), field="shelter_type")
    for name, cents in (
        ("shelter_cost", shelter_cost_cents),
        ("heat", heat_cents),
        ("utilities", utilities_cents),
    ):
        _not_negative(cents, name)
    if not reason.strip():
        raise ApplicationError(_("Say what changed."), field="reason")
    month = month_start(effective_month)
    if assets is None:
        in_force = (
            CircumstancesChange.objects.filter(
                benefit_unit=benefit_unit, effective_month__lte=month
            )
            .order_by("-effective_month", "-id")
            .first()
        )
        assets = list(in_force.assets) if in_force else []
    assets = _checked_assets(assets)
    locked = benefit_unit_lock(benefit_unit, expected_version)
    change = CircumstancesChange(
        benefit_unit=locked,
        effective_month=month,
        shelter_type=shelter_type,
        shelter_cost_cents=shelter_cost_cents,
        heat_cents=heat_cents,
        utilities_cents=utilities_cents,
        address_line=address_line.strip(),
        city=city.strip(),
        postal_code=postal_code.strip().upper(),
        remote_community=remote_community,
        assets=assets,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    version: CircumstancesChange = version_record(
        acting_user=acting_user,
        benefit_unit=locked,
        version=change,
        extra_data={
            "effective_month": change.effective_month.isoformat(),
            "shelter_type": shelter_type,
            "shelter_cost_cents": shelter_cost_cents,
            "address_changed": bool(address_line.strip()),
        },
    )
    return version


def _checked_assets(assets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    checked = []
    for index, item in enumerate(assets):
        kind = item.get("type")
        cents = item.get("value_cents")
        if kind not in AssetType.values:
            raise ApplicationError(_("Choose the type of asset."), field=f"assets[{index}].type")
        if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
            raise ApplicationError(
                _("An amount cannot be negative."), field=f"assets[{index}].value_cents"
            )
        checked.append(
            {"type": kind, "value_cents": cents, "description": str(item.get("description", ""))}
        )
    return checked


# --- Direct deposit -------------------------------------------------------------------------


def bank_details_errors(institution: str, transit: str, account: str) -> dict[str, str]:
    """Field → message for digits that cannot be a Canadian account (checked on entry)."""
    errors = {}
    if not re.fullmatch(r"[0-9]{3}", institution):
        errors["institution"] = _("The institution number is 3 digits (for example 004).")
    if not re.fullmatch(r"[0-9]{5}", transit):
        errors["transit"] = _("The transit (branch) number is 5 digits (for example 12345).")
    if not re.fullmatch(r"[0-9]{7,12}", account):
        errors["account"] = _("The account number is 7 to 12 digits, without spaces or dashes.")
    return errors


def bank_details_clean(
    *, holder_name: str, institution: str, transit: str, account: str
) -> tuple[str, str, str]:
    """(institution, transit, account) without spaces or dashes, or an ApplicationError naming
    the first wrong field. Used by every path that records bank details."""
    institution, transit = institution.strip(), transit.strip()
    account = account.strip().replace(" ", "").replace("-", "")
    errors = bank_details_errors(institution, transit, account)
    if errors:
        field, message = next(iter(errors.items()))
        raise ApplicationError(message, field=field, code="bank_digits")
    if not holder_name.strip():
        raise ApplicationError(_("Give the account holder's name."), field="holder_name")
    return institution, transit, account


@transaction.atomic
def bank_account_record(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    holder_name: str,
    institution: str,
    transit: str,
    account: str,
    start_on: dt.date | None = None,
) -> BankAccount:
    """A new direct deposit account; the previous one is ended (kept as history)."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
    institution, transit, account = bank_details_clean(
        holder_name=holder_name, institution=institution, transit=transit, account=account
    )
    start_on = start_on or timezone.localdate()
    BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    for current in BankAccount.objects.filter(benefit_unit=benefit_unit, end_on__isnull=True):
        current.end_on = max(start_on, current.start_on)
        current._history_user = acting_user  # type: ignore[attr-defined]
        current.save(update_fields=["end_on", "modified_at"])
    bank = BankAccount(
        benefit_unit=benefit_unit,
        holder_name=holder_name.strip()[:30],
        institution=institution,
        transit=transit,
        account=account,
        start_on=start_on,
        recorded_by=acting_user,
    )
    bank._history_user = acting_user  # type: ignore[attr-defined]
    bank.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BANK_ACCOUNT_RECORDED,
        subject=bank,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"institution": institution, "transit": transit, "account_last3": account[-3:]},
    )
    return bank


# --- Holds, suspensions, cancellations, reinstatements --------------------------------------


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


@transaction.atomic
def payment_action_record(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    kind: str,
    reason: str,
    effective_on: dt.date | None = None,
    expected_version: int | None = None,
) -> PaymentAction:
    """Hold or release payments, or suspend, cancel or reinstate assistance, with a reason and
    a notice in English and French that states the right to an internal review."""
    from .letters import payment_action_notices_generate  # noqa: PLC0415  # import cycle

    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
    if kind not in PaymentActionKind.values:
        raise ApplicationError(_("Choose what to do."), field="kind")
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
    acting_user: Any,
    payment: Payment,
    correct_amount_cents: int,
    reason: str,
    determination_id: int | None = None,
    notify: bool = True,
) -> LedgerEntry:
    """An overpayment: part of a payment actually issued that was not due. Only from an
    issued payment, never more than it; a notice (EN/FR) tells the client."""
    from .letters import ledger_notices_generate  # noqa: PLC0415  # import cycle

    require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    benefit_unit = payment.benefit_unit
    _require_own(acting_user, benefit_unit.delivery_partner_id)
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
    acting_user: Any,
    benefit_unit: BenefitUnit,
    kind: str,
    amount_cents: int,
    reason: str,
) -> LedgerEntry:
    """A repayment by the client or a write-off (supervisors), lowering the balance; or an
    underpayment owed to the client / its payment."""
    _require_own(acting_user, benefit_unit.delivery_partner_id)
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
    acting_user: Any,
    benefit_unit: BenefitUnit,
    rate_bp: int | None,
    consent_document: Document | None = None,
) -> PaymentProfile:
    """Set the case's recovery rate. None returns to the default (10 %, 5 % for a First
    Nation). Any other rate needs the recipient's written consent on file."""
    require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
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


def originator_for(partner: DeliveryPartner) -> Originator:
    """The partner's AFT originator details from settings.PAYMENT_ORIGINATORS[partner.code]
    (assigned by its bank). Without configuration, a clearly fake test originator is used, so
    a file made before set-up can never be accepted by a bank."""
    configured: dict[str, Any] = getattr(settings, "PAYMENT_ORIGINATORS", {}).get(partner.code, {})
    return Originator(
        originator_id=configured.get("originator_id", "TESTONLY00"),
        short_name=configured.get("short_name", partner.code[:15]),
        long_name=configured.get("long_name", partner.name[:30]),
        destination_data_centre=configured.get("destination_data_centre", "00000"),
        return_institution=configured.get("return_institution", "000"),
        return_transit=configured.get("return_transit", "00000"),
        return_account=configured.get("return_account", "0000000"),
        direct_clearer_user_id=configured.get("direct_clearer_user_id", ""),
    )


def run_credits(run: PaymentRun) -> list[Credit]:
    return [
        Credit(
            amount_cents=p["amount_cents"],
            institution=p["institution"],
            transit=p["transit"],
            account=p["account"],
            payee_name=p["payee_name"],
            cross_reference=f"OW{p['id']:017d}",
        )
        for p in Payment.objects.filter(run=run, method=PaymentMethod.EFT)
        .order_by("id")
        .values("id", "amount_cents", "institution", "transit", "account", "payee_name")
        .iterator(chunk_size=20_000)
    ]


def file_creation_number_take(originator_id: str) -> int:
    """The originator's next CPA-005 file creation number, under a row lock on its counter
    (call inside a transaction). 0001–9999; at 9999 the bank must confirm a restart (see
    cpa005's module docstring for the sources), so the build is refused, never wrapped."""
    # INSERT … ON CONFLICT DO NOTHING: two first builds at once both find the row.
    FileCreationCounter.objects.bulk_create(
        [FileCreationCounter(originator_id=originator_id)], ignore_conflicts=True
    )
    counter = FileCreationCounter.objects.select_for_update().get(originator_id=originator_id)
    if counter.last_number >= MAX_FILE_CREATION_NUMBER:
        raise ApplicationError(
            _(
                "Originator %(originator)s has used every file creation number up to 9999. "
                "Ask the bank to confirm that the numbering may start again at 0001 before "
                "another file is built."
            )
            % {"originator": originator_id},
            field="file_creation_number",
            code="file_numbers_exhausted",
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def run_payees_access_record(
    *, acting_user: Any, run: PaymentRun, method: str, view_name: str, channel: str = "web"
) -> int:
    """A payment file or cheque list shows every payee's name and account: one access record
    per payee (the applicant of each case paid by `method` in the run), in one INSERT."""
    payees = dict(
        BenefitUnitMember.objects.filter(
            role=MemberRole.APPLICANT,
            benefit_unit__payments__run=run,
            benefit_unit__payments__method=method,
        )
        .values_list("person_id", "benefit_unit_id")
        .distinct()
    )
    return client_file_accesses_record(
        user=acting_user,
        person_ids=list(payees),
        benefit_unit_ids=payees,
        view_name=view_name,
        channel=channel,
        detail=f"run {run.pk}",
    )


def numbered_credit_file(
    *,
    acting_user: Any,
    credits: list[Credit],
    originator: Originator,
    creation_date: dt.date,
    funds_date: dt.date,
    delivery_partner_id: int,
    run: PaymentRun | None = None,
    kind: str = PaymentFileKind.RUN,
) -> tuple[bytes, PaymentFile]:
    """Take the originator's next file creation number, build and validate the CPA-005 file,
    and record it (`PaymentFile`). Call inside the caller's transaction: a file that fails
    validation raises, and the rollback gives the number back. The one path of run files and
    reissue files."""
    number = file_creation_number_take(originator.originator_id)
    try:
        data, total, count = build_credit_file(
            credits,
            originator=originator,
            file_creation_number=number,
            creation_date=creation_date,
            funds_date=funds_date,
        )
    except Cpa005Error as exc:
        raise ApplicationError(
            _("The bank file was not written: %(problem)s.") % {"problem": str(exc)},
            field=exc.field,
            code="bank_file_invalid",
        ) from exc
    record = PaymentFile.objects.create(
        run=run,
        delivery_partner_id=delivery_partner_id,
        kind=kind,
        originator_id=originator.originator_id,
        file_creation_number=number,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        credit_count=count,
        credit_total_cents=total,
        created_on=creation_date,
        funds_on=funds_date,
        built_by=acting_user,
    )
    return data, record


@transaction.atomic
def payment_file_build(
    *,
    acting_user: Any,
    run: PaymentRun,
    originator: Originator | None = None,
    creation_date: dt.date | None = None,
    funds_date: dt.date | None = None,
) -> tuple[bytes, PaymentFile]:
    """The CPA-005 credit file of a released run, with a new file creation number taken from
    the originator's sequence. Every file built is recorded (`PaymentFile`: number, hash,
    totals, who, when) and audited; a file that fails validation is never returned and its
    number is not used (the transaction rolls back)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    if run.status != RunStatus.RELEASED:
        raise ApplicationError(_("Only a released run has a payment file."), field="status")
    originator = originator or originator_for(run.delivery_partner)
    creation_date = creation_date or timezone.localdate()
    funds_date = funds_date or run.benefit_month
    data, record = numbered_credit_file(
        acting_user=acting_user,
        credits=run_credits(run),
        originator=originator,
        creation_date=creation_date,
        funds_date=funds_date,
        delivery_partner_id=run.delivery_partner_id,
        run=run,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=record,
        delivery_partner_id=run.delivery_partner_id,
        extra_data={
            "kind": "cpa005",
            "run": run.pk,
            "file_creation_number": record.file_creation_number,
            "sha256": record.sha256,
            "credit_count": record.credit_count,
            "credit_total_cents": record.credit_total_cents,
        },
    )
    run_payees_access_record(
        acting_user=acting_user, run=run, method=PaymentMethod.EFT, view_name="payments:run_file"
    )
    fault_point("file_build")  # crash tests: killed before the commit (the number is not used)
    return data, record


@transaction.atomic
def payment_file_download_record(
    *, acting_user: Any, run: PaymentRun, kind: str, size: int
) -> None:
    """Audit who took the bank file or the cheque list (both carry bank details/names)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=run,
        delivery_partner_id=run.delivery_partner_id,
        extra_data={"kind": kind, "bytes": size},
    )


def cheque_list_csv(*, run: PaymentRun) -> str:
    """The released run's cheques (payments without a direct deposit account)."""
    if run.status != RunStatus.RELEASED:
        raise ApplicationError(_("Only a released run has a cheque list."), field="status")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["payment_id", "case_number", "payee_name", "benefit_month", "amount"])
    for p in (
        Payment.objects.filter(run=run, method=PaymentMethod.CHEQUE)
        .order_by("id")
        .values("id", "benefit_unit__case_number", "payee_name", "benefit_month", "amount_cents")
    ):
        writer.writerow(
            [
                p["id"],
                csv_cell(p["benefit_unit__case_number"]),
                csv_cell(p["payee_name"]),
                p["benefit_month"].strftime("%Y-%m"),
                format_cents(p["amount_cents"]),
            ]
        )
    return out.getvalue()


@transaction.atomic
def interim_assistance_overpayments_record(
    *, acting_user: Any, benefit_unit: BenefitUnit, reason: str
) -> list[LedgerEntry]:
    """Interim assistance paid while an appeal was pending becomes an overpayment when the
    appeal is denied or abandoned (ow-rules.md §5, "Interim assistance"). One entry per interim
    payment actually issued, never twice for the same payment."""
    from .letters import ledger_notices_generate  # noqa: PLC0415  # import cycle

    require_capability(acting_user, Capability.OVERPAYMENT_MANAGE)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
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
