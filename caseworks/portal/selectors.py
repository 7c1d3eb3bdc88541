"""Reads of the client realm. Every one starts from the signed-in client's own portal account
(`portal_account_for_user`): a record of another benefit unit "does not exist" (404). Every read
of the client's file is logged in the access log (channel "portal"), like staff's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseworks.applications.constants import VerificationStatus
from caseworks.applications.models import VerificationItem
from caseworks.calculation.explanations import ExplanationLine, explanation_lines
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.services import client_file_access_record
from caseworks.documents.constants import DocumentKind
from caseworks.documents.models import Document
from caseworks.eligibility.models import Decision, Determination
from caseworks.messaging.models import Message
from caseworks.payments.facts import month_start
from caseworks.payments.models import BankDetailChange, Payment, PaymentFile
from caseworks.reviews.models import InternalReview

from .models import PortalAccount, ReportReceipt
from .services import ProofFacts, report_due_on, report_month, reporting_members

PORTAL_CHANNEL = "portal"


def portal_account_for_user(*, user: Any) -> PortalAccount:
    """The signed-in client's own account, or 404 (staff and anonymous have none)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return PortalAccount.objects.select_related(
            "person",
            "benefit_unit",
            "benefit_unit__office",
            "benefit_unit__delivery_partner",
            "benefit_unit__caseworker",
        ).get(user=user)
    except PortalAccount.DoesNotExist as exc:
        raise Http404 from exc


def portal_read_record(*, account: PortalAccount, view_name: str) -> None:
    """The client looked at their own file: logged like every read of a client file."""
    client_file_access_record(
        user=account.user,
        person=account.person,
        view_name=view_name,
        benefit_unit_id=account.benefit_unit_id,
        channel=PORTAL_CHANNEL,
    )


# --- Home -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextPayment:
    benefit_month: dt.date
    amount_cents: int
    paid_on: dt.date | None  # the deposit or cheque date of an issued payment
    issued: bool  # False: the stored determination of a month not paid yet


@dataclass(frozen=True)
class Home:
    account: PortalAccount
    case: BenefitUnit
    next_payment: NextPayment | None
    report_month: dt.date
    report_due_on: dt.date
    report_received: ReportReceipt | None
    missing: list[VerificationItem] = field(default_factory=list)
    pending_bank_change: BankDetailChange | None = None
    last_payment: NextPayment | None = None
    # Answers from the worker's team the client has not opened yet (issue 17).
    unread_messages: int = 0


def _payment_date(payment: Payment) -> dt.date | None:
    funds = (
        PaymentFile.objects.filter(
            run_id=payment.run_id, delivery_partner_id=payment.run.delivery_partner_id
        )
        .order_by("funds_on")
        .values_list("funds_on", flat=True)
        .first()
    )
    return funds or timezone.localtime(payment.issued_at).date()


def next_payment(case: BenefitUnit) -> NextPayment | None:
    """The next payment from stored rows only: this month's or a later issued payment, else the
    latest stored determination of such a month (never calculated here)."""
    this_month = month_start(timezone.localdate())
    payment = (
        Payment.objects.filter(benefit_unit=case, benefit_month__gte=this_month)
        .select_related("run")
        .order_by("-benefit_month")
        .first()
    )
    if payment is not None:
        return NextPayment(
            benefit_month=payment.benefit_month,
            amount_cents=payment.amount_cents,
            paid_on=_payment_date(payment),
            issued=True,
        )
    determination = (
        Determination.objects.filter(benefit_unit=case, benefit_month__gte=this_month)
        .order_by("benefit_month", "-determined_at", "-id")
        .first()
    )
    if determination is None:
        return None
    return NextPayment(
        benefit_month=determination.benefit_month,
        amount_cents=determination.payment_cents,
        paid_on=None,
        issued=False,
    )


def portal_home(*, account: PortalAccount) -> Home:
    portal_read_record(account=account, view_name="portal:home")
    case = account.benefit_unit
    month = report_month()
    received = ReportReceipt.objects.filter(benefit_unit=case, income_month=month).first()
    missing = list(
        VerificationItem.objects.filter(
            application__benefit_unit=case, status=VerificationStatus.PENDING
        )
        .select_related("person")
        .order_by("id")
    )
    pending = BankDetailChange.objects.filter(
        benefit_unit=case, status=BankDetailChange.Status.PENDING
    ).first()
    return Home(
        account=account,
        case=case,
        next_payment=next_payment(case),
        report_month=month,
        report_due_on=report_due_on(month),
        report_received=received,
        missing=missing,
        pending_bank_change=pending,
        last_payment=last_payment(case),
        unread_messages=Message.objects.filter(
            thread__benefit_unit=case, author_user__isnull=False, read_at__isnull=True
        ).count(),
    )


def last_payment(case: BenefitUnit) -> NextPayment | None:
    """The latest payment made before this month (stored)."""
    payment = (
        Payment.objects.filter(
            benefit_unit=case, benefit_month__lt=month_start(timezone.localdate())
        )
        .select_related("run")
        .order_by("-benefit_month")
        .first()
    )
    if payment is None:
        return None
    return NextPayment(
        benefit_month=payment.benefit_month,
        amount_cents=payment.amount_cents,
        paid_on=_payment_date(payment),
        issued=True,
    )


# --- Statements -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementMonth:
    benefit_month: dt.date
    payment: Payment | None
    determination: Determination
    lines: list[ExplanationLine]


def statement_months(*, account: PortalAccount) -> list[dt.date]:
    """The benefit months with a stored payment, newest first."""
    portal_read_record(account=account, view_name="portal:statements")
    return list(
        Payment.objects.filter(benefit_unit=account.benefit_unit)
        .order_by("-benefit_month")
        .values_list("benefit_month", flat=True)
    )


def statement_for_month(*, account: PortalAccount, month: dt.date, language: str) -> StatementMonth:
    """One month's statement: the stored determination the payment was made on, line by line
    in plain words with each line's citation. A month without a payment of this case: 404."""
    payment = (
        Payment.objects.filter(benefit_unit=account.benefit_unit, benefit_month=month_start(month))
        .select_related("determination")
        .first()
    )
    if payment is None:
        raise Http404
    portal_read_record(account=account, view_name="portal:statement")
    determination = payment.determination
    return StatementMonth(
        benefit_month=payment.benefit_month,
        payment=payment,
        determination=determination,
        lines=explanation_lines(determination.explanation, language),
    )


# --- Letters --------------------------------------------------------------------------------


def letter_list(*, account: PortalAccount) -> list[Document]:
    portal_read_record(account=account, view_name="portal:letters")
    return list(
        Document.objects.filter(
            benefit_unit=account.benefit_unit, kind=DocumentKind.NOTICE, content_removed_at=None
        )
        .only("id", "title", "language", "uploaded_at", "kind", "benefit_unit_id")
        .order_by("-uploaded_at", "-id")
    )


def letter_get(*, account: PortalAccount, document_id: int) -> Document:
    """A letter of the client's own case, or 404."""
    try:
        return Document.objects.get(
            pk=document_id,
            benefit_unit=account.benefit_unit,
            kind=DocumentKind.NOTICE,
            content_removed_at=None,
        )
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def proof_facts(*, account: PortalAccount) -> ProofFacts:
    case = account.benefit_unit
    last = Payment.objects.filter(benefit_unit=case).order_by("-benefit_month").first()
    return ProofFacts(
        since=case.opened_on,
        last_payment_month=last.benefit_month if last else None,
        last_payment_cents=last.amount_cents if last else None,
    )


# --- Report ---------------------------------------------------------------------------------


def receipt_get(*, account: PortalAccount, receipt_id: int) -> ReportReceipt:
    try:
        return ReportReceipt.objects.get(pk=receipt_id, benefit_unit=account.benefit_unit)
    except ReportReceipt.DoesNotExist as exc:
        raise Http404 from exc


def pay_stub_get(*, account: PortalAccount, document_id: int) -> Document:
    """A pay stub the client uploaded to their own case, or 404."""
    try:
        return Document.objects.get(
            pk=document_id,
            benefit_unit=account.benefit_unit,
            kind=DocumentKind.UPLOAD,
            uploaded_by=account.user,
        )
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def report_people(*, account: PortalAccount) -> list[Any]:
    return [m.person for m in reporting_members(account.benefit_unit)]


# --- Who looked at my file ------------------------------------------------------------------

# Channels of reads no person made: jobs and other systems (payment files, exports, the API).
AUTOMATED_CHANNELS = ("api", "batch", "job", "system")


@dataclass(frozen=True)
class AccessRow:
    viewed_at: dt.datetime
    who: str  # a role and office, never a name; "You" for the client's own reads
    what: str
    automated: bool


_WHAT = {
    "payments": gettext_lazy("payments"),
    "documents": gettext_lazy("documents and letters"),
    "eligibility": gettext_lazy("eligibility and decisions"),
    "cases": gettext_lazy("case file"),
    "clients": gettext_lazy("client file"),
    "applications": gettext_lazy("application"),
    "portal": gettext_lazy("your online account"),
    "reviews": gettext_lazy("reviews"),
}


def access_log(*, account: PortalAccount, months: int = 12) -> list[AccessRow]:
    """Who looked at the client's file in the last `months` months, by role and office."""
    since = timezone.now() - relativedelta(months=months)
    rows = (
        ClientFileAccess.objects.filter(
            Q(person=account.person) | Q(benefit_unit_id=account.benefit_unit_id),
            viewed_at__gte=since,
        )
        .select_related("user", "user__office", "user__portal_account")
        .order_by("-viewed_at", "-id")[:500]
    )
    result = []
    for row in rows:
        user = row.user
        if user.pk == account.user_id:
            who = _("You")
        elif getattr(user, "portal_account", None) is not None:
            who = _("Another adult on your case")
        else:
            role = user.get_role_display() or _("Administrator")
            office = user.office.name if user.office else ""
            who = f"{role} – {office}" if office else str(role)
        app = row.view_name.split(":", 1)[0]
        result.append(
            AccessRow(
                viewed_at=row.viewed_at,
                who=who,
                what=str(_WHAT.get(app, _("case file"))),
                automated=row.channel in AUTOMATED_CHANNELS,
            )
        )
    portal_read_record(account=account, view_name="portal:access_log")
    return result


def review_for_client(*, account: PortalAccount, review_id: int) -> InternalReview:
    """A review request on the client's own case, or 404."""
    review = (
        InternalReview.objects.filter(pk=review_id, benefit_unit=account.benefit_unit)
        .select_related("decision")
        .first()
    )
    if review is None:
        raise Http404
    return review


def decisions_by_notice(*, account: PortalAccount, documents: list[Document]) -> dict[int, int]:
    """{letter id: decision id} for the letters that notify a decision of the client's case
    (either language), so a letter can offer "ask for a review"."""
    ids = [d.pk for d in documents]
    found: dict[int, int] = {}
    for decision_id, en, fr in Decision.objects.filter(
        Q(notice_en_id__in=ids) | Q(notice_fr_id__in=ids), benefit_unit=account.benefit_unit
    ).values_list("pk", "notice_en_id", "notice_fr_id"):
        for notice in (en, fr):
            if notice is not None:
                found[notice] = decision_id
    return found
