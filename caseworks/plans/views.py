"""Participation agreement pages: list and create on a case, the agreement and its forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.clients.services import client_file_access_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

from .constants import DIRECTIVE_CITATION, DIRECTIVE_URL, AgreementStatus, SignatureMethod
from .forms import (
    ActivityForm,
    AgreementCreateForm,
    DeferralForm,
    GoalForm,
    ReviewForm,
    SignForm,
)
from .letters import agreement_language, render_participation_agreement
from .models import ParticipationAgreement
from .selectors import agreement_get_for_user, agreement_list_for_case
from .services import (
    ADULT_ROLES,
    participation_agreement_create,
    participation_agreement_review_record,
    participation_agreement_sign,
    participation_deferral_record,
    plan_activity_add,
    plan_goal_add,
)


def _adults(benefit_unit: Any) -> list[Any]:
    return [m.person for m in benefit_unit.current_members if m.role in ADULT_ROLES]


@staff_view
def case_plans(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    user: Any = request.user
    benefit_unit = benefit_unit_get_for_user(user=user, benefit_unit_id=benefit_unit_id)
    form = AgreementCreateForm(request.POST or None, adults=_adults(benefit_unit))
    if request.method == "POST":
        require_capability(user, Capability.PLAN_MANAGE)
        if form.is_valid():
            person = next(p for p in _adults(benefit_unit) if p.pk == form.cleaned_data["person"])
            try:
                agreement = participation_agreement_create(
                    acting_user=user,
                    benefit_unit=benefit_unit,
                    person=person,
                    start_on=form.cleaned_data["start_on"],
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(request, _("Draft agreement created. Add goals, then sign it."))
                return redirect("plans:detail", agreement_id=agreement.pk)
    agreements = agreement_list_for_case(benefit_unit=benefit_unit)
    for person in {a.person for a in agreements}:
        client_file_access_record(
            user=user, person=person, view_name="plans:case_plans", benefit_unit_id=benefit_unit.pk
        )
    return render(
        request,
        "plans/case_plans.html",
        {
            "case": benefit_unit,
            "agreements": agreements,
            "form": form,
            "directive": (DIRECTIVE_CITATION, DIRECTIVE_URL),
        },
    )


def _agreement_page(
    request: StaffRequest, agreement: ParticipationAgreement, bound: dict[str, forms.Form]
) -> HttpResponse:
    goals = list(agreement.goals.all())
    page_forms: dict[str, forms.Form] = {
        "goal": GoalForm(prefix="goal"),
        "activity": ActivityForm(prefix="activity", goals=goals),
        "sign": SignForm(prefix="sign", initial={"signed_by": agreement.person.full_name}),
        "review": ReviewForm(prefix="review"),
        "deferral": DeferralForm(prefix="deferral"),
        **bound,
    }
    client_file_access_record(
        user=request.user,
        person=agreement.person,
        view_name="plans:detail",
        benefit_unit_id=agreement.benefit_unit_id,
    )
    return render(
        request,
        "plans/detail.html",
        {
            "agreement": agreement,
            "case": agreement.benefit_unit,
            "goals": goals,
            "activities": list(agreement.activities.select_related("goal")),
            "reviews": list(agreement.reviews.select_related("reviewed_by")),
            "pending_review": agreement.reviews.filter(reviewed_on__isnull=True).first(),
            "deferrals": list(agreement.deferrals.all()),
            "forms": page_forms,
            "submitted": list(bound.values()),
            "is_draft": agreement.status == AgreementStatus.DRAFT,
            "is_active": agreement.status == AgreementStatus.ACTIVE,
            "directive": (DIRECTIVE_CITATION, DIRECTIVE_URL),
        },
    )


@staff_view
def detail(request: StaffRequest, agreement_id: int) -> HttpResponse:
    agreement = agreement_get_for_user(user=request.user, agreement_id=agreement_id)
    return _agreement_page(request, agreement, {})


def _post(
    request: StaffRequest,
    agreement_id: int,
    *,
    name: str,
    make_form: Callable[[ParticipationAgreement], forms.Form],
    act: Callable[[ParticipationAgreement, dict[str, Any]], Any],
    done: str,
) -> HttpResponseBase:
    require_capability(request.user, Capability.PLAN_MANAGE)
    agreement = agreement_get_for_user(user=request.user, agreement_id=agreement_id)
    form = make_form(agreement)
    if form.is_valid():
        try:
            act(agreement, form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(f"/plans/{agreement.pk}/#{name}")
    return _agreement_page(request, agreement, {name: form})


@staff_view
@require_POST
def goal_add(request: StaffRequest, agreement_id: int) -> HttpResponseBase:
    return _post(
        request,
        agreement_id,
        name="goal",
        make_form=lambda a: GoalForm(request.POST, prefix="goal"),
        act=lambda a, d: plan_goal_add(acting_user=request.user, agreement=a, **d),
        done=_("Goal added."),
    )


@staff_view
@require_POST
def activity_add(request: StaffRequest, agreement_id: int) -> HttpResponseBase:
    def act(agreement: ParticipationAgreement, data: dict[str, Any]) -> Any:
        goal_id = data.pop("goal")
        goal = agreement.goals.filter(pk=goal_id).first() if goal_id else None
        return plan_activity_add(acting_user=request.user, agreement=agreement, goal=goal, **data)

    return _post(
        request,
        agreement_id,
        name="activity",
        make_form=lambda a: ActivityForm(
            request.POST, prefix="activity", goals=list(a.goals.all())
        ),
        act=act,
        done=_("Activity added."),
    )


@staff_view
@require_POST
def sign(request: StaffRequest, agreement_id: int) -> HttpResponseBase:
    return _post(
        request,
        agreement_id,
        name="sign",
        make_form=lambda a: SignForm(request.POST, prefix="sign"),
        act=lambda a, d: participation_agreement_sign(
            acting_user=request.user, agreement=a, **_sign_arguments(d)
        ),
        done=_("The agreement is signed. Its first review is scheduled."),
    )


def _sign_arguments(data: dict[str, Any]) -> dict[str, Any]:
    method = data["method"]
    return {
        "method": method,
        "signed_on": data["signed_on"],
        "signed_by": data["signed_by"],
        "confirmed": data.get("confirmed", False),
        "signature_png": data.get("signature_png") if method == SignatureMethod.SCREEN else None,
    }


@staff_view
def agreement_pdf(request: StaffRequest, agreement_id: int) -> HttpResponse:
    """The printable agreement (PDF) in the participant's language, or the one asked (?lang=):
    a signature line to sign on paper, or the signature given (a copy for the participant)."""
    agreement = agreement_get_for_user(user=request.user, agreement_id=agreement_id)
    client_file_access_record(
        user=request.user,
        person=agreement.person,
        view_name="plans:agreement_pdf",
        benefit_unit_id=agreement.benefit_unit_id,
    )
    language = agreement_language(agreement, request.GET.get("lang", ""))
    pdf = render_participation_agreement(
        agreement,
        language,
        signed_on=agreement.signed_on,
        signed_by=agreement.signed_by,
        method=agreement.signature_method,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "entente-de-participation" if language == "fr" else "participation-agreement"
    response["Content-Disposition"] = f'inline; filename="{name}-{agreement.pk}.pdf"'
    return response


@staff_view
@require_POST
def review(request: StaffRequest, agreement_id: int) -> HttpResponseBase:
    return _post(
        request,
        agreement_id,
        name="review",
        make_form=lambda a: ReviewForm(request.POST, prefix="review"),
        act=lambda a, d: participation_agreement_review_record(
            acting_user=request.user, agreement=a, **d
        ),
        done=_("Review recorded. The next review is in 3 months."),
    )


@staff_view
@require_POST
def deferral(request: StaffRequest, agreement_id: int) -> HttpResponseBase:
    return _post(
        request,
        agreement_id,
        name="deferral",
        make_form=lambda a: DeferralForm(request.POST, prefix="deferral"),
        act=lambda a, d: participation_deferral_record(acting_user=request.user, agreement=a, **d),
        done=_("Deferral recorded."),
    )
