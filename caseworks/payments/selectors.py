"""Reads for the payment pages and API: partner-scoped, stored rows only (no calculation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import partner_scope, require_capability
from caseworks.documents.models import Document
from caseworks.eligibility.models import Determination

from .constants import INCOME_REPORTING_LAG_MONTHS, LineKind, OneTimeBenefitKind, OneTimeStatus
from .controls import is_ministry_approver
from .ledger import BALANCE_KINDS, UNDERPAYMENT_KINDS
from .models import (
    BankAccount,
    CircumstancesChange,
    IncomeReport,
    LedgerEntry,
    MemberCircumstancesChange,
    OneTimeBatch,
    OneTimePayment,
    Payment,
    PaymentAction,
    PaymentProfile,
    PaymentRun,
    PaymentRunLine,
)


def payment_run_queryset_for_user(*, user: Any) -> QuerySet[PaymentRun]:
    if is_ministry_approver(user):  # the Ministry's finance approvers: every partner's runs
        scope = None
    else:
        require_capability(user, Capability.PAYMENT_VIEW)
        scope = partner_scope(user)
    runs = PaymentRun.objects.select_related(
        "delivery_partner", "prepared_by", "approved_by", "released_by"
    )
    return runs if scope is None else runs.filter(delivery_partner_id=scope)


def payment_run_get_for_user(*, user: Any, run_id: int) -> PaymentRun:
    """One run, or Http404 when it doesn't exist or belongs to another delivery partner."""
    try:
        return payment_run_queryset_for_user(user=user).get(pk=run_id)
    except PaymentRun.DoesNotExist as exc:
        raise Http404 from exc


def payment_run_lines(
    *, run: PaymentRun, kind: str | None = None, limit: int = 200, exceptions: bool = False
) -> list[PaymentRunLine]:
    lines = PaymentRunLine.objects.filter(run=run).select_related("benefit_unit").order_by("id")
    if kind:
        lines = lines.filter(kind=kind)
    if exceptions:
        lines = lines.exclude(exceptions=[])
    return list(lines[:limit])


@dataclass
class CaseMoney:
    """Everything the case money tab shows, read from stored rows."""

    payments: list[Payment]
    ledger: list[LedgerEntry]
    overpayment_balance_cents: int
    underpayment_owed_cents: int
    income_reports: list[IncomeReport]
    circumstances: list[CircumstancesChange]
    bank_accounts: list[BankAccount]
    actions: list[PaymentAction]
    profile: PaymentProfile | None
    determinations: list[Determination]
    documents: list[Document]
    member_circumstances: list[MemberCircumstancesChange]
    # The latest stored determination of each month (the one a run or a correction used).
    current_determination_ids: set[int]

    @property
    def circumstances_in_force(self) -> CircumstancesChange | None:
        """The latest version (the list is newest first)."""
        return self.circumstances[0] if self.circumstances else None


def case_money_for_user(*, user: Any, benefit_unit: BenefitUnit) -> CaseMoney:
    """The case's money (the caller loaded the case through benefit_unit_get_for_user)."""
    require_capability(user, Capability.PAYMENT_VIEW)
    determinations = list(
        Determination.objects.filter(benefit_unit=benefit_unit).order_by(
            "-benefit_month", "-determined_at", "-id"
        )[:24]
    )
    current: set[int] = set()
    months_seen: set[Any] = set()
    for determination in determinations:
        if determination.benefit_month not in months_seen:
            months_seen.add(determination.benefit_month)
            current.add(determination.pk)
    ledger = list(
        LedgerEntry.objects.filter(benefit_unit=benefit_unit).order_by("-recorded_at", "-id")
    )
    return CaseMoney(
        payments=list(Payment.objects.filter(benefit_unit=benefit_unit).order_by("-benefit_month")),
        ledger=ledger,
        overpayment_balance_cents=sum(e.amount_cents for e in ledger if e.kind in BALANCE_KINDS),
        underpayment_owed_cents=sum(e.amount_cents for e in ledger if e.kind in UNDERPAYMENT_KINDS),
        income_reports=list(
            IncomeReport.objects.filter(benefit_unit=benefit_unit)
            .select_related("person", "proof")
            .order_by("-income_month", "person_id", "kind")[:60]
        ),
        circumstances=list(
            CircumstancesChange.objects.filter(benefit_unit=benefit_unit).order_by(
                "-effective_month", "-id"
            )
        ),
        bank_accounts=list(BankAccount.objects.filter(benefit_unit=benefit_unit)),
        actions=list(PaymentAction.objects.filter(benefit_unit=benefit_unit)),
        profile=PaymentProfile.objects.filter(benefit_unit=benefit_unit).first(),
        determinations=determinations,
        current_determination_ids=current,
        member_circumstances=list(
            MemberCircumstancesChange.objects.filter(benefit_unit=benefit_unit)
            .select_related("person")
            .order_by("-effective_month", "-id")
        ),
        documents=list(Document.objects.filter(benefit_unit=benefit_unit).order_by("-uploaded_at")),
    )


def payment_run_payees(
    *, run: PaymentRun, office_id: int | None = None, method: str = "", query: str = ""
) -> QuerySet[PaymentRunLine]:
    """Every case paid by the run (the caller paginates), filtered by office, method, or a
    payee name or case number; each with its change from last month."""
    lines = (
        PaymentRunLine.objects.filter(run=run, kind=LineKind.PAY)
        .select_related("benefit_unit", "benefit_unit__office")
        .annotate(change_cents=F("amount_cents") - F("previous_amount_cents"))
        .order_by("payee_name", "id")
    )
    if office_id:
        lines = lines.filter(benefit_unit__office_id=office_id)
    if method:
        lines = lines.filter(method=method)
    query = query.strip()
    if query:
        lines = lines.filter(
            Q(payee_name__icontains=query) | Q(benefit_unit__case_number__iexact=query)
        )
    return lines


def payment_run_office_summary(*, run: PaymentRun) -> list[dict[str, Any]]:
    """Per office: cases, payments, total, cases not calculated."""
    pay = Q(kind=LineKind.PAY)
    return list(
        PaymentRunLine.objects.filter(run=run)
        .values("benefit_unit__office_id", "benefit_unit__office__name")
        .annotate(
            cases=Count("id"),
            payments=Count("id", filter=pay),
            total_cents=Sum("amount_cents", filter=pay),
            errors=Count("id", filter=Q(kind=LineKind.ERROR)),
        )
        .order_by("benefit_unit__office__name")
    )


def income_report_month_due(*, benefit_unit: BenefitUnit, members: list[Any]) -> dt.date:
    """The month whose income report is due now: the month counted in the next payment not yet
    paid (income received in one month is counted in the next month's payment,
    REPORTING_LAG_CITATION). While this month's payment is still to be made that is last month;
    once it is paid (runs pay a month ahead) it is this month. Never a month before the
    current members joined (their report would count in a month before the case had them) and
    never a month that has not started."""
    this_month = timezone.localdate().replace(day=1)
    last_paid = Payment.objects.filter(benefit_unit=benefit_unit).aggregate(m=Max("benefit_month"))[
        "m"
    ]
    next_unpaid = max(this_month, last_paid + relativedelta(months=1)) if last_paid else this_month
    month = min(this_month, next_unpaid - relativedelta(months=INCOME_REPORTING_LAG_MONTHS))
    starts = [m.start_on for m in members if m.end_on is None]
    if starts:
        joined = min(starts).replace(day=1) - relativedelta(months=INCOME_REPORTING_LAG_MONTHS)
        month = min(this_month, max(month, joined))
    return month


# --- One-time and between-run payments (issue 16) -------------------------------------------


def _one_time_payments_for_user(*, user: Any) -> QuerySet[OneTimePayment]:
    require_capability(user, Capability.PAYMENT_VIEW)
    scope = partner_scope(user)
    rows = OneTimePayment.objects.select_related(
        "benefit_unit", "member", "requested_by", "decided_by", "batch"
    )
    return rows if scope is None else rows.filter(benefit_unit__delivery_partner_id=scope)


def one_time_payment_get_for_user(*, user: Any, payment_id: int) -> OneTimePayment:
    """One request, or Http404 when it doesn't exist or is another partner's."""
    found = _one_time_payments_for_user(user=user).filter(pk=payment_id).first()
    if found is None:
        raise Http404
    return found


def one_time_payments_of_case(*, user: Any, benefit_unit: BenefitUnit) -> list[OneTimePayment]:
    """The case's one-time payments, newest first (the caller loaded the case for the user)."""
    return list(_one_time_payments_for_user(user=user).filter(benefit_unit=benefit_unit)[:100])


def one_time_payments_waiting_for_user(*, user: Any) -> list[OneTimePayment]:
    """The requests of the user's partner waiting for a decision, oldest first (the queue)."""
    require_capability(user, Capability.PAYMENT_MANAGE)
    return list(
        _one_time_payments_for_user(user=user)
        .filter(status=OneTimeStatus.REQUESTED)
        .order_by("requested_at", "id")[:200]
    )


def one_time_payments_with_status_for_user(*, user: Any, status: str) -> list[OneTimePayment]:
    """The partner's one-time payments in one status, oldest first (the API's list)."""
    return list(_one_time_payments_for_user(user=user).filter(status=status).order_by("id")[:500])


def one_time_payments_approved_for_user(*, user: Any) -> list[OneTimePayment]:
    """Approved payments waiting for the next between-run batch."""
    return list(
        _one_time_payments_for_user(user=user)
        .filter(status=OneTimeStatus.APPROVED)
        .order_by("id")[:500]
    )


def one_time_batches_for_user(*, user: Any) -> QuerySet[OneTimeBatch]:
    require_capability(user, Capability.PAYMENT_VIEW)
    scope = partner_scope(user)
    batches = OneTimeBatch.objects.select_related("payment_file", "issued_by").annotate(
        payment_count=Count("payments"), total_cents=Sum("payments__amount_cents")
    )
    return batches if scope is None else batches.filter(delivery_partner_id=scope)


def one_time_batch_get_for_user(*, user: Any, batch_id: int) -> OneTimeBatch:
    """One between-run batch, or Http404 when it doesn't exist or is another partner's."""
    found = one_time_batches_for_user(user=user).filter(pk=batch_id).first()
    if found is None:
        raise Http404
    return found


def one_time_batches_between_runs(*, run: PaymentRun) -> list[OneTimeBatch]:
    """The between-run batches the run's partner issued after this run's release and before
    the release of its next run (the reconciliation page lists them beside the run)."""
    if run.released_at is None:
        return []
    batches = OneTimeBatch.objects.filter(
        delivery_partner_id=run.delivery_partner_id, issued_at__gte=run.released_at
    )
    following = (
        PaymentRun.objects.filter(
            delivery_partner_id=run.delivery_partner_id,
            released_at__gt=run.released_at,
        )
        .order_by("released_at")
        .values_list("released_at", flat=True)
        .first()
    )
    if following is not None:
        batches = batches.filter(issued_at__lt=following)
    return list(batches.select_related("payment_file").order_by("issued_at", "id"))


def one_time_limits_of_case(*, user: Any, benefit_unit: BenefitUnit) -> list[dict[str, Any]]:
    """Each one-time benefit's limit in force today for the case, with its citation (the
    request page shows them; the service applies them)."""
    from .onetime_limits import one_time_limit  # noqa: PLC0415  # the rules package, on demand
    from .services.onetime import _children, one_time_policy_for  # noqa: PLC0415

    require_capability(user, Capability.PAYMENT_VIEW)
    today = timezone.localdate()
    policy = one_time_policy_for(benefit_unit.delivery_partner_id)
    children = _children(benefit_unit, today)
    rows = []
    for kind, label in OneTimeBenefitKind.choices:
        limit = one_time_limit(kind=kind, policy=policy, on=today, dependant_children=children)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "cents": limit.cents,
                "per_member": limit.per_member,
                "citation": limit.citation,
            }
        )
    return rows
