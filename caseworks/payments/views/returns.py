"""Pages of bank returns, reissues, the cheque register and a run's reconciliation (issue 12).
Thin: parse, call one service or selector of returns.py, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from ..constants import ChequeActionKind, PaymentMethod, ReissueMethod, RunStatus
from ..models import PaymentReturn
from ..reconciliation import (
    METHODS,
    ROW_LABELS,
    ROWS,
    cheque_register,
    one_time_reconciliation_table,
    partner_returns,
    reconciliation,
    reconciliation_csv,
)
from ..returns_parsing import RETURN_REASONS
from ..selectors import one_time_batches_between_runs, payment_run_get_for_user
from ..services import run_payees_access_record
from ..services.reissues import cheque_action_record, payment_return_reissue
from ..services.returns import payment_returns_import
from .errors import message_application_error

MAX_RETURNS_FILE = 20 * 1024 * 1024


@staff_view
def returns_page(request: HttpRequest) -> HttpResponseBase:
    """Import a bank's returned-items file (finance staff) and see the partner's returns."""
    user: Any = request.user
    require_capability(user, Capability.PAYMENT_VIEW)
    scope = partner_scope(user)
    if request.method == "POST":
        require_capability(user, Capability.PAYMENT_RUN_APPROVE)
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > MAX_RETURNS_FILE:
            messages.error(request, _("Choose the bank's returns file (at most 20 MB)."))
            return redirect("payments:returns")
        try:
            result = payment_returns_import(acting_user=user, data=upload.read())
        except ApplicationError as exc:
            message_application_error(request, exc)
        else:
            if result.unchanged:
                messages.info(request, _("This file was imported before; nothing changed."))
            else:
                messages.success(
                    request,
                    _("%(recorded)s returned payments recorded, %(skipped)s already known.")
                    % {"recorded": result.recorded, "skipped": result.already_returned},
                )
        return redirect("payments:returns")
    rows = partner_returns(scope) if scope is not None else []
    return render(
        request,
        "payments/returns.html",
        {
            "returns": [(r, RETURN_REASONS.get(r.reason_code, ("", False))[0]) for r in rows],
            "can_import": user.has_capability(Capability.PAYMENT_RUN_APPROVE),
            "can_reissue": user.has_capability(Capability.PAYMENT_MANAGE),
            "methods": ReissueMethod.choices,
        },
    )


@staff_view
@require_POST
@idempotent_form
def return_reissue(request: HttpRequest, return_id: int) -> HttpResponseBase:
    user: Any = request.user
    require_capability(user, Capability.PAYMENT_MANAGE)
    scope = partner_scope(user)
    found = PaymentReturn.objects.filter(pk=return_id)
    if scope is not None:
        found = found.filter(benefit_unit__delivery_partner_id=scope)
    payment_return = found.first()
    if payment_return is None:
        messages.error(request, _("No such returned payment in your office."))
        return redirect("payments:returns")
    try:
        payment_return_reissue(
            acting_user=user,
            payment_return=payment_return,
            method=request.POST.get("method", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        message_application_error(request, exc)
    else:
        messages.success(request, _("The payment is reissued."))
    return redirect("payments:returns")


def _released_run(request: HttpRequest, run_id: int) -> Any:
    run = payment_run_get_for_user(user=request.user, run_id=run_id)
    return run


@staff_view
def run_reconciliation(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _released_run(request, run_id)
    report = reconciliation(run) if run.status == RunStatus.RELEASED else None
    table = (
        [(ROW_LABELS[row], [report[row][m] for m in (*METHODS, "total")]) for row in ROWS]
        if report
        else []
    )
    batches = [
        (batch, one_time_reconciliation_table(batch))
        for batch in one_time_batches_between_runs(run=run)
    ]
    return render(
        request,
        "payments/run_reconciliation.html",
        {"run": run, "table": table, "batches": batches},
    )


@staff_view
def run_reconciliation_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _released_run(request, run_id)
    try:
        text = reconciliation_csv(run)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("payments:run_reconciliation", run_id=run.pk)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reconciliation-{run.delivery_partner.code}-'
        f'{run.benefit_month:%Y-%m}.csv"'
    )
    return response


@staff_view
def run_cheque_register(request: StaffRequest, run_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYMENT_RUN_APPROVE)
    run = _released_run(request, run_id)
    # The register names every cheque payee: one access record each.
    run_payees_access_record(
        acting_user=request.user,
        run=run,
        method=PaymentMethod.CHEQUE,
        view_name="payments:run_cheque_register",
    )
    return render(
        request,
        "payments/run_cheque_register.html",
        {"run": run, "cheques": cheque_register(run), "kinds": ChequeActionKind.choices},
    )


@staff_view
@require_POST
@idempotent_form
def run_cheque_action(request: StaffRequest, run_id: int) -> HttpResponseBase:
    run = _released_run(request, run_id)
    try:
        cheque_action_record(
            acting_user=request.user,
            payment_id=int(request.POST.get("payment") or 0),
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValueError:  # the payment field is not a number
        messages.error(request, _("Choose a cheque."))
    except ApplicationError as exc:
        message_application_error(request, exc)
    else:
        messages.success(request, _("The cheque register is updated."))
    return redirect("payments:run_cheque_register", run_id=run.pk)
