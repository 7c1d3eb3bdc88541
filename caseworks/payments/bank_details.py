"""Guarded changes of direct deposit details (issue 12, "Bank details").

A partner administrator once made a caseworker and a supervisor account, changed a client's
account as the first, prepared a run, approved and released it as the second: $733.00 went to
an account of the administrator's choosing. Every step of that chain is now refused:

1. **Proof.** A change names a document on the case (a void cheque or a bank's direct deposit
   form) — `bank_detail_change_request`.
2. **Second person.** A change made by staff waits for another staff member with
   `PAYMENT_MANAGE` (never the requester; a database constraint too) — `bank_detail_change_approve`.
3. **Notice.** On approval a notice goes to the client at their address on file, in their
   language, naming only the last three digits of the new account and how to report a change
   they did not ask for.
4. **Cooling-off.** No deposit reaches the new account before `deposits_from`:
   `BANK_DETAILS_COOLING_OFF_BUSINESS_DAYS` business days (5 by default, in force from
   2026-12-07) after the approval. The reason: the notice needs 2 to 4 business days by mail in
   Ontario and the client needs time to call before money moves. During the cooling-off the run
   pays **by cheque** to the mailing address on file (`runs._current_accounts`), not to the
   previous account: the previous account is often the reason for the change (closed, lost
   card), and a returned deposit would delay the client's money more than a cheque does.
   Weekends are skipped; statutory holidays are not (the period is then slightly shorter).
5. **Separation of duties.** Whoever requested or approved a case's bank details within
   `BANK_DETAILS_LOOKBACK_DAYS` (90) cannot approve or release a run that pays that case
   (`bank_details_run_guard`, called by the run's approval and release).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.documents.constants import DocumentKind
from caseworks.documents.letters import _date_text
from caseworks.documents.models import Document
from caseworks.documents.services import notice_store

from .constants import LineKind
from .letters import _base, _pdf, _person
from .models import BankDetailChange, PaymentRun, PaymentRunLine
from .services.bank import bank_account_record, bank_details_clean

NOTICE_TITLES = {
    "en": "Notice: your direct deposit account was changed",
    "fr": "Avis : votre compte de dépôt direct a été modifié",
}


def cooling_off_days() -> int:
    return int(getattr(settings, "BANK_DETAILS_COOLING_OFF_BUSINESS_DAYS", 5))


def lookback_days() -> int:
    return int(getattr(settings, "BANK_DETAILS_LOOKBACK_DAYS", 90))


def add_business_days(start: dt.date, days: int) -> dt.date:
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@transaction.atomic
def bank_detail_change_request(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    holder_name: str,
    institution: str,
    transit: str,
    account: str,
    proof: Document | None,
) -> BankDetailChange:
    """A new account, waiting for a second person's approval; nothing is paid to it yet."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    return _change_request(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        holder_name=holder_name,
        institution=institution,
        transit=transit,
        account=account,
        proof=proof,
    )


@transaction.atomic
def bank_detail_change_request_for_client(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    holder_name: str,
    institution: str,
    transit: str,
    account: str,
    proof: Document | None,
) -> BankDetailChange:
    """The client's own change from the portal (issue 17), after their second factor: the same
    proof, second person (a staff member with PAYMENT_MANAGE approves it), notice and
    cooling-off as a change made by staff. `caseworks.portal.services` checks that `acting_user`
    is the client's account on this benefit unit, with a recent second factor, before calling."""
    return _change_request(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        holder_name=holder_name,
        institution=institution,
        transit=transit,
        account=account,
        proof=proof,
    )


def _change_request(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    holder_name: str,
    institution: str,
    transit: str,
    account: str,
    proof: Document | None,
) -> BankDetailChange:
    institution, transit, account = bank_details_clean(
        holder_name=holder_name, institution=institution, transit=transit, account=account
    )
    if (
        proof is None
        or proof.benefit_unit_id != benefit_unit.pk
        or proof.kind != DocumentKind.UPLOAD
    ):
        raise ApplicationError(
            _(
                "Attach the proof of the new account first (a void cheque or the bank's direct "
                "deposit form, uploaded to this case) and choose it."
            ),
            field="proof",
            code="bank_proof_required",
        )
    BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    if BankDetailChange.objects.filter(
        benefit_unit=benefit_unit, status=BankDetailChange.Status.PENDING
    ).exists():
        raise ApplicationError(
            _("A change of bank details is already waiting for approval on this case."),
            field="account",
            code="bank_change_pending",
        )
    change = BankDetailChange(
        benefit_unit=benefit_unit,
        holder_name=holder_name.strip()[:30],
        institution=institution,
        transit=transit,
        account=account,
        proof=proof,
        requested_by=acting_user,
    )
    change._history_user = acting_user  # type: ignore[attr-defined]
    change.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BANK_ACCOUNT_RECORDED,
        subject=change,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={
            "step": "requested",
            "institution": institution,
            "transit": transit,
            "account_last3": account[-3:],
            "proof_document_id": proof.pk,
        },
    )
    return change


def _locked_pending(change: BankDetailChange) -> BankDetailChange:
    locked = BankDetailChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != BankDetailChange.Status.PENDING:
        raise ApplicationError(
            _("This change of bank details was already decided."), code="bank_change_decided"
        )
    return locked


@transaction.atomic
def bank_detail_change_approve(*, acting_user: User, change: BankDetailChange) -> BankDetailChange:
    """A second staff member approves: the account is recorded with its cooling-off date, and
    the client is sent a notice at the address on file."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    change = _locked_pending(change)
    benefit_unit = change.benefit_unit
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if change.requested_by_id == acting_user.pk:
        raise ApplicationError(
            _("You asked for this change of bank details; another staff member must approve it."),
            code="bank_change_same_person",
        )
    today = timezone.localdate()
    bank = bank_account_record(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        holder_name=change.holder_name,
        institution=change.institution,
        transit=change.transit,
        account=change.account,
        start_on=today,
    )
    bank.deposits_from = add_business_days(today, cooling_off_days())
    bank._history_user = acting_user  # type: ignore[attr-defined]
    bank.save(update_fields=["deposits_from", "modified_at"])
    change.status = BankDetailChange.Status.APPROVED
    change.decided_by = acting_user
    change.decided_at = timezone.now()
    change.bank_account = bank
    change.notice = _notice(
        acting_user=acting_user, change=change, deposits_from=bank.deposits_from
    )
    change._history_user = acting_user  # type: ignore[attr-defined]
    change.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "bank_account",
            "notice",
            "modified_at",
        ]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BANK_ACCOUNT_RECORDED,
        subject=change,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={
            "step": "approved",
            "requested_by": change.requested_by_id,
            "deposits_from": bank.deposits_from.isoformat(),
        },
    )
    return change


@transaction.atomic
def bank_detail_change_refuse(
    *, acting_user: User, change: BankDetailChange, reason: str
) -> BankDetailChange:
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    change = _locked_pending(change)
    require_same_partner(acting_user, change.benefit_unit.delivery_partner_id)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for refusing."), field="reason")
    change.status = BankDetailChange.Status.REFUSED
    change.decided_by = acting_user if change.requested_by_id != acting_user.pk else None
    change.decided_at = timezone.now()
    change.refusal_reason = reason.strip()
    change._history_user = acting_user  # type: ignore[attr-defined]
    change.save(
        update_fields=["status", "decided_by", "decided_at", "refusal_reason", "modified_at"]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BANK_ACCOUNT_RECORDED,
        subject=change,
        delivery_partner_id=change.benefit_unit.delivery_partner_id,
        benefit_unit_id=change.benefit_unit_id,
        extra_data={"step": "refused"},
    )
    return change


def _notice(*, acting_user: User, change: BankDetailChange, deposits_from: dt.date) -> Document:
    """The notice in the client's language, kept on the case as a letter to mail to the
    address on file."""

    benefit_unit = change.benefit_unit
    person = _person(benefit_unit)
    language = "fr" if (getattr(person, "language_preference", "") or "")[:2] == "fr" else "en"
    context = _base(benefit_unit, language, timezone.localdate())
    context.update(
        {
            "title": NOTICE_TITLES[language],
            "account_last3": change.account[-3:],
            "institution": change.institution,
            "deposits_from": _date_text(deposits_from, language),
            "address": ", ".join(
                part
                for part in (
                    getattr(person, "address_line", ""),
                    getattr(person, "city", ""),
                    getattr(person, "postal_code", ""),
                )
                if part
            ),
            "change_id": change.pk,
        }
    )
    return notice_store(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        person=person,
        title=f"{NOTICE_TITLES[language]} {benefit_unit.case_number}",
        pdf=_pdf(f"payments/bank_change_{language}.html", context),
        language=language,
    )


def bank_details_run_guard(*, acting_user: User, run: PaymentRun) -> None:
    """Refuse the approval or release of a run by someone who requested or approved, within
    the look-back window, the bank details of a case the run pays."""
    since = timezone.now() - dt.timedelta(days=lookback_days())
    paid = PaymentRunLine.objects.filter(run=run, kind=LineKind.PAY).values("benefit_unit_id")
    requested = Q(requested_by=acting_user, created_at__gte=since) & ~Q(
        status=BankDetailChange.Status.REFUSED
    )
    approved = Q(
        decided_by=acting_user, decided_at__gte=since, status=BankDetailChange.Status.APPROVED
    )
    changed = BankDetailChange.objects.filter(requested | approved, benefit_unit_id__in=paid)
    ids = {c.benefit_unit_id for c in changed}
    if not ids:
        return
    numbers = sorted(BenefitUnit.objects.filter(pk__in=ids).values_list("case_number", flat=True))
    raise ApplicationError(
        ngettext(
            "You changed the bank details of a case this run pays (%(cases)s) in the last "
            "%(days)s days; another approver must approve and release it.",
            "You changed the bank details of cases this run pays (%(cases)s) in the last "
            "%(days)s days; another approver must approve and release it.",
            len(numbers),
        )
        % {"cases": ", ".join(numbers), "days": lookback_days()},
        code="bank_details_changed_by_approver",
    )


def pending_bank_changes(*, benefit_unit: BenefitUnit) -> list[BankDetailChange]:
    """The case's changes waiting for a second person (shown on the money tab; the caller has
    already checked access to the case)."""
    return list(
        BankDetailChange.objects.filter(
            benefit_unit=benefit_unit, status=BankDetailChange.Status.PENDING
        ).select_related("requested_by", "proof")
    )
