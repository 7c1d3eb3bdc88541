"""Health benefit authorization pages (issue 16): the case's authorizations and the request
form, one authorization with its decision (a second person, with a second factor), the vendor's
invoices and the letters. Thin: the forms check the input, the services the rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.second_factor import require_second_factor
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user, benefit_unit_members
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from ..constants import HealthAuthorizationStatus
from ..forms_authorizations import (
    HealthAuthorizationDecisionForm,
    HealthAuthorizationRequestForm,
    HealthCancelForm,
    HealthInvoiceForm,
)
from ..letters_authorizations import health_authorization_letters_generate
from ..models.authorizations import INVOICEABLE_STATUSES
from ..selectors_authorizations import (
    health_authorization_get_for_user,
    health_authorizations_for_user,
)
from ..services.authorization_invoices import (
    health_authorization_invoice_record,
)
from ..services.authorizations import (
    health_authorization_cancel,
    health_authorization_decide,
    health_authorization_request,
)


def _errors_to_form(form: Any, exc: ApplicationError, field_map: dict[str, str]) -> None:
    """Every refusal beside its field (a list of them at once, or one)."""
    for error in getattr(exc, "errors", [exc]):
        add_application_error(form, error, field_map)


def _case(
    request: StaffRequest, benefit_unit_id: int, view_name: str
) -> tuple[BenefitUnit, list[Any]]:
    require_capability(request.user, Capability.PAYMENT_VIEW)
    unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    members = benefit_unit_members(benefit_unit=unit)
    applicant = next((m for m in members if m.role == MemberRole.APPLICANT), None)
    if applicant is not None:
        client_file_access_record(
            user=request.user, person=applicant.person, view_name=view_name, benefit_unit_id=unit.pk
        )
    return unit, [m for m in members if m.end_on is None]


REQUEST_FIELDS = {
    "member_id": "member",
    "limit_cents": "limit",
    "device_price_cents": "device_price",
    "holder_name": "vendor_name",
}


@staff_view
@idempotent_form
def health_authorizations(request: StaffRequest, benefit_unit_id: int) -> HttpResponse:
    """The case's authorizations and the form to ask for one."""
    unit, members = _case(request, benefit_unit_id, "payments:health_authorizations")
    user: Any = request.user
    if request.method == "POST":
        require_capability(user, Capability.PAYMENT_MANAGE)
        form = HealthAuthorizationRequestForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                auth = health_authorization_request(
                    acting_user=user,
                    benefit_unit=unit,
                    member_id=data["member"],
                    kind=data["kind"],
                    vendor_name=data["vendor_name"],
                    vendor_address=data["vendor_address"],
                    vendor_number=data["vendor_number"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                    method=data["method"],
                    limit_cents=data["limit"],
                    device_price_cents=data["device_price"],
                    prescription_seen=data["prescription_seen"],
                    vendor_bank={
                        "institution": data["institution"],
                        "transit": data["transit"],
                        "account": data["account"],
                    },
                )
            except ApplicationError as exc:
                _errors_to_form(form, exc, REQUEST_FIELDS)
            else:
                messages.success(
                    request, _("The authorization is requested: another person must approve it.")
                )
                return redirect("payments:health_authorization", unit.pk, auth.pk)
    else:
        today = timezone.localdate()
        form = HealthAuthorizationRequestForm(
            members=members, initial={"starts_on": today, "method": "cheque"}
        )
    return render(
        request,
        "payments/health_authorizations.html",
        {
            "case": unit,
            "rows": health_authorizations_for_user(user=user, benefit_unit=unit),
            "form": form,
            "submitted_forms": [form] if form.is_bound else [],
            "can_manage": user.has_capability(Capability.PAYMENT_MANAGE),
        },
    )


def _detail(
    request: StaffRequest,
    unit: BenefitUnit,
    authorization_id: int,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    found = health_authorization_get_for_user(
        user=user, benefit_unit=unit, authorization_id=authorization_id
    )
    auth = found["authorization"]
    forms = forms or {}
    can_manage = user.has_capability(Capability.PAYMENT_MANAGE)
    context = {
        "case": unit,
        **found,
        "can_decide": can_manage
        and auth.status == HealthAuthorizationStatus.REQUESTED
        and auth.requested_by_id != user.pk,
        "own_request": auth.requested_by_id == user.pk,
        "can_invoice": can_manage
        and auth.status in INVOICEABLE_STATUSES
        and found["status"] != HealthAuthorizationStatus.EXPIRED
        and found["remaining_cents"] > 0,
        "can_cancel": can_manage
        and auth.status
        in (
            HealthAuthorizationStatus.REQUESTED,
            HealthAuthorizationStatus.APPROVED,
            HealthAuthorizationStatus.PAID,
        ),
        "is_transport": auth.kind == "medical_transportation",
        "decision_form": forms.get("decision")
        or HealthAuthorizationDecisionForm(prefix="decision"),
        "invoice_form": forms.get("invoice")
        or HealthInvoiceForm(prefix="invoice", initial={"service_on": timezone.localdate()}),
        "cancel_form": forms.get("cancel") or HealthCancelForm(prefix="cancel"),
        "submitted_forms": list(forms.values()),
    }
    return render(request, "payments/health_authorization.html", context, status=status)


@staff_view
def health_authorization(
    request: StaffRequest, benefit_unit_id: int, authorization_id: int
) -> HttpResponse:
    unit, _members = _case(request, benefit_unit_id, "payments:health_authorization")
    return _detail(request, unit, authorization_id)


def _detail_url(unit: BenefitUnit, authorization_id: int) -> str:
    return reverse("payments:health_authorization", args=[unit.pk, authorization_id])


@staff_view
@require_POST
@idempotent_form
def health_authorization_decide_view(
    request: StaffRequest, benefit_unit_id: int, authorization_id: int
) -> HttpResponseBase:
    """Approve or refuse: money, so the second factor is required, as for a run's approval.
    The letter (English and French) is stored on the case with the decision."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    require_second_factor(request)
    unit, _members = _case(request, benefit_unit_id, "payments:health_authorization")
    found = health_authorization_get_for_user(
        user=request.user, benefit_unit=unit, authorization_id=authorization_id
    )
    form = HealthAuthorizationDecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        try:
            auth = health_authorization_decide(
                acting_user=request.user,
                authorization=found["authorization"],
                approve=form.cleaned_data["decision"] == "approve",
                refusal_reason=form.cleaned_data["refusal_reason"],
            )
            health_authorization_letters_generate(acting_user=request.user, authorization=auth)
        except ApplicationError as exc:
            _errors_to_form(form, exc, {"decided_by": "decision", "status": "decision"})
        else:
            messages.success(
                request,
                _("The authorization is approved; its letter is on the case.")
                if auth.status == HealthAuthorizationStatus.APPROVED
                else _("The authorization is refused; the notice is on the case."),
            )
            return redirect(_detail_url(unit, authorization_id))
    return _detail(request, unit, authorization_id, {"decision": form})


@staff_view
@require_POST
@idempotent_form
def health_authorization_invoice(
    request: StaffRequest, benefit_unit_id: int, authorization_id: int
) -> HttpResponseBase:
    """Record the vendor's invoice: the payment to the vendor waits for the next between-run
    batch."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    unit, _members = _case(request, benefit_unit_id, "payments:health_authorization")
    found = health_authorization_get_for_user(
        user=request.user, benefit_unit=unit, authorization_id=authorization_id
    )
    form = HealthInvoiceForm(request.POST, prefix="invoice")
    if form.is_valid():
        data = form.cleaned_data
        try:
            health_authorization_invoice_record(
                acting_user=request.user,
                authorization=found["authorization"],
                invoice_number=data["invoice_number"],
                service_on=data["service_on"],
                amount_cents=data["amount"],
                kilometres=data["kilometres"],
                other_costs_cents=data["other_costs"],
            )
        except ApplicationError as exc:
            _errors_to_form(form, exc, {"amount_cents": "amount", "status": "invoice_number"})
        else:
            messages.success(
                request,
                _("The invoice is recorded; the vendor is paid in the next between-run batch."),
            )
            return redirect(_detail_url(unit, authorization_id))
    return _detail(request, unit, authorization_id, {"invoice": form})


@staff_view
@require_POST
@idempotent_form
def health_authorization_cancel_view(
    request: StaffRequest, benefit_unit_id: int, authorization_id: int
) -> HttpResponseBase:
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    unit, _members = _case(request, benefit_unit_id, "payments:health_authorization")
    found = health_authorization_get_for_user(
        user=request.user, benefit_unit=unit, authorization_id=authorization_id
    )
    form = HealthCancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            health_authorization_cancel(
                acting_user=request.user,
                authorization=found["authorization"],
                reason=form.cleaned_data["cancel_reason"],
            )
        except ApplicationError as exc:
            _errors_to_form(form, exc, {"status": "cancel_reason"})
        else:
            messages.success(request, _("The authorization is cancelled."))
            return redirect(_detail_url(unit, authorization_id))
    return _detail(request, unit, authorization_id, {"cancel": form})
