"""Legal holds and the retention purge of closed files.

The purge removes a closed file's personal data and documents and keeps what accountability
needs: the case, its statuses and dates, the money (payments, the overpayment ledger,
determinations and decisions), the audit trail and the client-file access log. It is
idempotent (a purged case has a `PurgedFile` row and is never processed again) and resumable
(each batch of cases commits on its own; a crash loses at most the batch in progress, which
the next run redoes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.functions import TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.core.ownership import require_same_partner
from caseworks.documents.models import Document
from caseworks.documents.storage import document_content_delete

from .constants import CLOSED_STATUSES
from .models import LegalHold, PurgedFile

# ---------------------------------------------------------------------------------------------
# What the purge removes. Each entry: the model, how its rows belong to the file ("benefit_unit"
# or "person"), and the value that replaces each personal field. Every text field of a model
# that belongs to a case or a person must be either here or in KEPT_TEXT_FIELDS (with why);
# caseworks/records/tests/test_purge.py fails on a new one that is in neither.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redaction:
    model: str
    # The lookup from the model to its case's id ("benefit_unit_id",
    # "application__benefit_unit_id": the case's data) or to a person's id ("person_id": data
    # about a person outside any case, removed only when all of the person's cases are purged).
    link: str
    values: dict[str, Any]

    @property
    def per_person(self) -> bool:
        return self.link == "person_id"


PERSON_VALUES: dict[str, Any] = {
    "first_name": "",
    "middle_name": "",
    "last_name": "—",
    "first_name_key": "",
    "last_name_key": "",
    "sin": "",
    "sin_last3": "",
    "phone": "",
    "email": "",
    "address_line": "",
    "city": "",
    "postal_code": "",
    # The year of birth stays (ages in reports of past caseloads); the day and month go.
    "date_of_birth": TruncYear("date_of_birth"),
}

REDACTIONS: tuple[Redaction, ...] = (
    Redaction("cases.CaseNote", "benefit_unit_id", {"body": ""}),
    Redaction("cases.CaseStatusChange", "benefit_unit_id", {"reason": ""}),
    Redaction("cases.Task", "benefit_unit_id", {"title": ""}),
    Redaction("cases.CaseTransfer", "benefit_unit_id", {"reason": ""}),
    Redaction(
        "applications.Application",
        "benefit_unit_id",
        {"address_line": "", "city": "", "postal_code": ""},
    ),
    Redaction("eligibility.Decision", "benefit_unit_id", {"override_reason": ""}),
    Redaction(
        "plans.ParticipationAgreement", "benefit_unit_id", {"signed_by": "", "end_reason": ""}
    ),
    # The shared_* fields: the copy of the client's details the provider saw (its language, a
    # code, stays).
    Redaction(
        "employment.Referral",
        "benefit_unit_id",
        {
            "purpose": "",
            "status_note": "",
            "shared_first_name": "",
            "shared_last_name": "",
            "shared_phone": "",
            "shared_email": "",
        },
    ),
    Redaction(
        "employment.EmploymentActivity", "benefit_unit_id", {"description": "", "organisation": ""}
    ),
    Redaction("employment.EmploymentOutcome", "benefit_unit_id", {"employer": "", "job_title": ""}),
    Redaction("employment.AssistanceExit", "benefit_unit_id", {"details": ""}),
    Redaction(
        "payments.CircumstancesChange",
        "benefit_unit_id",
        {"address_line": "", "city": "", "postal_code": "", "reason": ""},
    ),
    Redaction("payments.MemberCircumstancesChange", "benefit_unit_id", {"reason": ""}),
    Redaction("payments.PaymentProfile", "benefit_unit_id", {"hold_reason": ""}),
    # The table's check constraint wants digits: zeros stand for a removed number.
    Redaction(
        "payments.BankAccount",
        "benefit_unit_id",
        {"holder_name": "", "transit": "00000", "account": "0000000"},
    ),
    Redaction(
        "payments.Payment", "benefit_unit_id", {"payee_name": "", "transit": "", "account": ""}
    ),
    Redaction(
        "payments.BankDetailChange",
        "benefit_unit_id",
        {"holder_name": "", "transit": "", "account": "", "refusal_reason": ""},
    ),
    Redaction("payments.PaymentRunLine", "benefit_unit_id", {"payee_name": ""}),
    Redaction(
        "payments.OneTimePayment",
        "benefit_unit_id",
        {"reason": "", "refusal_reason": "", "payee_name": "", "transit": "", "account": ""},
    ),
    # Health benefit authorizations (issue 16): the reasons may describe the client's health;
    # the vendor's bank numbers go as the one-time payment's do.
    Redaction(
        "payments.HealthAuthorization",
        "benefit_unit_id",
        {
            "reason": "",
            "refusal_reason": "",
            "cancel_reason": "",
            "transit": "",
            "account": "",
        },
    ),
    Redaction("payments.PaymentAction", "benefit_unit_id", {"reason": ""}),
    Redaction("payments.PaymentRunAcknowledgement", "benefit_unit_id", {"reason": ""}),
    Redaction("payments.ChequeAction", "benefit_unit_id", {"reason": ""}),
    Redaction(
        "payments.PaymentReissue",
        "benefit_unit_id",
        {"payee_name": "", "transit": "", "account": "", "reason": ""},
    ),
    Redaction(
        "reviews.InternalReview",
        "benefit_unit_id",
        {"late_reason": "", "grounds": "", "outcome_reasons": ""},
    ),
    Redaction("reviews.Appeal", "benefit_unit_id", {"outcome_notes": ""}),
    Redaction("applications.IncomeSource", "application__benefit_unit_id", {"description": ""}),
    Redaction("applications.Asset", "application__benefit_unit_id", {"description": ""}),
    Redaction(
        "applications.VerificationItem", "application__benefit_unit_id", {"waived_reason": ""}
    ),
    # An online application's answers (names, dates of birth, address) and its sender's hash.
    Redaction(
        "applications.Inquiry",
        "person_id",
        {"caller_name": "", "phone": "", "email": "", "online_answers": {}, "address_hash": ""},
    ),
    # Clients online: the messages, and the changes a client reported.
    Redaction("messaging.Message", "thread__benefit_unit_id", {"body": ""}),
    Redaction(
        "messaging.ReportedChange",
        "benefit_unit_id",
        {"address_line": "", "city": "", "postal_code": "", "details": "", "decision_reason": ""},
    ),
    # The client portal (issue 17): the mobile number reports come from, and text messages.
    Redaction("portal.PortalAccount", "benefit_unit_id", {"sms_phone": ""}),
    Redaction("portal.SmsMessage", "benefit_unit_id", {"phone": "", "body": ""}),
    Redaction("applications.Appointment", "person_id", {"purpose": "", "cancel_reason": ""}),
    # The hold's reason may name the client; the hold itself (who, when) stays. Every hold of a
    # purged file was lifted, and a lifted hold must keep a non-empty reason.
    Redaction("records.LegalHold", "benefit_unit_id", {"reason": "—", "lift_reason": "—"}),
)

# Text fields of case and person records that the purge keeps, and why.
KEPT_TEXT_FIELDS: dict[str, str] = {
    "eligibility.Determination.*": "the legal basis of the amounts paid (money is kept)",
    "portal.ActivationCode.code_hash": "a hash of a one-time code (no client data)",
    "portal.ReportReceipt.amounts": "amounts reported, by person id (money is kept)",
    "portal.SmsMessage.provider_id": "the SMS provider's message id (no client data)",
    "payments.LedgerEntry.reason": "the overpayment ledger is kept whole",
    "payments.LedgerEntry.citation": "the overpayment ledger is kept whole",
    "payments.Payment.institution": "a bank's number, not the person's",
    "payments.BankAccount.institution": "a bank's number, not the person's",
    "payments.BankDetailChange.institution": "a bank's number, not the person's",
    "payments.PaymentReissue.institution": "a bank's number, not the person's",
    "payments.OneTimePayment.institution": "a bank's number, not the person's",
    "payments.OneTimePayment.vendor_name": "a business paid for the client (no client data)",
    "payments.OneTimePayment.citation": "the legal basis of the amount paid (money is kept)",
    "payments.HealthAuthorization.vendor_name": "a business paid for the client (no client data)",
    "payments.HealthAuthorization.vendor_address": "the business's address (no client data)",
    "payments.HealthAuthorization.vendor_number": "the business's billing number",
    "payments.HealthAuthorization.institution": "a bank's number, not the person's",
    "payments.HealthAuthorization.citation": "the legal basis of the amount paid (money is kept)",
    "payments.PaymentReissue.method": "a code",
    "payments.PaymentReturn.reason_code": "a Standard 007 return reason code",
    "payments.PaymentReturn.cross_reference": "the payment's number in the bank file",
    "payments.PaymentReturn.trace_number": "the bank's item trace number, no client data",
    "reviews.InternalReview.decision_description": "which decision was reviewed (no client data)",
    "reviews.Appeal.tribunal_file_number": "the Tribunal's reference, needed to answer it",
    "eligibility.Decision.reasons": "the legal reasons of a decision (codes and citations)",
    "employment.EmploymentOutcome.minimum_wage_source": "a citation",
    "employment.Referral.information_shared": "the consent record: which kinds were shared",
    "payments.CircumstancesChange.assets": "amounts, the basis of what was paid",
    "payments.CircumstancesChange.shelter_type": "a code",
    "payments.PaymentRunLine.errors": "the system's messages about the run, no client text",
    "payments.PaymentRunLine.exceptions": "the system's messages about the run, no client text",
    "applications.Inquiry.prescreen_snapshot": "the pre-screen's amounts and result, no names",
    "applications.Inquiry.reference": "a random code given to an online applicant, no names",
    "applications.Inquiry.language": "the language code (en or fr)",
    "applications.Inquiry.draft_key": "a random token (replay safety), no personal data",
    "clients.ClientFileAccess.*": "the access log is kept whole",
    "cases.BenefitUnit.case_number": "the file's reference, no personal data",
    "records.PurgedFile.*": "counts only",
    "documents.Document.*": "removed by the purge's own document step",
    "clients.Person.*": "removed by PERSON_VALUES",
}

REMOVED_AUDIT_DATA = {"removed": "records_retention"}


def retention_cutoff(*, as_of: dt.date, retention_years: int) -> dt.date:
    """The last closing date that is past retention on `as_of` (29 February → 28)."""
    return as_of - relativedelta(years=retention_years)


def _history_model(model: type[models.Model]) -> Any:
    history = getattr(model, "history", None)
    return getattr(history, "model", None)


def _redact(
    model: type[models.Model], rows: Any, values: dict[str, Any], counts: Counter[str]
) -> None:
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return
    counts[model._meta.label_lower] += model._default_manager.filter(pk__in=ids).update(**values)
    historical = _history_model(model)
    if historical is not None:
        deleted, _detail = historical._default_manager.filter(id__in=ids).delete()
        counts[f"{model._meta.label_lower}:history_deleted"] += deleted


def _close_client_accounts(person_ids: list[int], counts: Counter[str]) -> None:
    """A purged person's portal sign-in (issue 17) goes with their data: the account row stays
    (it is linked to the purged file) but its user can no longer sign in (inactive, no usable
    password: open sessions end with it) and keeps no name, e-mail, chosen username or second
    factor. Models by label: the portal and
    django-allauth sit above this app."""
    user_ids = list(
        apps.get_model("portal.PortalAccount")
        ._default_manager.filter(person_id__in=person_ids)
        .values_list("user_id", flat=True)
    )
    if not user_ids:
        return
    for user_id in user_ids:
        counts["accounts.user:client_closed"] += User.objects.filter(pk=user_id).update(
            username=f"purged-client-{user_id}",
            email="",
            first_name="",
            last_name="",
            is_active=False,
            password=make_password(None),
        )
    historical = _history_model(User)
    deleted, _detail = historical._default_manager.filter(id__in=user_ids).delete()
    counts["accounts.user:history_deleted"] += deleted
    for label in ("account.EmailAddress", "mfa.Authenticator"):
        model = apps.get_model(label)
        deleted, _detail = model._default_manager.filter(user_id__in=user_ids).delete()
        counts[f"{model._meta.label_lower}:deleted"] += deleted


def _purge_documents(documents: Any, counts: Counter[str], now: dt.datetime) -> None:
    pending = list(documents.filter(content_removed_at__isnull=True))
    # Object storage first: if the transaction then rolls back, only bytes that were due for
    # removal are gone, and the next run finishes the rows.
    for document in pending:
        document_content_delete(document)
    counts["documents.document"] += Document.objects.filter(pk__in=[d.pk for d in pending]).update(
        content=b"", title="", original_name="", storage_key="", content_removed_at=now
    )


def _purge_one(case: BenefitUnit, *, as_of: dt.date, retention_years: int) -> PurgedFile:
    now = timezone.now()
    counts: Counter[str] = Counter()
    for redaction in REDACTIONS:
        if redaction.per_person:
            continue
        model = apps.get_model(redaction.model)
        rows = model._default_manager.filter(**{redaction.link: case.pk})
        _redact(model, rows, redaction.values, counts)
    # People whose every case is now purged (this one included) lose their personal data;
    # someone still on another case, open, recent or under a legal hold, keeps it.
    member_ids = set(
        BenefitUnitMember.objects.filter(benefit_unit=case).values_list("person_id", flat=True)
    )
    still_needed = set(
        BenefitUnitMember.objects.filter(person_id__in=member_ids)
        .exclude(benefit_unit=case)
        .filter(benefit_unit__purge__isnull=True)
        .values_list("person_id", flat=True)
    )
    person_ids = sorted(member_ids - still_needed)
    _redact(Person, Person.objects.filter(pk__in=person_ids), PERSON_VALUES, counts)
    for redaction in REDACTIONS:
        if not redaction.per_person:
            continue
        model = apps.get_model(redaction.model)
        rows = model._default_manager.filter(**{f"{redaction.link}__in": person_ids})
        _redact(model, rows, redaction.values, counts)
    _close_client_accounts(person_ids, counts)
    _purge_documents(
        Document.objects.filter(
            models.Q(benefit_unit=case) | models.Q(person_id__in=person_ids, benefit_unit=None)
        ),
        counts,
        now,
    )
    counts["core.auditevent:values_removed"] += (
        AuditEvent.objects.filter(
            models.Q(benefit_unit_id=case.pk) | models.Q(person_id__in=person_ids)
        )
        .exclude(extra_data=REMOVED_AUDIT_DATA)
        .update(extra_data=REMOVED_AUDIT_DATA)
    )
    counts["clients.person:anonymised"] = len(person_ids)
    purged = PurgedFile.objects.create(
        benefit_unit=case,
        delivery_partner_id=case.delivery_partner_id,
        purged_at=now,
        as_of=as_of,
        closed_on=case.status_changed_on,
        retention_years=retention_years,
        counts=dict(sorted(counts.items())),
    )
    audit_record(
        acting_user=None,
        event_type=AuditEventType.CLOSED_FILE_PURGED,
        subject=case,
        delivery_partner_id=case.delivery_partner_id,
        benefit_unit_id=case.pk,
        extra_data={
            "as_of": as_of.isoformat(),
            "closed_on": case.status_changed_on.isoformat(),
            "retention_years": retention_years,
            "status": case.status,
            "counts": purged.counts,
        },
    )
    return purged


@dataclass
class PurgeBatchResult:
    purged: list[PurgedFile]
    held: list[int]
    skipped: list[int]  # no longer eligible (reopened, already purged) when locked


@transaction.atomic(durable=True)
def closed_files_purge_batch(
    *, benefit_unit_ids: list[int], as_of: dt.date, retention_years: int
) -> PurgeBatchResult:
    """Purge one batch of closed cases in one transaction. Each case is locked and checked again
    (still closed past retention, not purged, no active legal hold) before anything changes."""
    if retention_years < 1:
        raise ApplicationError(_("The retention period must be at least one year."))
    cutoff = retention_cutoff(as_of=as_of, retention_years=retention_years)
    locked = list(
        BenefitUnit.objects.select_for_update(of=("self",))
        .filter(pk__in=benefit_unit_ids)
        .order_by("pk")
    )
    # Read after the locks: a hold committed while we waited for a case's lock is seen here.
    held = set(
        LegalHold.objects.filter(
            benefit_unit_id__in=[c.pk for c in locked], lifted_at__isnull=True
        ).values_list("benefit_unit_id", flat=True)
    )
    purged_already = set(
        PurgedFile.objects.filter(benefit_unit_id__in=[c.pk for c in locked]).values_list(
            "benefit_unit_id", flat=True
        )
    )
    result = PurgeBatchResult(purged=[], held=[], skipped=[])
    for case in locked:
        if case.pk in held:
            result.held.append(case.pk)
        elif (
            case.pk in purged_already
            or case.status not in CLOSED_STATUSES
            or case.status_changed_on > cutoff
        ):
            result.skipped.append(case.pk)
        else:
            result.purged.append(_purge_one(case, as_of=as_of, retention_years=retention_years))
    return result


# ---------------------------------------------------------------------------------------------
# Legal holds
# ---------------------------------------------------------------------------------------------


def _lock_case_for_hold(acting_user: User, benefit_unit: BenefitUnit) -> BenefitUnit:
    require_capability(acting_user, Capability.LEGAL_HOLD_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    # The purge locks the same row: a hold and a purge of one case never interleave.
    return BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)


@transaction.atomic(durable=True)
def legal_hold_place(*, acting_user: User, benefit_unit: BenefitUnit, reason: str) -> LegalHold:
    """Keep a file from the retention purge until the hold is lifted (audited)."""
    case = _lock_case_for_hold(acting_user, benefit_unit)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Say why the file is held (the proceeding or request)."), field="reason"
        )
    if PurgedFile.objects.filter(benefit_unit=case).exists():
        raise ApplicationError(
            _("This file's personal data was already removed under the retention schedule."),
            field="case_number",
            code="purged",
        )
    if LegalHold.objects.filter(benefit_unit=case, lifted_at__isnull=True).exists():
        raise ApplicationError(
            _("This file is already under a legal hold."), field="case_number", code="held"
        )
    hold = LegalHold(
        delivery_partner_id=case.delivery_partner_id,
        benefit_unit=case,
        reason=reason,
        placed_by=acting_user,
        placed_at=timezone.now(),
    )
    hold._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    hold.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.LEGAL_HOLD_PLACED,
        subject=hold,
        delivery_partner_id=case.delivery_partner_id,
        benefit_unit_id=case.pk,
        extra_data={"new": {"reason": reason}},
    )
    return hold


@transaction.atomic(durable=True)
def legal_hold_lift(*, acting_user: User, hold: LegalHold, reason: str) -> LegalHold:
    """End a legal hold; the file becomes subject to the retention schedule again (audited)."""
    require_capability(acting_user, Capability.LEGAL_HOLD_MANAGE)
    require_same_partner(
        acting_user,
        hold.delivery_partner_id,
        message=_("This hold belongs to another delivery partner."),
    )
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say why the hold is lifted."), field="lift_reason")
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise ApplicationError(_("This hold was already lifted."), code="lifted")
    locked.lifted_by = acting_user
    locked.lifted_at = timezone.now()
    locked.lift_reason = reason
    locked._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    locked.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.LEGAL_HOLD_LIFTED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={"old": {"reason": locked.reason}, "new": {"lift_reason": reason}},
    )
    return locked
