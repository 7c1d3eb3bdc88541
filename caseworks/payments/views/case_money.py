"""The money page of a case and its forms: income, circumstances, recalculation, bank
account, actions, overpayments and ledger entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.calculation.explanations import explanation_lines
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user, benefit_unit_members
from caseworks.cases.services import case_version_conflict
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from ..bank_details import (
    bank_detail_change_approve,
    bank_detail_change_refuse,
    bank_detail_change_request,
    pending_bank_changes,
)
from ..circumstances import member_circumstances_change_record
from ..constants import Residence
from ..forms import (
    BankChangeDecisionForm,
    BankDetailChangeForm,
    CircumstancesForm,
    IncomeReportForm,
    LedgerEntryForm,
    MemberChangeForm,
    OverpaymentForm,
    PaymentActionForm,
    RecalculationForm,
)
from ..models import BankDetailChange, Payment
from ..selectors import (
    case_money_for_user,
    income_report_month_due,
    one_time_payments_of_case,
)
from ..services import (
    circumstances_change_record,
    income_report_record,
    ledger_entry_record,
    overpayment_record,
    payment_action_record,
)
from ..services.recalculation import recalculation_apply, recalculation_preview
from .errors import message_application_error


def _money_url(benefit_unit: BenefitUnit, anchor: str = "") -> str:
    url = reverse("payments:case_money", args=[benefit_unit.pk])
    return f"{url}#{anchor}" if anchor else url


def _log_view(request: StaffRequest, benefit_unit: BenefitUnit, view_name: str) -> list[Any]:
    members = benefit_unit_members(benefit_unit=benefit_unit)
    applicant = next((m for m in members if m.role == MemberRole.APPLICANT), None)
    if applicant is not None:
        client_file_access_record(
            user=request.user,
            person=applicant.person,
            view_name=view_name,
            benefit_unit_id=benefit_unit.pk,
        )
    return members


def _case_money_page(
    request: StaffRequest,
    benefit_unit: BenefitUnit,
    forms: dict[str, Any] | None = None,
    preview: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    members = _log_view(request, benefit_unit, "payments:case_money")
    money = case_money_for_user(user=user, benefit_unit=benefit_unit)
    current = [m for m in members if m.end_on is None]
    forms = forms or {}
    version = {"expected_version": benefit_unit.version}
    context = {
        "case": benefit_unit,
        "money": money,
        "current_members": current,
        "circumstances_form": forms.get("circumstances")
        or CircumstancesForm(
            initial={
                **version,
                "effective_month": timezone.localdate(),
                **CircumstancesForm.initial_from(money.circumstances_in_force),
            }
        ),
        "recalc_form": forms.get("recalc")
        or RecalculationForm(
            prefix="recalc", initial={**version, "from_month": _first_paid(money)}
        ),
        "member_form": forms.get("member")
        or MemberChangeForm(
            prefix="member",
            members=current,
            initial={**version, "effective_month": timezone.localdate()},
        ),
        "bank_form": forms.get("bank")
        or BankDetailChangeForm(prefix="bank", documents=money.documents),
        "bank_changes": pending_bank_changes(benefit_unit=benefit_unit),
        "one_time_payments": one_time_payments_of_case(user=user, benefit_unit=benefit_unit),
        "bank_decision_form": BankChangeDecisionForm(prefix="bankdecision"),
        "action_form": forms.get("action") or PaymentActionForm(prefix="action", initial=version),
        "overpayment_form": forms.get("overpayment")
        or OverpaymentForm(prefix="over", payments=money.payments),
        "ledger_form": forms.get("ledger") or LedgerEntryForm(prefix="ledger"),
        "can_overpay": user.has_capability(Capability.OVERPAYMENT_MANAGE),
        "submitted_forms": list(forms.values()),
        "preview": preview,
        "can_edit": user.has_capability(Capability.CASE_EDIT),
        "can_manage": user.has_capability(Capability.PAYMENT_MANAGE),
        "can_report": user.has_capability(Capability.INCOME_REPORT_RECORD),
    }
    return render(request, "payments/case_money.html", context, status=status)


@staff_view
def case_money(request: StaffRequest, benefit_unit_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYMENT_VIEW)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    return _case_money_page(request, benefit_unit)


def _first_paid(money: Any) -> str:
    months = [p.benefit_month for p in money.payments]
    return min(months).strftime("%Y-%m") if months else ""


def _paid_from(benefit_unit: BenefitUnit, month: dt.date) -> bool:
    return Payment.objects.filter(benefit_unit=benefit_unit, benefit_month__gte=month).exists()


def _preview_or_apply(
    request: StaffRequest,
    *,
    benefit_unit: BenefitUnit,
    from_month: dt.date,
    edit: Any,
    expected_version: int,
) -> tuple[list[Any] | None, bool]:
    """(preview rows, applied). An edit that reaches a month already paid is shown first as
    a preview; it is applied only when the caseworker confirms (the `confirm` button)."""
    if not _paid_from(benefit_unit, from_month):
        edit()
        return None, True
    if request.POST.get("confirm") == "1":
        recalculation_apply(
            acting_user=request.user,
            benefit_unit=benefit_unit,
            from_month=from_month,
            edit=edit,
            expected_version=expected_version,
        )
        return None, True
    rows = recalculation_preview(
        acting_user=request.user, benefit_unit=benefit_unit, from_month=from_month, edit=edit
    )
    return [r.as_dict() | {"month": r.benefit_month} for r in rows], False


def _dated_change(
    request: StaffRequest,
    benefit_unit: BenefitUnit,
    *,
    form: Any,
    key: str,
    from_month: dt.date,
    expected_version: int,
    edit: Any,
    done: str,
    anchor: str,
    url_name: str,
    fields: dict[str, str] | None = None,
) -> HttpResponseBase:
    """A change that may reach paid months: refused if the form is stale, shown month by month
    when it reaches a paid month, saved (and only the differences booked) on confirmation.

    `edit(version)` records the change; it is given the version to check, or None when the
    recalculation that wraps it (a paid month is reached) checks and locks the case itself."""
    version = None if _paid_from(benefit_unit, from_month) else expected_version
    try:
        if expected_version != benefit_unit.version:
            raise case_version_conflict()
        rows, applied = _preview_or_apply(
            request,
            benefit_unit=benefit_unit,
            from_month=from_month,
            edit=lambda: edit(version),
            expected_version=expected_version,
        )
    except ApplicationError as exc:
        add_application_error(form, exc, fields or {})
        return _case_money_page(request, benefit_unit, {key: form})
    if applied:
        messages.success(request, done)
        return redirect(_money_url(benefit_unit, anchor))
    action = reverse(url_name, args=[benefit_unit.pk])
    return _case_money_page(
        request, benefit_unit, {key: form}, preview={"rows": rows, "form": form, "action": action}
    )


@staff_view
@require_POST
@idempotent_form
def circumstances(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    """The case's housing, address and assets from a month (a complete new version)."""
    require_capability(request.user, Capability.CASE_EDIT)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = CircumstancesForm(request.POST)
    if not form.is_valid():
        return _case_money_page(request, benefit_unit, {"circumstances": form})
    data = form.cleaned_data

    def edit(version: int | None) -> Any:
        return circumstances_change_record(
            acting_user=request.user,
            benefit_unit=benefit_unit,
            effective_month=data["effective_month"],
            shelter_type=data["shelter_type"],
            shelter_cost_cents=data["shelter_cost"] or 0,
            heat_cents=data["heat"] or 0,
            utilities_cents=data["utilities"] or 0,
            address_line=data["address_line"],
            city=data["city"],
            postal_code=data["postal_code"],
            remote_community=data["remote_community"],
            residence=data["residence"] or Residence.COMMUNITY,
            assets=data["assets"],
            reason=data["reason"],
            expected_version=version,
        )

    return _dated_change(
        request,
        benefit_unit,
        form=form,
        key="circumstances",
        from_month=data["effective_month"],
        expected_version=data["expected_version"],
        edit=edit,
        done=_("The change of circumstances is recorded."),
        anchor="circumstances",
        url_name="payments:circumstances",
        fields={"shelter_cost": "shelter_cost"},
    )


@staff_view
@require_POST
@idempotent_form
def recalculate(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    """After a change recorded elsewhere reached paid months (a member who joined or left on a
    past date): the months from a month, old and new, then only the differences booked."""
    require_capability(request.user, Capability.DETERMINATION_RUN)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = RecalculationForm(request.POST, prefix="recalc")
    if not form.is_valid():
        return _case_money_page(request, benefit_unit, {"recalc": form})
    return _dated_change(
        request,
        benefit_unit,
        form=form,
        key="recalc",
        from_month=form.cleaned_data["from_month"],
        expected_version=form.cleaned_data["expected_version"],
        edit=lambda _version: None,
        done=_("The paid months are checked; differences booked."),
        anchor="ledger",
        url_name="payments:recalculate",
        fields={"benefit_month": "from_month"},
    )


@staff_view
@require_POST
@idempotent_form
def member_circumstances(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    """A member's circumstances from a month: student, pregnancy, special diet, child care."""
    require_capability(request.user, Capability.CASE_EDIT)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    members = [m for m in benefit_unit.members.select_related("person") if m.end_on is None]
    form = MemberChangeForm(request.POST, prefix="member", members=members)
    if not form.is_valid():
        return _case_money_page(request, benefit_unit, {"member": form})
    data = form.cleaned_data
    person = next(m.person for m in members if m.person_id == data["person"])

    def edit(version: int | None) -> Any:
        return member_circumstances_change_record(
            acting_user=request.user,
            benefit_unit=benefit_unit,
            person=person,
            effective_month=data["effective_month"],
            full_time_student=data["full_time_student"],
            pregnant_or_breastfeeding=data["pregnant_or_breastfeeding"],
            special_diet_cents=data["special_diet"] or 0,
            child_care_costs_cents=data["child_care_costs"] or 0,
            no_child_benefits=data["no_child_benefits"],
            reason=data["reason"],
            expected_version=version,
        )

    return _dated_change(
        request,
        benefit_unit,
        form=form,
        key="member",
        from_month=data["effective_month"],
        expected_version=data["expected_version"],
        edit=edit,
        done=_("The member's circumstances are recorded."),
        anchor="member-circumstances",
        url_name="payments:member_circumstances",
        fields={"special_diet": "special_diet", "child_care_costs": "child_care_costs"},
    )


@staff_view
@idempotent_form
def income_report(request: StaffRequest, benefit_unit_id: int) -> HttpResponse:
    """The monthly income report form (earnings and other income of one member). The month
    offered is the one whose report is due now (income_report_month_due); "Preview the next
    payment" shows what the report makes of the next payment, through the one rules path
    (recalculation_preview), without saving anything."""
    require_capability(request.user, Capability.INCOME_REPORT_RECORD)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    members = [
        m for m in _log_view(request, benefit_unit, "payments:income_report") if m.end_on is None
    ]
    documents = case_money_for_user(user=request.user, benefit_unit=benefit_unit).documents
    kwargs = {"members": members, "documents": documents}
    preview = None
    next_payment = None
    if request.method == "POST":
        form = IncomeReportForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            person = next(m.person for m in members if m.person_id == data["person"])
            proof = next((d for d in documents if d.pk == data["proof"]), None)
            from_month = data["income_month"] + relativedelta(months=1)

            def edit() -> Any:
                return income_report_record(
                    acting_user=request.user,
                    benefit_unit=benefit_unit,
                    person=person,
                    income_month=data["income_month"],
                    amounts_cents=form.amounts(),
                    proof=proof,
                    expected_version=None
                    if _paid_from(benefit_unit, from_month)
                    else data["expected_version"],
                )

            try:
                if data["expected_version"] != benefit_unit.version:
                    raise case_version_conflict()
                if request.POST.get("action") == "preview":
                    next_payment = _next_payment(request, benefit_unit, from_month, edit)
                else:
                    rows, applied = _preview_or_apply(
                        request,
                        benefit_unit=benefit_unit,
                        from_month=from_month,
                        edit=edit,
                        expected_version=data["expected_version"],
                    )
                    if applied:
                        messages.success(request, _("The income report is recorded."))
                        return redirect(_money_url(benefit_unit, "income"))
                    preview = {"rows": rows}
            except ApplicationError as exc:
                add_application_error(form, exc)
    else:
        form = IncomeReportForm(
            initial={
                "expected_version": benefit_unit.version,
                "income_month": income_report_month_due(benefit_unit=benefit_unit, members=members),
            },
            **kwargs,
        )
    return render(
        request,
        "payments/income_report.html",
        {
            "case": benefit_unit,
            "form": form,
            "preview": preview,
            "next_payment": next_payment,
            "submitted_forms": [form],
        },
    )


def _next_payment(
    request: StaffRequest, benefit_unit: BenefitUnit, month: dt.date, edit: Any
) -> dict[str, Any]:
    """The payment of `month` with the report, before and after, and the rules' explanation."""
    rows = recalculation_preview(
        acting_user=request.user,
        benefit_unit=benefit_unit,
        from_month=month,
        edit=edit,
        include_unchanged=True,
    )
    first = rows[0]
    return {
        "month": first.benefit_month,
        "paid": first.paid,
        "old_cents": first.old_payment_cents,
        "new_cents": first.new_payment_cents,
        "result": first.new_result,
        "lines": explanation_lines(first.explanation, get_language() or "en"),
    }


@staff_view
@require_POST
@idempotent_form
def bank_account(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    """A new direct deposit account, with its proof; it waits for a second person."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    documents = case_money_for_user(user=request.user, benefit_unit=benefit_unit).documents
    form = BankDetailChangeForm(request.POST, prefix="bank", documents=documents)
    if form.is_valid():
        data = form.cleaned_data
        try:
            bank_detail_change_request(
                acting_user=request.user,
                benefit_unit=benefit_unit,
                holder_name=data["holder_name"],
                institution=data["institution"],
                transit=data["transit"],
                account=data["account"],
                proof=next((d for d in documents if d.pk == data["proof"]), None),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The new account is recorded as a request; another staff member must "
                    "approve it before any payment goes to it."
                ),
            )
            return redirect(_money_url(benefit_unit, "bank"))
    return _case_money_page(request, benefit_unit, {"bank": form})


@staff_view
@require_POST
@idempotent_form
def bank_change_decide(
    request: StaffRequest, benefit_unit_id: int, change_id: int
) -> HttpResponseBase:
    """A second staff member approves (the client is sent a notice) or refuses a change."""
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    change = get_object_or_404(BankDetailChange, pk=change_id, benefit_unit=benefit_unit)
    form = BankChangeDecisionForm(request.POST, prefix="bankdecision")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                change = bank_detail_change_approve(acting_user=request.user, change=change)
                messages.success(
                    request,
                    _(
                        "The account is approved; the client is sent a notice. The first "
                        "deposit to it is on or after %(date)s; until then payments go by cheque."
                    )
                    % {"date": change.bank_account.deposits_from if change.bank_account else ""},
                )
            else:
                bank_detail_change_refuse(
                    acting_user=request.user, change=change, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The change of bank details is refused."))
        except ApplicationError as exc:
            message_application_error(request, exc)
    else:
        messages.error(request, _("Choose to approve or refuse."))
    return redirect(_money_url(benefit_unit, "bank"))


@staff_view
@require_POST
@idempotent_form
def payment_action(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.PAYMENT_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = PaymentActionForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            payment_action_record(
                acting_user=request.user, benefit_unit=benefit_unit, **form.cleaned_data
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"status": "kind"})
        else:
            messages.success(request, _("Done. The notice is on the case in English and French."))
            return redirect(_money_url(benefit_unit, "actions"))
    return _case_money_page(request, benefit_unit, {"action": form})


@staff_view
@require_POST
@idempotent_form
def overpayment(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.OVERPAYMENT_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    payments = list(Payment.objects.filter(benefit_unit=benefit_unit).order_by("-benefit_month"))
    form = OverpaymentForm(request.POST, prefix="over", payments=payments)
    if form.is_valid():
        payment = next(p for p in payments if p.pk == form.cleaned_data["payment"])
        try:
            overpayment_record(
                acting_user=request.user,
                payment=payment,
                correct_amount_cents=form.cleaned_data["correct_amount"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request,
                _("The overpayment is recorded; the notice is on the case in English and French."),
            )
            return redirect(_money_url(benefit_unit, "ledger"))
    return _case_money_page(request, benefit_unit, {"overpayment": form})


@staff_view
@require_POST
@idempotent_form
def ledger_entry(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.OVERPAYMENT_MANAGE)
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    form = LedgerEntryForm(request.POST, prefix="ledger")
    if form.is_valid():
        try:
            ledger_entry_record(
                acting_user=request.user,
                benefit_unit=benefit_unit,
                kind=form.cleaned_data["kind"],
                amount_cents=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The ledger entry is recorded."))
            return redirect(_money_url(benefit_unit, "ledger"))
    return _case_money_page(request, benefit_unit, {"ledger": form})
