"""API: one-time and between-run payments (issue 16): the request on a case, the list of a
partner's requests, the decision by another person, and the between-run batch (its CPA-005 file
with its own file creation number and its cheque list).

Every POST needs an Idempotency-Key and a token made with the second factor; a refusal is a 422
naming each field and rule found (several at once), never a 500. Listing payments is a read of
each member's file and is logged (channel "api")."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId, Text
from caseworks.accounts.second_factor import second_factor_operation
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.clients.services import client_file_accesses_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError, SeveralApplicationError, application_errors
from caseworks.core.idempotency import idempotent_operation
from caseworks.core.money import format_cents, parse_dollars_to_cents
from caseworks.core.validators import NameText

from .constants import OneTimeStatus
from .models import OneTimeBatch, OneTimePayment
from .selectors import one_time_payment_get_for_user, one_time_payments_with_status_for_user
from .services.onetime import (
    one_time_batch_file,
    one_time_batch_issue,
    one_time_batch_key,
    one_time_cheque_list_csv,
    one_time_payment_decide,
    one_time_payment_request,
)

router = Router(tags=["payments"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


class OneTimeRequestIn(Schema):
    """A one-time payment asked for on a case. `amount` in dollars ("500.00"); `payee` client
    or vendor; `method` eft (direct deposit) or cheque. A vendor paid by direct deposit needs
    its account (`vendor_institution`, `vendor_transit`, `vendor_account`); a client's deposit
    goes to the case's current account. Every problem found is in the 422's `detail`."""

    member_id: RecordId
    kind: Text = Field(examples=["full_time_employment"])
    amount: Text = Field(examples=["500.00"])
    reason: Text = Field(max_length=2000)
    payee: Text = Field(examples=["client"])
    method: Text = Field(examples=["eft"])
    vendor_name: NameText = Field("", max_length=30)
    vendor_institution: Text = Field("", max_length=3)
    vendor_transit: Text = Field("", max_length=5)
    vendor_account: Text = Field("", max_length=20)


class OneTimeDecisionIn(Schema):
    approve: bool
    refusal_reason: Text = Field("", max_length=2000)


class OneTimePaymentOut(Schema):
    id: int
    benefit_unit_id: int
    case_number: str
    member_id: int
    kind: str
    amount: str
    citation: str
    reason: str
    payee: str
    payee_name: str
    method: str
    status: str
    requested_by_id: int
    requested_at: dt.datetime
    decided_by_id: int | None
    decided_at: dt.datetime | None
    refusal_reason: str
    batch_id: int | None
    notice_en_id: int | None
    notice_fr_id: int | None

    @staticmethod
    def resolve_amount(obj: OneTimePayment) -> str:
        return format_cents(obj.amount_cents)

    @staticmethod
    def resolve_case_number(obj: OneTimePayment) -> str:
        return obj.benefit_unit.case_number


class OneTimeBatchOut(Schema):
    """A between-run batch: its payments, its CPA-005 file (base64, with its own file creation
    number; null when every payment is a cheque) and its cheque list (CSV)."""

    id: int
    issued_at: dt.datetime
    file_creation_number: int | None
    total: str
    payments: list[OneTimePaymentOut]
    cpa005_base64: str | None
    cheque_list_csv: str


def _batch_out(batch: OneTimeBatch) -> dict[str, Any]:
    payments = list(batch.payments.select_related("benefit_unit").order_by("id"))
    record = batch.payment_file
    return {
        "id": batch.pk,
        "issued_at": batch.issued_at,
        "file_creation_number": record.file_creation_number if record else None,
        "total": format_cents(sum(p.amount_cents for p in payments)),
        "payments": payments,
        "cpa005_base64": base64.b64encode(one_time_batch_file(batch)).decode() if record else None,
        "cheque_list_csv": one_time_cheque_list_csv(batch),
    }


def _log_members(request: ApiRequest, payments: list[OneTimePayment], view_name: str) -> None:
    if payments:
        client_file_accesses_record(
            user=request.auth,
            person_ids=[p.member_id for p in payments],
            benefit_unit_ids={p.member_id: p.benefit_unit_id for p in payments},
            view_name=view_name,
            channel="api",
        )


@router.post(
    "/cases/{benefit_unit_id}/one-time-payments",
    response={201: OneTimePaymentOut, **WRITE_ERRORS},
    summary="Request a one-time payment (another person approves it)",
)
@second_factor_operation
@idempotent_operation
def one_time_request(
    request: ApiRequest, benefit_unit_id: RecordId, payload: OneTimeRequestIn
) -> Status[OneTimePayment]:
    require_capability(request.auth, Capability.PAYMENT_MANAGE)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    try:
        cents = parse_dollars_to_cents(payload.amount)
    except (ValueError, ArithmeticError) as exc:
        raise ApplicationError(str(exc), field="amount", code="invalid_amount") from exc
    try:
        payment = one_time_payment_request(
            acting_user=request.auth,
            benefit_unit=case,
            member_id=payload.member_id,
            kind=payload.kind,
            amount_cents=cents,
            reason=payload.reason,
            payee=payload.payee,
            method=payload.method,
            vendor_name=payload.vendor_name,
            vendor_bank={
                "institution": payload.vendor_institution,
                "transit": payload.vendor_transit,
                "account": payload.vendor_account,
            },
        )
    except ApplicationError as exc:
        raise _api_fields(exc) from exc
    return Status(201, payment)


# The service's field → the API's (the same names as the body).
_API_FIELDS = {
    "amount_cents": "amount",
    "institution": "vendor_institution",
    "transit": "vendor_transit",
    "account": "vendor_account",
}


def _api_fields(exc: ApplicationError) -> ApplicationError:
    renamed = [
        ApplicationError(e.message, field=_API_FIELDS.get(e.field or "", e.field), code=e.code)
        for e in application_errors(exc)
    ]
    return renamed[0] if len(renamed) == 1 else SeveralApplicationError(renamed)


@router.get(
    "/one-time-payments",
    response={200: list[OneTimePaymentOut], **ERRORS},
    summary="One-time payments of your partner (status: requested, approved, refused, issued)",
)
def one_time_list(request: ApiRequest, status: str = "requested") -> list[OneTimePayment]:
    if status not in OneTimeStatus.values:
        raise ApplicationError(
            "must be one of " + ", ".join(sorted(OneTimeStatus.values)), field="status"
        )
    payments = one_time_payments_with_status_for_user(user=request.auth, status=status)
    _log_members(request, payments, "api:payments_one_time_list")
    return payments


@router.post(
    "/one-time-payments/{payment_id}/decision",
    response={200: OneTimePaymentOut, **WRITE_ERRORS},
    summary="Approve or refuse a one-time payment (never the requester; a notice is made)",
)
@second_factor_operation
@idempotent_operation
def one_time_decide(
    request: ApiRequest, payment_id: RecordId, payload: OneTimeDecisionIn
) -> OneTimePayment:
    require_capability(request.auth, Capability.PAYMENT_MANAGE)
    payment = one_time_payment_get_for_user(user=request.auth, payment_id=payment_id)
    return one_time_payment_decide(
        acting_user=request.auth,
        payment=payment,
        approve=payload.approve,
        refusal_reason=payload.refusal_reason,
    )


@router.post(
    "/one-time-batches",
    response={201: OneTimeBatchOut, **WRITE_ERRORS},
    summary="Issue every approved one-time payment now, between runs (CPA-005 and cheques)",
)
@second_factor_operation
@idempotent_operation
def one_time_batch(request: ApiRequest) -> Status[dict[str, Any]]:
    """The Idempotency-Key is also the batch's: a lost answer is fetched again by replaying
    the same key, and the batch is never issued twice."""
    require_capability(request.auth, Capability.PAYMENT_RUN_APPROVE)
    batch = one_time_batch_issue(
        acting_user=request.auth,
        idempotency_key=one_time_batch_key(
            user_id=request.auth.pk, key=request.headers.get("Idempotency-Key", "")
        ),
    )
    return Status(201, _batch_out(batch))
