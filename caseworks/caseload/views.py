"""Caseload pages: my caseload, the supervisor's overview, reassignment and transfers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import staff_view
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_transfer
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .forms import ReassignForm, TransferForm
from .selectors import (
    CASELOAD_FILTERS,
    caseload_get_for_user,
    caseload_summary_for_supervisor,
    today_appointments_for_user,
    today_tasks_for_user,
    transfer_history_get_for_sender,
    transfer_list_for_user,
    unassigned_cases_for_supervisor,
    workers_for_reassignment,
)
from .services import caseload_reassign

_PLACEHOLDER = 987654321


def _caseload_page(request: HttpRequest, worker_id: int | None) -> HttpResponse:
    user: Any = request.user
    case_filter = request.GET.get("filter", "")
    caseload = caseload_get_for_user(user=user, worker_id=worker_id, case_filter=case_filter)
    own = caseload.worker.pk == user.pk
    # Reverse each URL once, not once per row (150 rows × 3 links).
    urls = {
        name: reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")
        for name in ("cases:detail", "plans:case_plans", "employment:case_employment")
    }
    for case in caseload.cases:
        case.urls = {  # type: ignore[attr-defined]
            key.split(":")[1]: url.format(case.pk) for key, url in urls.items()
        }
    reassign_form = None
    if user.has_capability(Capability.CASE_REASSIGN) and caseload.cases:
        reassign_form = ReassignForm(
            case_choices=[(c.pk, c.case_number) for c in caseload.cases],
            workers=workers_for_reassignment(user=user),
        )
    context = {
        "caseload": caseload,
        "own": own,
        "filters": [
            (name, label, caseload.counts[name]) for name, label in CASELOAD_FILTERS.items()
        ],
        "tasks": today_tasks_for_user(user=user) if own else None,
        "appointments": today_appointments_for_user(user=user) if own else None,
        "reassign_form": reassign_form,
        "today": timezone.localdate(),
    }
    return render(request, "caseload/caseload.html", context)


@staff_view
def mine(request: HttpRequest) -> HttpResponse:
    return _caseload_page(request, None)


@staff_view
def worker(request: HttpRequest, worker_id: int) -> HttpResponse:
    return _caseload_page(request, worker_id)


@staff_view
def supervisor(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    workers = caseload_summary_for_supervisor(user=user)
    unassigned = unassigned_cases_for_supervisor(user=user)
    reassign_form = None
    if unassigned and user.has_capability(Capability.CASE_REASSIGN):
        reassign_form = ReassignForm(
            case_choices=[(c.pk, c.case_number) for c in unassigned],
            workers=workers_for_reassignment(user=user),
        )
    return render(
        request,
        "caseload/supervisor.html",
        {"workers": workers, "unassigned": unassigned, "reassign_form": reassign_form},
    )


@staff_view
@require_POST
def reassign(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    require_capability(user, Capability.CASE_REASSIGN)
    workers = workers_for_reassignment(user=user)
    raw_ids = [int(v) for v in request.POST.getlist("cases") if v.isdigit()]
    form = ReassignForm(request.POST, case_choices=[(i, str(i)) for i in raw_ids], workers=workers)
    back = request.POST.get("back", "")
    back_url = back if back.startswith("/caseload/") else reverse("caseload:supervisor")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back_url)
    target = next(w for w in workers if w.pk == form.cleaned_data["caseworker"])
    try:
        moved = caseload_reassign(
            acting_user=user, benefit_unit_ids=form.cleaned_data["cases"], caseworker=target
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)d case(s) reassigned to %(name)s.")
            % {"n": len(moved), "name": target.get_full_name() or target.username},
        )
    return redirect(back_url)


@staff_view
def transfer(request: HttpRequest, benefit_unit_id: int) -> HttpResponseBase:
    """Transfer a case to another office or delivery partner when the client moves."""
    user: Any = request.user
    require_capability(user, Capability.CASE_TRANSFER)
    benefit_unit = benefit_unit_get_for_user(user=user, benefit_unit_id=benefit_unit_id)
    form = TransferForm(
        request.POST or None,
        initial={"expected_version": benefit_unit.version, "kind": "client_moved"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                done = case_transfer(
                    acting_user=user,
                    benefit_unit=benefit_unit,
                    to_partner=form.cleaned_data["to_partner"],
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    to_office=form.cleaned_data["to_office"],
                    expected_version=form.cleaned_data["expected_version"],
                )
        except ApplicationError as exc:
            add_application_error(form, exc, {"version": "reason"})
        else:
            messages.success(
                request,
                _("Case %(number)s is transferred to %(partner)s.")
                % {"number": benefit_unit.case_number, "partner": done.to_partner.name},
            )
            if done.to_partner_id == user.delivery_partner_id:
                return redirect("cases:detail", benefit_unit_id=benefit_unit.pk)
            return redirect("caseload:transfer_history", transfer_id=done.pk)
    return render(request, "caseload/transfer.html", {"case": benefit_unit, "form": form})


@staff_view
def transfers(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "caseload/transfers.html",
        {"transfers": transfer_list_for_user(user=user), "partner_id": user.delivery_partner_id},
    )


@staff_view
def transfer_history(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The sending partner's read-only view of its own history of a transferred case."""
    history = transfer_history_get_for_sender(user=request.user, transfer_id=transfer_id)
    if history.applicant is not None:
        client_file_access_record(
            user=request.user,
            person=history.applicant,
            view_name="caseload:transfer_history",
            benefit_unit_id=history.transfer.benefit_unit_id,
        )
    return render(request, "caseload/transfer_history.html", {"history": history})
