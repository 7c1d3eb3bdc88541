"""Payment runs: list, detail, dry run, approval, release, approvers, files and cheques."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.models import User
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.idempotency import idempotent_form

from ..constants import LineKind, PaymentMethod, RunStatus
from ..controls import (
    approve_refusal,
    approvers_description,
    partner_pool,
    payment_approver_set,
    require_approver,
    run_open_items,
)
from ..forms import (
    ApproveRunForm,
    PayeeFilterForm,
    PrepareRunForm,
)
from ..run_states import run_may_move
from ..selectors import (
    payment_run_get_for_user,
    payment_run_lines,
    payment_run_office_summary,
    payment_run_payees,
    payment_run_queryset_for_user,
)
from ..services import (
    cheque_list_csv,
    payment_file_build,
    payment_file_download_record,
    run_payees_access_record,
)
from ..services.runs import payment_run_approve
from ..tasks import payment_run_prepare_queue, payment_run_redo_queue, payment_run_release_queue
from .errors import message_application_error

# --- Payment runs ---------------------------------------------------------------------------


@staff_view
@idempotent_form(own_transaction=True)  # durable queue services
def run_list(request: StaffRequest) -> HttpResponse:
    user: Any = request.user
    runs_queryset = payment_run_queryset_for_user(user=user)
    status = request.GET.get("status", "")
    if status in RunStatus.values:  # the home page's counters link to the runs that wait
        runs_queryset = runs_queryset.filter(status=status)
    runs = list(runs_queryset[:48])
    form = PrepareRunForm(
        request.POST or None, initial={"benefit_month": timezone.localdate().replace(day=1)}
    )
    if request.method == "POST":
        require_capability(user, Capability.PAYMENT_RUN_PREPARE)
        if form.is_valid():
            try:
                run = payment_run_prepare_queue(
                    acting_user=user,
                    delivery_partner=user.delivery_partner,
                    benefit_month=form.cleaned_data["benefit_month"],
                )
                messages.success(
                    request,
                    _(
                        "The dry run is queued; this page shows its "
                        "figures when the worker has finished."
                    ),
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                return redirect("payments:run_detail", run_id=run.pk)
    return render(
        request,
        "payments/run_list.html",
        {
            "runs": runs,
            "form": form,
            "submitted_forms": [form],
            "can_prepare": user.has_capability(Capability.PAYMENT_RUN_PREPARE),
            "can_decide": user.has_capability(Capability.PAYMENT_MANAGE),
        },
    )


PAYEES_PER_PAGE = 50


def _run_detail_context(request: StaffRequest, run: Any) -> dict[str, Any]:
    """Run controls (issue 12): payees (paginated, filtered), per-office summary, the cases to
    acknowledge, who may approve and why the current user may not."""
    user: Any = request.user
    summary = payment_run_office_summary(run=run)
    offices = [
        (row["benefit_unit__office_id"], row["benefit_unit__office__name"])
        for row in summary
        if row["benefit_unit__office_id"]
    ]
    payee_filter = PayeeFilterForm(request.GET or None, offices=offices)
    filters = payee_filter.cleaned_data if payee_filter.is_valid() else {}
    payees = Paginator(
        payment_run_payees(
            run=run,
            office_id=filters.get("office"),
            method=filters.get("method") or "",
            query=filters.get("q") or "",
        ),
        PAYEES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    items = run_open_items(run)
    refusal = approve_refusal(user, run)
    may_act = False
    try:
        require_approver(user, run)
        may_act = True
    except PermissionDeniedError:
        pass
    return {
        "payees": payees,
        "payee_filter": payee_filter,
        "payee_query": query.urlencode(),
        "office_summary": summary,
        "open_items": items,
        "approve_form": ApproveRunForm(items=items),
        "approve_refusal": refusal,
        "approvers": approvers_description(run),
        "can_approve": refusal is None,
        "can_release": may_act and run_may_move(run.status, RunStatus.RELEASING),
        "can_download": user.has_capability(Capability.PAYMENT_RUN_APPROVE)
        and run.status == RunStatus.RELEASED,
        "can_redo": user.has_capability(Capability.PAYMENT_RUN_PREPARE)
        and run_may_move(run.status, RunStatus.DRAFT),
    }


@staff_view
def run_detail(request: StaffRequest, run_id: int) -> HttpResponse:
    user: Any = request.user
    run = payment_run_get_for_user(user=user, run_id=run_id)
    return render(
        request,
        "payments/run_detail.html",
        {
            "run": run,
            "errors": payment_run_lines(run=run, kind=LineKind.ERROR),
            "exceptions": payment_run_lines(run=run, exceptions=True),
            **_run_detail_context(request, run),
        },
    )


@staff_view
@require_POST
@idempotent_form(own_transaction=True)  # durable queue services
def run_dry_run(request: StaffRequest, run_id: int) -> HttpResponseBase:
    run = payment_run_get_for_user(user=request.user, run_id=run_id)
    require_capability(request.user, Capability.PAYMENT_RUN_PREPARE)
    try:
        payment_run_redo_queue(acting_user=request.user, run=run)
        messages.success(request, _("The dry run is queued."))
    except ApplicationError as exc:
        message_application_error(request, exc)
    return redirect("payments:run_detail", run_id=run.pk)


@staff_view
@require_POST
@idempotent_form(own_transaction=True)  # durable queue services
def run_approve(request: StaffRequest, run_id: int) -> HttpResponseBase:
    run = payment_run_get_for_user(user=request.user, run_id=run_id)
    form = ApproveRunForm(request.POST, items=run_open_items(run))
    form.is_valid()
    try:
        payment_run_approve(
            acting_user=request.user,
            run=run,
            acknowledged=form.cleaned_data.get("acknowledged") or [],
            reviewed=bool(form.cleaned_data.get("reviewed")),
        )
    except ApplicationError as exc:
        # a refusal is a 403: the run page explains who may approve and why this user may not
        message_application_error(request, exc)
    else:
        messages.success(request, _("The run is approved. Release it to issue the payments."))
    return redirect("payments:run_detail", run_id=run.pk)


@staff_view
@require_POST
@idempotent_form(own_transaction=True)  # durable queue services
def run_release(request: StaffRequest, run_id: int) -> HttpResponseBase:
    run = payment_run_get_for_user(user=request.user, run_id=run_id)
    try:
        payment_run_release_queue(acting_user=request.user, run=run)
        messages.success(
            request,
            _(
                "The release is queued; payments are issued in chunks "
                "and the release resumes by itself if interrupted."
            ),
        )
    except ApplicationError as exc:
        message_application_error(request, exc)
    return redirect("payments:run_detail", run_id=run.pk)


@staff_view
def run_approvers(request: StaffRequest) -> HttpResponseBase:
    """The partner administrator names the people who approve and release payment runs."""

    user: Any = request.user
    require_capability(user, Capability.STAFF_MANAGE)
    partner = user.delivery_partner
    if request.method == "POST":
        staff = User.objects.filter(
            delivery_partner_id=user.delivery_partner_id, pk=request.POST.get("user") or 0
        ).first()
        if staff is None:
            messages.error(request, _("Choose a member of your staff."))
        else:
            try:
                payment_approver_set(
                    acting_user=user,
                    delivery_partner=partner,
                    user=staff,
                    active=request.POST.get("active") == "1",
                )
            except ApplicationError as exc:
                message_application_error(request, exc)
            else:
                messages.success(request, _("The approvers are saved."))
        return redirect("payments:run_approvers")
    pool = partner_pool(user.delivery_partner_id)
    pool_ids = {u.pk for u in pool}
    candidates = [
        u
        for u in User.objects.filter(
            delivery_partner_id=user.delivery_partner_id, is_active=True
        ).order_by("last_name", "first_name")
        if u.pk not in pool_ids and u.has_capability(Capability.PAYMENT_VIEW)
    ]
    return render(request, "payments/run_approvers.html", {"pool": pool, "candidates": candidates})


@staff_view
@require_POST
def run_file(request: StaffRequest, run_id: int) -> HttpResponse:
    """Build the CPA-005 direct deposit file of a released run (bank details: approvers only).
    Each build takes a new file creation number and is recorded, so it is a POST."""
    require_capability(request.user, Capability.PAYMENT_RUN_APPROVE)
    run = payment_run_get_for_user(user=request.user, run_id=run_id)
    try:
        data, built = payment_file_build(acting_user=request.user, run=run)
    except ApplicationError as exc:  # e.g. the run is not released yet
        message_application_error(request, exc)
        return redirect("payments:run_detail", run_id=run.pk)
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="cpa005-{run.delivery_partner.code}-{run.benefit_month:%Y-%m}'
        f'-{built.file_creation_number:04d}.txt"'
    )
    return response


@staff_view
def run_cheques(request: StaffRequest, run_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYMENT_RUN_APPROVE)
    run = payment_run_get_for_user(user=request.user, run_id=run_id)
    try:
        text = cheque_list_csv(run=run)
    except ApplicationError as exc:  # e.g. the run is not released yet
        messages.error(request, exc.message)
        return redirect("payments:run_detail", run_id=run.pk)
    payment_file_download_record(acting_user=request.user, run=run, kind="cheques", size=len(text))
    run_payees_access_record(
        acting_user=request.user,
        run=run,
        method=PaymentMethod.CHEQUE,
        view_name="payments:run_cheques",
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cheques-{run.delivery_partner.code}-{run.benefit_month:%Y-%m}.csv"'
    )
    return response
