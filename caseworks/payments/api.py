"""API: monthly income reports (for the client portal later), a case's money, payment runs.

Cases are loaded only through the partner-scoped selectors; a write checks the capability
first (403), then loads the record (404 for another partner's). Amounts travel as decimal
strings ("123.45") and are stored as integer cents. Reading a case's money is a read of the
applicant's file and is logged (channel "api")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId, Text
from caseworks.accounts.second_factor import second_factor_operation
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_file_read_record, case_version_conflict
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_operation
from caseworks.core.money import format_cents, parse_dollars_to_cents
from caseworks.documents.models import Document

from .models import Payment, PaymentRun
from .selectors import (
    case_money_for_user,
    payment_run_get_for_user,
    payment_run_queryset_for_user,
)
from .services import income_report_record
from .services.recalculation import recalculation_apply, recalculation_preview
from .services.runs import payment_run_approve
from .tasks import payment_run_prepare_queue, payment_run_release_queue

router = Router(tags=["payments"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def _month(text: str, field: str) -> dt.date:
    if not re.fullmatch(MONTH, text):
        raise ApplicationError("must be a month like 2026-01", field=field)
    return dt.date(int(text[:4]), int(text[5:7]), 1)


class IncomeReportIn(Schema):
    """What one member received in `income_month` (applied to the next benefit month).
    `amounts` maps a kind (earnings, employment_insurance, cpp, …) to dollars ("600.00").
    If a month already paid would change, the answer is a preview (`applied` false) unless
    `confirm` is true: then the paid months get overpayment/underpayment entries."""

    person_id: RecordId
    income_month: Text = Field(pattern=MONTH, examples=["2026-01"])
    amounts: dict[Text, Text]
    proof_document_id: RecordId | None = None
    expected_version: int = Field(ge=1)
    confirm: bool = False


class RecalculationIn(Schema):
    """Check the months from `from_month` against what was issued, after a change recorded
    elsewhere reached them (a member who joined or left on a past date). A preview (`applied`
    false) unless `confirm` is true: then only the differences are booked."""

    from_month: Text = Field(pattern=MONTH, examples=["2026-01"])
    expected_version: int = Field(ge=1)
    confirm: bool = False


class MonthChangeOut(Schema):
    benefit_month: str
    paid: bool
    old_payment: str | None
    new_payment: str
    difference: str


class IncomeReportOut(Schema):
    applied: bool
    months: list[MonthChangeOut]


class PaymentOut(Schema):
    benefit_month: dt.date
    amount: str
    recovery: str
    method: str
    is_interim: bool


class LedgerEntryOut(Schema):
    kind: str
    amount: str
    benefit_month: dt.date | None
    reason: str
    citation: str
    recorded_at: dt.datetime


class CaseMoneyOut(Schema):
    overpayment_balance: str
    underpayment_owed: str
    payments: list[PaymentOut]
    ledger: list[LedgerEntryOut]


class RunIn(Schema):
    benefit_month: Text = Field(pattern=MONTH, examples=["2026-01"])


class RunOut(Schema):
    id: int
    benefit_month: dt.date
    status: str
    case_count: int
    payment_count: int
    total: str
    eft_count: int
    eft_total: str
    cheque_count: int
    cheque_total: str
    recovery_total: str
    error_count: int
    previous_total: str | None
    variance: str | None
    unusual_changes: list[dict[str, Any]]
    released_count: int
    released_total: str
    held_cases: list[dict[str, Any]]
    dry_run_error: str

    @staticmethod
    def _money(value: int | None) -> str | None:
        return None if value is None else format_cents(value)

    @staticmethod
    def resolve_total(obj: PaymentRun) -> str:
        return format_cents(obj.total_cents)

    @staticmethod
    def resolve_eft_total(obj: PaymentRun) -> str:
        return format_cents(obj.eft_total_cents)

    @staticmethod
    def resolve_cheque_total(obj: PaymentRun) -> str:
        return format_cents(obj.cheque_total_cents)

    @staticmethod
    def resolve_recovery_total(obj: PaymentRun) -> str:
        return format_cents(obj.recovery_total_cents)

    @staticmethod
    def resolve_previous_total(obj: PaymentRun) -> str | None:
        return None if obj.previous_total_cents is None else format_cents(obj.previous_total_cents)

    @staticmethod
    def resolve_variance(obj: PaymentRun) -> str | None:
        return None if obj.variance_cents is None else format_cents(obj.variance_cents)

    @staticmethod
    def resolve_released_total(obj: PaymentRun) -> str:
        return format_cents(obj.released_total_cents)


class RunApproveIn(Schema):
    """The approver's signed list: the ids of the cases not calculated or held that they
    acknowledge, and `reviewed` true when the run leaves any case unpaid."""

    acknowledged: list[RecordId] = []
    reviewed: bool = False


def _log(request: ApiRequest, benefit_unit: BenefitUnit, view_name: str) -> None:
    case_file_read_record(
        user=request.auth, benefit_unit=benefit_unit, view_name=view_name, channel="api"
    )


@router.get(
    "/cases/{benefit_unit_id}/money",
    response={200: CaseMoneyOut, **ERRORS},
    summary="A case's payments and overpayment ledger (stored rows)",
)
def case_money(request: ApiRequest, benefit_unit_id: RecordId) -> dict[str, Any]:
    require_capability(request.auth, Capability.PAYMENT_VIEW)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    _log(request, case, "api:payments_case_money")
    money = case_money_for_user(user=request.auth, benefit_unit=case)
    return {
        "overpayment_balance": format_cents(money.overpayment_balance_cents),
        "underpayment_owed": format_cents(money.underpayment_owed_cents),
        "payments": [
            {
                "benefit_month": p.benefit_month,
                "amount": format_cents(p.amount_cents),
                "recovery": format_cents(p.recovery_cents),
                "method": p.method,
                "is_interim": p.is_interim,
            }
            for p in money.payments
        ],
        "ledger": [
            {
                "kind": e.kind,
                "amount": format_cents(e.amount_cents),
                "benefit_month": e.benefit_month,
                "reason": e.reason,
                "citation": e.citation,
                "recorded_at": e.recorded_at,
            }
            for e in money.ledger
        ],
    }


@router.post(
    "/cases/{benefit_unit_id}/income-reports",
    response={200: IncomeReportOut, 201: IncomeReportOut, **WRITE_ERRORS},
    summary="Report a member's income for a month",
)
@second_factor_operation
@idempotent_operation
def income_report(
    request: ApiRequest, benefit_unit_id: RecordId, payload: IncomeReportIn
) -> Status[dict[str, Any]]:
    require_capability(request.auth, Capability.INCOME_REPORT_RECORD)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    if case.version != payload.expected_version:
        raise case_version_conflict(field="expected_version")
    member = case.members.filter(person_id=payload.person_id).select_related("person").first()
    if member is None:
        raise Http404
    month = _month(payload.income_month, "income_month")
    amounts: dict[str, int] = {}
    for kind, text in payload.amounts.items():
        try:
            amounts[kind] = parse_dollars_to_cents(text)
        except (ValueError, ArithmeticError) as exc:
            raise ApplicationError(f"{exc}", field=f"amounts.{kind}") from exc
    proof = None
    if payload.proof_document_id is not None:
        proof = Document.objects.filter(pk=payload.proof_document_id, benefit_unit=case).first()
        if proof is None:
            raise Http404

    def edit() -> Any:
        return income_report_record(
            acting_user=request.auth,
            benefit_unit=case,
            person=member.person,
            income_month=month,
            amounts_cents=amounts,
            proof=proof,
            expected_version=None if payload.confirm else payload.expected_version,
        )

    first_month = month + relativedelta(months=1)
    if not Payment.objects.filter(benefit_unit=case, benefit_month__gte=first_month).exists():
        edit()
        return Status(201, {"applied": True, "months": []})
    return _preview_or_apply(
        request, case, first_month, edit, payload.expected_version, confirm=payload.confirm
    )


def _preview_or_apply(
    request: ApiRequest,
    case: Any,
    from_month: dt.date,
    edit: Any,
    expected_version: int,
    *,
    confirm: bool,
) -> Status[dict[str, Any]]:
    """The months a change reaches, old and new (200); applied with only the differences
    booked when `confirm` is true (201)."""
    if confirm:
        changes = recalculation_apply(
            acting_user=request.auth,
            benefit_unit=case,
            from_month=from_month,
            edit=edit,
            expected_version=expected_version,
        )
        return Status(201, {"applied": True, "months": _months_out(changes)})
    changes = recalculation_preview(
        acting_user=request.auth, benefit_unit=case, from_month=from_month, edit=edit
    )
    return Status(200, {"applied": False, "months": _months_out(changes)})


def _months_out(changes: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "benefit_month": c.benefit_month.strftime("%Y-%m"),
            "paid": c.paid,
            "old_payment": None
            if c.old_payment_cents is None
            else format_cents(c.old_payment_cents),
            "new_payment": format_cents(c.new_payment_cents),
            "difference": format_cents(c.difference_cents),
        }
        for c in changes
    ]


@router.post(
    "/cases/{benefit_unit_id}/recalculations",
    response={200: IncomeReportOut, 201: IncomeReportOut, **WRITE_ERRORS},
    summary="Check paid months against the facts now recorded; book only the differences",
)
@second_factor_operation
@idempotent_operation
def recalculation(
    request: ApiRequest, benefit_unit_id: RecordId, payload: RecalculationIn
) -> Status[dict[str, Any]]:
    require_capability(request.auth, Capability.DETERMINATION_RUN)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    if case.version != payload.expected_version:
        raise case_version_conflict(field="expected_version")
    month = _month(payload.from_month, "from_month")
    _log(request, case, "api:payments_recalculation")  # the months' amounts are a file read
    return _preview_or_apply(
        request, case, month, lambda: None, payload.expected_version, confirm=payload.confirm
    )


@router.get("/runs", response={200: list[RunOut], **ERRORS}, summary="Payment runs")
def run_list(request: ApiRequest) -> list[PaymentRun]:
    return list(payment_run_queryset_for_user(user=request.auth)[:100])


@router.get("/runs/{run_id}", response={200: RunOut, **ERRORS}, summary="A payment run")
def run_detail(request: ApiRequest, run_id: RecordId) -> PaymentRun:
    return payment_run_get_for_user(user=request.auth, run_id=run_id)


@router.post(
    "/runs",
    response={202: RunOut, **WRITE_ERRORS},
    summary="Prepare a month and dry-run it (queued on PostgreSQL)",
)
@second_factor_operation
@idempotent_operation(own_transaction=True)  # durable queue services
def run_prepare(request: ApiRequest, payload: RunIn) -> Status[PaymentRun]:
    require_capability(request.auth, Capability.PAYMENT_RUN_PREPARE)
    partner = request.auth.delivery_partner
    if partner is None:
        raise Http404
    run = payment_run_prepare_queue(
        acting_user=request.auth,
        delivery_partner=partner,
        benefit_month=_month(payload.benefit_month, "benefit_month"),
    )
    return Status(202, run)


@router.post(
    "/runs/{run_id}/approve",
    response={200: RunOut, **WRITE_ERRORS},
    summary="Approve a dry run (an approver who did not prepare it; every case not paid "
    "acknowledged, JSON body {acknowledged: [case ids], reviewed: true})",
)
@second_factor_operation
@idempotent_operation(own_transaction=True)  # durable queue services
def run_approve(request: ApiRequest, run_id: RecordId) -> PaymentRun:
    """Body (optional, JSON): `RunApproveIn`: the cases acknowledged and `reviewed`."""
    run = payment_run_get_for_user(user=request.auth, run_id=run_id)
    body = request.body if request.content_type == "application/json" else b""
    try:
        payload = RunApproveIn.model_validate_json(body.strip() or b"{}")
    except PydanticValidationError as exc:
        raise ApplicationError(
            "acknowledged: a list of case ids; reviewed: true or false", field="acknowledged"
        ) from exc
    return payment_run_approve(
        acting_user=request.auth,
        run=run,
        acknowledged=payload.acknowledged,
        reviewed=payload.reviewed,
    )


@router.post(
    "/runs/{run_id}/release",
    response={202: RunOut, **WRITE_ERRORS},
    summary="Release an approved run (queued; idempotent and resumable)",
)
@second_factor_operation
@idempotent_operation(own_transaction=True)  # durable queue services
def run_release(request: ApiRequest, run_id: RecordId) -> Status[PaymentRun]:
    run = payment_run_get_for_user(user=request.auth, run_id=run_id)
    return Status(202, payment_run_release_queue(acting_user=request.auth, run=run))


# --- One-time and between-run payments (issue 16) -------------------------------------------
