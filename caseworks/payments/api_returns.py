"""API: bank returns, reissues (and sending them), the cheque register (issue 12).

Same rules as `api.py`: the service checks the capability (403) and scopes to the caller's
partner; every POST records money and carries an `Idempotency-Key` header
(`@idempotent_operation`: a replay answers with the first result, so a bank file or cheque list
whose answer was lost is fetched again with the same key, never built twice). Files travel
base64-encoded in JSON. Amounts are decimal strings ("123.45")."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId, Text
from caseworks.accounts.second_factor import second_factor_operation
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_operation
from caseworks.core.money import format_cents

from .constants import ChequeActionKind, PaymentMethod, ReissueMethod
from .reconciliation import cheque_register, partner_returns
from .returns_parsing import reason_label
from .selectors import payment_run_get_for_user
from .services import run_payees_access_record
from .services.reissues import (
    cheque_action_record,
    payment_return_for_user,
    payment_return_reissue,
    reissue_cheque_list_csv,
    reissue_file_build,
)
from .services.returns import payment_returns_import

router = Router(tags=["payments"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
MAX_FILE_BYTES = 20 * 1024 * 1024


class ReturnsImportIn(Schema):
    """The bank's returned-items file (Standard 005 or the CSV returns report), base64."""

    content_base64: Text = Field(max_length=MAX_FILE_BYTES * 4 // 3 + 4)


class ReturnsImportOut(Schema):
    returns_file_id: int
    file_format: str
    items: int
    recorded: int
    already_returned: int
    tasks: int
    unchanged: bool


class ReturnOut(Schema):
    id: int
    payment_id: int
    benefit_unit_id: int
    amount: str
    reason_code: str
    reason: str
    returned_on: dt.date
    reissue_id: int | None


class ReissueIn(Schema):
    return_id: RecordId
    method: ReissueMethod
    reason: Text = Field(min_length=1, max_length=2000)


class ReissueOut(Schema):
    id: int
    original_payment_id: int
    method: str
    amount: str


class ChequeActionIn(Schema):
    payment_id: RecordId
    kind: ChequeActionKind
    reason: Text = Field(min_length=1, max_length=2000)
    method: ReissueMethod = ReissueMethod.CHEQUE  # for a reissue


class ChequeActionOut(Schema):
    id: int
    payment_id: int
    kind: str
    reissue_id: int | None


class ChequeOut(Schema):
    id: int
    benefit_unit_id: int
    case_number: str
    amount: str
    stopped: bool
    cancelled: bool
    reissued: str | None


class ReissueFileOut(Schema):
    payment_file_id: int
    file_creation_number: int
    credit_count: int
    credit_total: str
    sha256: str
    content_base64: str


class ChequeListOut(Schema):
    csv: str


@router.post(
    "/returns",
    response={201: ReturnsImportOut, **WRITE_ERRORS},
    summary="Import a bank's returned-items file (idempotent and resumable)",
)
@second_factor_operation
@idempotent_operation(own_transaction=True)  # the import commits batch by batch
def returns_import(request: ApiRequest, payload: ReturnsImportIn) -> Status[dict[str, Any]]:
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApplicationError("must be base64", field="content_base64") from exc
    result = payment_returns_import(acting_user=request.auth, data=data)
    returns_file = result.returns_file
    return Status(
        201,
        {
            "returns_file_id": returns_file.pk,
            "file_format": returns_file.file_format,
            "items": returns_file.item_count,
            "recorded": result.recorded,
            "already_returned": result.already_returned,
            "tasks": result.tasks,
            "unchanged": result.unchanged,
        },
    )


@router.get("/returns", response={200: list[ReturnOut], **ERRORS}, summary="Latest returns")
def returns_list(request: ApiRequest) -> list[dict[str, Any]]:
    require_capability(request.auth, Capability.PAYMENT_VIEW)
    partner = request.auth.delivery_partner_id
    if partner is None:
        return []
    return [
        {
            "id": r.pk,
            "payment_id": r.payment_id,
            "benefit_unit_id": r.benefit_unit_id,
            "amount": format_cents(r.amount_cents),
            "reason_code": r.reason_code,
            "reason": reason_label(r.reason_code),
            "returned_on": r.returned_on,
            "reissue_id": getattr(getattr(r, "reissue", None), "pk", None),
        }
        for r in partner_returns(partner)
    ]


@router.post(
    "/reissues",
    response={201: ReissueOut, **WRITE_ERRORS},
    summary="Reissue a returned deposit by cheque or to the corrected account",
)
@second_factor_operation
@idempotent_operation
def reissue(request: ApiRequest, payload: ReissueIn) -> Status[dict[str, Any]]:
    require_capability(request.auth, Capability.PAYMENT_MANAGE)
    payment_return = payment_return_for_user(user=request.auth, return_id=payload.return_id)
    made = payment_return_reissue(
        acting_user=request.auth,
        payment_return=payment_return,
        method=payload.method,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "id": made.pk,
            "original_payment_id": made.original_id,
            "method": made.method,
            "amount": format_cents(made.amount_cents),
        },
    )


@router.post(
    "/reissues/file",
    response={201: ReissueFileOut, **WRITE_ERRORS},
    summary="Build the CPA-005 file of the direct deposit reissues not sent yet",
)
@second_factor_operation
@idempotent_operation
def reissue_file(request: ApiRequest) -> Status[dict[str, Any]]:
    data, record = reissue_file_build(acting_user=request.auth)
    return Status(
        201,
        {
            "payment_file_id": record.pk,
            "file_creation_number": record.file_creation_number,
            "credit_count": record.credit_count,
            "credit_total": format_cents(record.credit_total_cents),
            "sha256": record.sha256,
            "content_base64": base64.b64encode(data).decode("ascii"),
        },
    )


@router.post(
    "/reissues/cheque-list",
    response={201: ChequeListOut, **WRITE_ERRORS},
    summary="The cheque list of the cheque reissues not listed yet (CSV)",
)
@second_factor_operation
@idempotent_operation
def reissue_cheque_list(request: ApiRequest) -> Status[dict[str, Any]]:
    return Status(201, {"csv": reissue_cheque_list_csv(acting_user=request.auth)})


@router.get(
    "/runs/{run_id}/cheque-register",
    response={200: list[ChequeOut], **ERRORS},
    summary="A run's cheques with their stop, cancel and reissue state",
)
def run_cheque_register(request: ApiRequest, run_id: RecordId) -> list[dict[str, Any]]:
    require_capability(request.auth, Capability.PAYMENT_RUN_APPROVE)
    run = payment_run_get_for_user(user=request.auth, run_id=run_id)
    run_payees_access_record(  # the register names every cheque payee: one access record each
        acting_user=request.auth,
        run=run,
        method=PaymentMethod.CHEQUE,
        view_name="api:payments:run_cheque_register",
        channel="api",
    )
    return [
        {
            "id": row["id"],
            "benefit_unit_id": row["benefit_unit_id"],
            "case_number": row["benefit_unit__case_number"],
            "amount": format_cents(row["amount_cents"]),
            "stopped": row["stopped"],
            "cancelled": row["cancelled"],
            "reissued": row["reissued"],
        }
        for row in cheque_register(run)
    ]


@router.post(
    "/cheque-actions",
    response={201: ChequeActionOut, **WRITE_ERRORS},
    summary="Stop, cancel or reissue a cheque, with the reason",
)
@second_factor_operation
@idempotent_operation
def cheque_action(request: ApiRequest, payload: ChequeActionIn) -> Status[dict[str, Any]]:
    action = cheque_action_record(
        acting_user=request.auth,
        payment_id=payload.payment_id,
        kind=payload.kind,
        reason=payload.reason,
        method=payload.method,
    )
    reissued = getattr(action.payment, "reissue", None) if payload.kind == "reissue" else None
    return Status(
        201,
        {
            "id": action.pk,
            "payment_id": action.payment_id,
            "kind": action.kind,
            "reissue_id": reissued.pk if reissued else None,
        },
    )
