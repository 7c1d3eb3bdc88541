"""One-time and between-run payments (issue 16): the request on a case's money tab, the queue
of requests waiting for a second person's decision, and the finance page that issues the
approved payments between runs (the batch, its CPA-005 file, its cheques, the letters).

Every page of this module needs a session that passed the second factor (the middleware,
`caseworks.accounts.second_factor`); the decision and the issue check it again themselves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.second_factor import require_second_factor
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.clients.services import client_file_accesses_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import FORM_FIELD, idempotent_form

from ..constants import PaymentMethod
from ..forms import OneTimeDecisionForm, OneTimeRequestForm
from ..models import OneTimePayment
from ..reconciliation import one_time_reconciliation_table
from ..selectors import (
    one_time_batch_get_for_user,
    one_time_batches_for_user,
    one_time_limits_of_case,
    one_time_payment_get_for_user,
    one_time_payments_approved_for_user,
    one_time_payments_of_case,
    one_time_payments_waiting_for_user,
)
from ..services.onetime import (
    one_time_batch_download_record,
    one_time_batch_file,
    one_time_batch_issue,
    one_time_batch_key,
    one_time_cheque_list_csv,
    one_time_payment_decide,
    one_time_payment_request,
    one_time_policy_for,
)
from .case_money import _log_view
from .errors import message_application_error

# The service's field → the form's field.
REQUEST_FIELDS = {"amount_cents": "amount", "member_id": "member"}


def _log_payees(request: StaffRequest, payments: list[OneTimePayment], view_name: str) -> None:
    """A list naming clients is a read of their files: one access record per member shown."""
    if payments:
        client_file_accesses_record(
            user=request.user,
            person_ids=[p.member_id for p in payments],
            benefit_unit_ids={p.member_id: p.benefit_unit_id for p in payments},
            view_name=view_name,
        )


@staff_view
@idempotent_form
def one_time_request(request: StaffRequest, benefit_unit_id: int) -> HttpResponse:
    """Request a one-time payment on the case (a second person decides it)."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    members = [
        m for m in _log_view(request, benefit_unit, "payments:one_time_request") if m.end_on is None
    ]
    form = OneTimeRequestForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            one_time_payment_request(
                acting_user=request.user,
                benefit_unit=benefit_unit,
                member_id=data["member"],
                kind=data["kind"],
                amount_cents=data["amount"],
                reason=data["reason"],
                payee=data["payee"],
                method=data["method"],
                vendor_name=data["vendor_name"],
                vendor_bank=form.vendor_bank(),
            )
        except ApplicationError as exc:
            add_application_error(form, exc, REQUEST_FIELDS)
        else:
            messages.success(
                request,
                _(
                    "The one-time payment is requested; another staff member must approve it "
                    "before it is issued."
                ),
            )
            url = reverse("payments:case_money", args=[benefit_unit.pk])
            return redirect(f"{url}#one-time")
    return render(
        request,
        "payments/one_time_request.html",
        {
            "case": benefit_unit,
            "form": form,
            "submitted_forms": [form] if request.method == "POST" else [],
            "payments": one_time_payments_of_case(user=request.user, benefit_unit=benefit_unit),
            "limits": one_time_limits_of_case(user=request.user, benefit_unit=benefit_unit),
        },
    )


def _queue_page(
    request: StaffRequest, bound: OneTimeDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    waiting = one_time_payments_waiting_for_user(user=user)
    _log_payees(request, waiting, "payments:one_time_queue")
    threshold = (
        one_time_policy_for(user.delivery_partner_id).approval_threshold_cents
        if user.delivery_partner_id
        else None
    )
    may_approve_above = user.has_capability(Capability.PAYMENT_RUN_APPROVE)
    rows = []
    for payment in waiting:
        prefix = f"decide-{payment.pk}"
        form = bound if bound is not None and bound.prefix == prefix else None
        rows.append(
            {
                "payment": payment,
                "own": payment.requested_by_id == user.pk,
                "above": threshold is not None
                and payment.amount_cents > threshold
                and not may_approve_above,
                "form": form or OneTimeDecisionForm(prefix=prefix),
            }
        )
    return render(
        request,
        "payments/one_time_queue.html",
        {
            "rows": rows,
            "threshold_cents": threshold,
            "submitted_forms": [bound] if bound is not None else [],
        },
        status=status,
    )


@staff_view
def one_time_queue(request: StaffRequest) -> HttpResponse:
    """The partner's one-time payment requests waiting for a decision."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    return _queue_page(request)


@staff_view
@require_POST
@idempotent_form
def one_time_decide(request: StaffRequest, payment_id: int) -> HttpResponseBase:
    """A second person approves or refuses a request (never the requester; above the partner's
    threshold a supervisor or finance approver). The client's notice is made with the decision."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    payment = one_time_payment_get_for_user(user=request.user, payment_id=payment_id)
    require_second_factor(request)
    form = OneTimeDecisionForm(request.POST, prefix=f"decide-{payment.pk}")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            one_time_payment_decide(
                acting_user=request.user,
                payment=payment,
                approve=approve,
                refusal_reason=form.cleaned_data["refusal_reason"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"decided_by": "decision", "status": "decision"})
        else:
            messages.success(
                request,
                _(
                    "Approved; it is issued in the next between-run batch. The notice is on "
                    "the case in English and French."
                )
                if approve
                else _("Refused; the notice is on the case in English and French."),
            )
            return redirect("payments:one_time_queue")
    return _queue_page(request, bound=form)


@staff_view
@idempotent_form
def one_time_batches(request: StaffRequest) -> HttpResponseBase:
    """Finance: the approved payments waiting, the "issue them now" button, and the batches
    issued between runs."""
    user: Any = request.user
    approved = one_time_payments_approved_for_user(user=user)
    if request.method == "POST":
        require_capability(user, Capability.PAYMENT_RUN_APPROVE)
        require_second_factor(request)
        try:
            # The form's idempotency key is also the batch's: a replay returns the same batch.
            batch = one_time_batch_issue(
                acting_user=user,
                idempotency_key=one_time_batch_key(
                    user_id=user.pk, key=request.POST.get(FORM_FIELD, "")
                ),
            )
        except ApplicationError as exc:
            message_application_error(request, exc)
            return redirect("payments:one_time_batches")
        messages.success(
            request,
            _("The between-run payments are issued. Build nothing else: the bank file is below."),
        )
        return redirect("payments:one_time_batch", batch_id=batch.pk)
    _log_payees(request, approved, "payments:one_time_batches")
    return render(
        request,
        "payments/one_time_batches.html",
        {
            "approved": approved,
            "approved_total_cents": sum(p.amount_cents for p in approved),
            "batches": list(one_time_batches_for_user(user=user)[:50]),
            "can_issue": user.has_capability(Capability.PAYMENT_RUN_APPROVE),
        },
    )


@staff_view
def one_time_batch(request: StaffRequest, batch_id: int) -> HttpResponse:
    """One batch: its bank file (number, count, total), its payments with their letters, its
    cheques and its reconciliation."""
    user: Any = request.user
    batch = one_time_batch_get_for_user(user=user, batch_id=batch_id)
    payments = list(batch.payments.select_related("benefit_unit", "member").order_by("id"))
    _log_payees(request, payments, "payments:one_time_batch")
    return render(
        request,
        "payments/one_time_batch.html",
        {
            "batch": batch,
            "payments": payments,
            "deposit_total_cents": sum(
                p.amount_cents for p in payments if p.method == PaymentMethod.EFT
            ),
            "cheques": [p for p in payments if p.method == PaymentMethod.CHEQUE],
            "table": one_time_reconciliation_table(batch),
            "can_download": user.has_capability(Capability.PAYMENT_RUN_APPROVE),
        },
    )


@staff_view
def one_time_batch_cpa005(request: StaffRequest, batch_id: int) -> HttpResponse:
    """The batch's CPA-005 file, built again byte for byte with its own file creation number
    (nothing new is numbered: a GET)."""
    require_capability(request.user, Capability.PAYMENT_RUN_APPROVE)
    batch = one_time_batch_get_for_user(user=request.user, batch_id=batch_id)
    try:
        data = one_time_batch_file(batch)
    except ApplicationError as exc:  # e.g. a batch of cheques only
        message_application_error(request, exc)
        return redirect("payments:one_time_batch", batch_id=batch.pk)
    one_time_batch_download_record(
        acting_user=request.user, batch=batch, kind="cpa005_one_time", size=len(data)
    )
    number = batch.payment_file.file_creation_number if batch.payment_file else 0
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="cpa005-{batch.delivery_partner.code}-one-time-'
        f'{batch.pk}-{number:04d}.txt"'
    )
    return response


@staff_view
def one_time_batch_cheques(request: StaffRequest, batch_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYMENT_RUN_APPROVE)
    batch = one_time_batch_get_for_user(user=request.user, batch_id=batch_id)
    text = one_time_cheque_list_csv(batch)
    one_time_batch_download_record(
        acting_user=request.user, batch=batch, kind="one_time_cheques", size=len(text)
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cheques-{batch.delivery_partner.code}-one-time-{batch.pk}.csv"'
    )
    return response
