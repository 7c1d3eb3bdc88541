"""Writes of the client realm (issue 17). Each is one transaction with its audit event.

Clients have no staff role: the services below check that the acting account is the client's
own portal account on the benefit unit, then call the lower apps' `…_for_client` services
(payments, documents), which keep the staff services' own checks of the data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.money import display_cents
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload_for_client, notice_store
from caseworks.payments.bank_details import bank_detail_change_request_for_client
from caseworks.payments.constants import INCOME_REPORTING_LAG_MONTHS, IncomeKind
from caseworks.payments.facts import month_start
from caseworks.payments.letters import _base, _pdf
from caseworks.payments.models import BankDetailChange, IncomeReport
from caseworks.payments.services.recalculation import MonthChange, recalculation_preview_for_client
from caseworks.payments.services.reports import income_report_record_for_client

from .constants import (
    ACTIVATION_ALPHABET,
    ACTIVATION_CODE_DAYS,
    ACTIVATION_CODE_LENGTH,
    ACTIVATION_MAX_FAILURES,
    Channel,
    ReportKind,
    SmsDirection,
    SmsStatus,
)
from .models import ActivationCode, PortalAccount, ReportReceipt, SmsMessage
from .sms import normalise_phone, sms_backend

REPORTING_ROLES = (MemberRole.APPLICANT, MemberRole.SPOUSE, MemberRole.DEPENDANT_ADULT)
ADULT_AGE = 18
NO_MATCH = "activation_no_match"


def _hash(code: str) -> str:
    return hashlib.sha256(
        code.strip().upper().replace("-", "").replace(" ", "").encode()
    ).hexdigest()


def _age_on(person: Person, day: dt.date) -> int:
    born = person.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _current_member(benefit_unit: BenefitUnit, person: Person) -> BenefitUnitMember | None:
    today = timezone.localdate()
    return (
        BenefitUnitMember.objects.filter(
            benefit_unit=benefit_unit, person=person, start_on__lte=today
        )
        .exclude(end_on__lt=today)
        .first()
    )


def require_own_account(*, acting_user: User, account: PortalAccount) -> None:
    """The acting user is this portal account's own user (clients act only for themselves)."""
    if not acting_user.is_authenticated or account.user_id != acting_user.pk:
        raise ApplicationError(_("This is not your account."), code="not_your_account")


# --- Activation -----------------------------------------------------------------------------


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def activation_code_issue(
    *, acting_user: User, benefit_unit: BenefitUnit, person: Person
) -> tuple[ActivationCode, str]:
    """A new one-time activation code for an adult member of the case (the caseworker's
    button). Earlier unused codes for the person stop working. Returns the code in clear, shown
    once (to print or read to the client); only its hash is kept."""
    require_capability(acting_user, Capability.CASE_EDIT)
    if acting_user.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))
    member = _current_member(benefit_unit, person)
    if member is None:
        raise ApplicationError(_("This person is not a member of the case."), field="person")
    if _age_on(person, timezone.localdate()) < ADULT_AGE:
        raise ApplicationError(
            _("Only adults (18 or older) can have an online account."), field="person"
        )
    if PortalAccount.objects.filter(person=person).exists():
        raise ApplicationError(
            _("This person already has an online account."), field="person", code="has_account"
        )
    now = timezone.now()
    ActivationCode.objects.filter(person=person, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))
    row = ActivationCode.objects.create(
        benefit_unit=benefit_unit,
        person=person,
        code_hash=_hash(code),
        issued_by=acting_user,
        issued_at=now,
        expires_at=now + dt.timedelta(days=ACTIVATION_CODE_DAYS),
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_ACTIVATION_CODE_ISSUED,
        subject=row,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"expires_at": row.expires_at.isoformat()},
    )
    return row, format_code(code)


def _no_match() -> ApplicationError:
    return ApplicationError(
        _(
            "The activation code, date of birth and case number do not match our records. "
            "Check the letter with your code, or ask your caseworker for a new code."
        ),
        field="code",
        code=NO_MATCH,
    )


def _count_failure(case_number: str) -> None:
    """Count a wrong try against the case's live codes (its own transaction: the refusal that
    follows rolls back the caller's)."""
    with transaction.atomic():
        ActivationCode.objects.filter(
            benefit_unit__case_number=case_number, used_at=None, revoked_at=None
        ).update(failures=F("failures") + 1)


def _clean_case_number(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def portal_account_activate(
    *,
    code: str,
    date_of_birth: dt.date,
    case_number: str,
    username: str,
    password: str,
    email: str = "",
) -> PortalAccount:
    """Open a client's account with the one-time code, their date of birth and case number. The
    username may be the client's phone number; e-mail is optional. The mobile number on file
    becomes the number text-message reports are accepted from."""
    number = _clean_case_number(case_number)
    with transaction.atomic():
        live = (
            ActivationCode.objects.select_for_update()
            .select_related("person", "benefit_unit")
            .filter(
                benefit_unit__case_number=number,
                code_hash=_hash(code),
                used_at=None,
                revoked_at=None,
                expires_at__gt=timezone.now(),
                failures__lt=ACTIVATION_MAX_FAILURES,
            )
            .first()
        )
        matched = live is not None and live.person.date_of_birth == date_of_birth
    if not matched or live is None:
        _count_failure(number)
        raise _no_match()
    return _activate(code_row=live, username=username, password=password, email=email)


@transaction.atomic
def _activate(
    *, code_row: ActivationCode, username: str, password: str, email: str
) -> PortalAccount:
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ApplicationError(
            _("Choose a username (your phone number is fine)."), field="username"
        )
    if len(username) > 150 or not all(ch.isalnum() or ch in "@.+-_" for ch in username):
        raise ApplicationError(
            _("A username has letters, digits and @ . + - _ only."), field="username"
        )
    if user_model.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("This username is taken: choose another."), field="username", code="username_taken"
        )
    person = code_row.person
    candidate = user_model(
        username=username,
        email=email.strip(),
        first_name=person.first_name,
        last_name=person.last_name,
        preferred_language=person.language_preference,
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    candidate.set_password(password)
    candidate._history_user = None  # type: ignore[attr-defined]
    candidate.save()
    locked = ActivationCode.objects.select_for_update().get(pk=code_row.pk)
    if locked.used_at is not None:
        raise _no_match()
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    account = PortalAccount(
        user=candidate,
        person=person,
        benefit_unit=code_row.benefit_unit,
        sms_phone=normalise_phone(person.phone),
    )
    account._history_user = candidate  # type: ignore[attr-defined]
    account.full_clean()
    account.save()
    audit_record(
        acting_user=candidate,
        event_type=AuditEventType.PORTAL_ACCOUNT_ACTIVATED,
        subject=account,
        delivery_partner_id=code_row.benefit_unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=code_row.benefit_unit_id,
        extra_data={"activation_code_id": locked.pk, "has_email": bool(candidate.email)},
    )
    return account


# --- Preferences ----------------------------------------------------------------------------


@transaction.atomic
def portal_preferences_set(
    *, acting_user: User, account: PortalAccount, e_letters: bool
) -> PortalAccount:
    """Letters online (an e-mail or text message says a new one is waiting) or by mail."""
    require_own_account(acting_user=acting_user, account=account)
    locked = PortalAccount.objects.select_for_update().get(pk=account.pk)
    old = locked.e_letters
    locked.e_letters = e_letters
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["e_letters", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_PREFERENCES_CHANGED,
        subject=locked,
        delivery_partner_id=locked.benefit_unit.delivery_partner_id,
        person_id=locked.person_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={"e_letters": {"old": old, "new": e_letters}},
    )
    return locked


# --- Monthly report -------------------------------------------------------------------------


def report_month(today: dt.date | None = None) -> dt.date:
    """The month the client reports now: last month's income (due this month)."""
    today = today or timezone.localdate()
    return month_start(today) - relativedelta(months=1)


def report_due_on(income_month: dt.date) -> dt.date:
    """The report of `income_month` is due on PORTAL_REPORT_DUE_DAY of the next month."""
    return (month_start(income_month) + relativedelta(months=1)).replace(
        day=settings.PORTAL_REPORT_DUE_DAY
    )


def reporting_members(benefit_unit: BenefitUnit) -> list[BenefitUnitMember]:
    """The adults who report income this month (applicant, spouse, dependent adults)."""
    today = timezone.localdate()
    return list(
        BenefitUnitMember.objects.filter(
            benefit_unit=benefit_unit, role__in=REPORTING_ROLES, start_on__lte=today
        )
        .exclude(end_on__lt=today)
        .select_related("person")
        .order_by("role", "id")
    )


def last_reported_amounts(benefit_unit: BenefitUnit, before: dt.date) -> dict[int, dict[str, int]]:
    """Each member's amounts by kind in their latest report before `before` (a month)."""
    found: dict[int, dict[str, int]] = {}
    latest: dict[int, dt.date] = {}
    rows = IncomeReport.objects.filter(benefit_unit=benefit_unit, income_month__lt=before).order_by(
        "-income_month"
    )
    for row in rows.values("person_id", "income_month", "kind", "amount_cents"):
        person_id = row["person_id"]
        month = latest.setdefault(person_id, row["income_month"])
        if row["income_month"] == month:
            found.setdefault(person_id, {})[row["kind"]] = row["amount_cents"]
    return found


Amounts = Mapping[int, Mapping[str, int]]


def _clean_amounts(benefit_unit: BenefitUnit, amounts: Amounts) -> dict[int, dict[str, int]]:
    members = {m.person_id for m in reporting_members(benefit_unit)}
    cleaned: dict[int, dict[str, int]] = {}
    for person_id, by_kind in amounts.items():
        if person_id not in members:
            raise ApplicationError(_("This person is not a member of the case."), field="person")
        kinds = {k: int(v) for k, v in by_kind.items() if v is not None}
        for kind, cents in kinds.items():
            if kind not in IncomeKind.values:
                raise ApplicationError(_("Unknown kind of income."), field=kind)
            if cents < 0:
                raise ApplicationError(_("An amount cannot be negative."), field=kind)
        cleaned[person_id] = kinds or {IncomeKind.EARNINGS.value: 0}
    for person_id in members - cleaned.keys():
        cleaned[person_id] = {IncomeKind.EARNINGS.value: 0}
    return cleaned


def _record(
    *,
    acting_user: User,
    account: PortalAccount,
    income_month: dt.date,
    amounts: dict[int, dict[str, int]],
    proof: Document | None,
) -> None:
    people = {m.person_id: m.person for m in reporting_members(account.benefit_unit)}
    for person_id, by_kind in sorted(amounts.items()):
        income_report_record_for_client(
            acting_user=acting_user,
            benefit_unit=account.benefit_unit,
            person=people[person_id],
            income_month=income_month,
            amounts_cents=by_kind,
            proof=proof if person_id == account.person_id else None,
        )


def portal_income_report_preview(
    *, acting_user: User, account: PortalAccount, amounts: Amounts
) -> MonthChange | None:
    """Next month's payment if these amounts are sent, from the same rules path as staff's
    preview (payments' recalculation, in a savepoint rolled back). Nothing is saved."""
    require_own_account(acting_user=acting_user, account=account)
    month = report_month()
    cleaned = _clean_amounts(account.benefit_unit, amounts)
    benefit_month = month + relativedelta(months=INCOME_REPORTING_LAG_MONTHS)

    def edit() -> None:
        _record(
            acting_user=acting_user,
            account=account,
            income_month=month,
            amounts=cleaned,
            proof=None,
        )

    rows = recalculation_preview_for_client(
        acting_user=acting_user,
        benefit_unit=account.benefit_unit,
        from_month=benefit_month,
        edit=edit,
    )
    return next((r for r in rows if r.benefit_month == benefit_month), None)


@transaction.atomic
def pay_stub_upload(
    *, acting_user: User, account: PortalAccount, filename: str, content: bytes
) -> Document:
    """Keep a pay stub the client photographed or chose on their case (to read it, and as the
    proof of the report they send)."""
    require_own_account(acting_user=acting_user, account=account)
    return document_upload_for_client(
        acting_user=acting_user,
        benefit_unit=account.benefit_unit,
        title=_("Pay stub sent online"),
        filename=filename,
        content=content,
        person=account.person,
    )


def _receipt(
    *,
    acting_user: User,
    account: PortalAccount,
    income_month: dt.date,
    kind: str,
    channel: str,
    amounts: dict[int, dict[str, int]],
    preview: MonthChange | None,
) -> ReportReceipt:
    receipt = ReportReceipt.objects.create(
        benefit_unit=account.benefit_unit,
        submitted_by=acting_user,
        income_month=income_month,
        kind=kind,
        channel=channel,
        amounts={str(k): v for k, v in amounts.items()},
        preview_benefit_month=preview.benefit_month if preview else None,
        preview_payment_cents=preview.new_payment_cents if preview else None,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_REPORT_RECEIVED,
        subject=receipt,
        delivery_partner_id=account.benefit_unit.delivery_partner_id,
        person_id=account.person_id,
        benefit_unit_id=account.benefit_unit_id,
        extra_data={"income_month": income_month.isoformat(), "kind": kind, "channel": channel},
    )
    return receipt


@transaction.atomic
def portal_report_nothing_changed(
    *, acting_user: User, account: PortalAccount, channel: str = Channel.PORTAL
) -> ReportReceipt:
    """ "Nothing changed": each reporting adult's amounts of their latest report again (0 of
    earnings for someone who never reported), for last month, in one step."""
    require_own_account(acting_user=acting_user, account=account)
    month = report_month()
    previous = last_reported_amounts(account.benefit_unit, month)
    members = reporting_members(account.benefit_unit)
    amounts = {
        m.person_id: previous.get(m.person_id) or {IncomeKind.EARNINGS.value: 0} for m in members
    }
    _record(
        acting_user=acting_user, account=account, income_month=month, amounts=amounts, proof=None
    )
    return _receipt(
        acting_user=acting_user,
        account=account,
        income_month=month,
        kind=ReportKind.NOTHING_CHANGED,
        channel=channel,
        amounts=amounts,
        preview=None,
    )


@transaction.atomic
def portal_income_report_submit(
    *, acting_user: User, account: PortalAccount, amounts: Amounts, proof: Document | None = None
) -> ReportReceipt:
    """The client's amounts for last month, per member, with the pay stub they uploaded as the
    proof; the receipt keeps next month's payment as the rules gave it for these amounts."""
    require_own_account(acting_user=acting_user, account=account)
    if proof is not None and (
        proof.benefit_unit_id != account.benefit_unit_id or proof.uploaded_by_id != acting_user.pk
    ):
        raise ApplicationError(_("Choose a pay stub you sent."), field="proof")
    month = report_month()
    cleaned = _clean_amounts(account.benefit_unit, amounts)
    preview = portal_income_report_preview(
        acting_user=acting_user, account=account, amounts=cleaned
    )
    _record(
        acting_user=acting_user, account=account, income_month=month, amounts=cleaned, proof=proof
    )
    return _receipt(
        acting_user=acting_user,
        account=account,
        income_month=month,
        kind=ReportKind.AMOUNTS,
        channel=Channel.PORTAL,
        amounts=cleaned,
        preview=preview,
    )


# --- Letters --------------------------------------------------------------------------------

PROOF_TITLES = {"en": "Proof of assistance", "fr": "Preuve d'aide sociale"}


@dataclass(frozen=True)
class ProofFacts:
    """What the proof of assistance states, all read from stored rows."""

    since: dt.date
    last_payment_month: dt.date | None
    last_payment_cents: int | None


@transaction.atomic
def proof_of_assistance_issue(
    *, acting_user: User, account: PortalAccount, language: str, facts: ProofFacts
) -> Document:
    """A letter, on demand, that the client receives Ontario Works (for a landlord, a school, a
    bank), kept on the case like every letter. Only an active case gets one."""
    require_own_account(acting_user=acting_user, account=account)
    case = account.benefit_unit
    if case.status != "active":
        raise ApplicationError(
            _("A proof of assistance is given only while assistance is active."),
            code="case_not_active",
        )
    language = "fr" if language == "fr" else "en"
    with override(language):
        context = _base(case, language, timezone.localdate())
        context.update(
            {
                "title": PROOF_TITLES[language],
                "client": account.person,
                "since": facts.since,
                "last_payment_month": facts.last_payment_month,
                "last_payment": display_cents(facts.last_payment_cents, language)
                if facts.last_payment_cents is not None
                else "",
            }
        )
        pdf = _pdf(f"portal/proof_of_assistance_{language}.html", context)
    document = notice_store(
        acting_user=acting_user,
        benefit_unit=case,
        person=account.person,
        title=PROOF_TITLES[language],
        pdf=pdf,
        language=language,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_PROOF_OF_ASSISTANCE_ISSUED,
        subject=document,
        delivery_partner_id=case.delivery_partner_id,
        person_id=account.person_id,
        benefit_unit_id=case.pk,
        extra_data={"language": language},
    )
    return document


# --- Bank details ---------------------------------------------------------------------------


@transaction.atomic
def portal_bank_change_request(
    *,
    acting_user: User,
    account: PortalAccount,
    second_factor_recent: bool,
    holder_name: str,
    institution: str,
    transit: str,
    account_number: str,
    proof_filename: str,
    proof_content: bytes,
) -> BankDetailChange:
    """A new direct-deposit account from the client, after their second factor: the proof is
    kept on the case and the change waits for a staff member's approval, then its notice and
    cooling-off (caseworks.payments.bank_details)."""
    require_own_account(acting_user=acting_user, account=account)
    if not second_factor_recent:
        raise ApplicationError(
            _("Confirm it is you with your second factor before changing bank details."),
            code="second_factor_required",
        )
    proof = document_upload_for_client(
        acting_user=acting_user,
        benefit_unit=account.benefit_unit,
        title=_("Void cheque or direct deposit form sent online"),
        filename=proof_filename,
        content=proof_content,
        person=account.person,
    )
    return bank_detail_change_request_for_client(
        acting_user=acting_user,
        benefit_unit=account.benefit_unit,
        holder_name=holder_name,
        institution=institution,
        transit=transit,
        account=account_number,
        proof=proof,
    )


# --- Text messages --------------------------------------------------------------------------


def receipt_text(receipt: ReportReceipt, language: str) -> str:
    with override(language):
        return _(
            "Ontario Works: your report for %(month)s is received (nothing changed). "
            "Receipt %(number)s."
        ) % {"month": receipt.income_month.strftime("%Y-%m"), "number": receipt.number}


def sms_inbound_receive(*, phone: str, body: str, provider_id: str = "") -> SmsMessage | None:
    """A text message from a client. "0" from the verified number on file of exactly one
    account means "nothing changed this month": it is recorded and answered with the receipt.
    Anything else is kept and answered with how to report; an unknown number gets no answer.
    Returns the answer sent, if any."""
    number = normalise_phone(phone)
    accounts = list(
        PortalAccount.objects.filter(sms_phone=number).select_related(
            "user", "person", "benefit_unit"
        )
        if number
        else []
    )
    known = len(accounts) == 1
    SmsMessage.objects.create(
        direction=SmsDirection.INBOUND,
        status=SmsStatus.RECEIVED if known else SmsStatus.REJECTED,
        phone=number or phone[:16],
        body=body[:160],
        benefit_unit_id=accounts[0].benefit_unit_id if known else None,
        provider_id=provider_id[:64],
    )
    if not known:
        return None
    account = accounts[0]
    language = account.person.language_preference
    if body.strip() != "0":
        with override(language):
            text = _(
                "Ontario Works: reply 0 if nothing changed last month. To report income, "
                "sign in online or call your caseworker."
            )
        return sms_backend().send(phone=number, body=text, benefit_unit_id=account.benefit_unit_id)
    try:
        receipt = portal_report_nothing_changed(
            acting_user=account.user, account=account, channel=Channel.SMS
        )
    except ApplicationError as error:
        return sms_backend().send(
            phone=number, body=str(error.message)[:160], benefit_unit_id=account.benefit_unit_id
        )
    return sms_backend().send(
        phone=number, body=receipt_text(receipt, language), benefit_unit_id=account.benefit_unit_id
    )
