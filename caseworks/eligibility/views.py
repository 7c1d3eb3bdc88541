"""Eligibility pages: run a determination, read it (the budget laid out like the explanation),
decide, and the supervisors' queue of overrides to approve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.applications.selectors import application_get_for_user
from caseworks.calculation.explanations import ExplanationLine, explanation_lines
from caseworks.calculation.labels import citation_text, reason_label
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import case_file_read_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from .constants import DecisionStatus, DeterminationResult
from .forms import DecisionForm, OverrideReviewForm
from .models import Decision, Determination
from .selectors import (
    decision_get_for_user,
    decisions_awaiting_approval_for_user,
    decisions_for_determination,
    determination_get_for_user,
    latest_determination,
)
from .services import decision_make, decision_override_review, determination_run


def _language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def _log(request: HttpRequest, case: BenefitUnit, view_name: str) -> Any:
    """Log the read of the case file; the applicant (the person the notices address)."""
    applicant = case_file_read_record(user=request.user, benefit_unit=case, view_name=view_name)
    return applicant.person if applicant else None


def budget_lines(determination: Determination, language: str) -> list[ExplanationLine]:
    """The explanation as the caseworker reads it to the client, in the page's language: item,
    sentence, amount (cents), citation."""
    return explanation_lines(determination.explanation, language)


def missing_links(determination: Determination) -> list[dict[str, str]]:
    """What is missing, each with a link to the page where it is fixed."""
    if determination.application_id is None:
        return [{"text": str(m), "href": ""} for m in determination.missing_information]
    edit_url = reverse("applications:edit", args=[determination.application_id])
    checklist_url = reverse("applications:verification", args=[determination.application_id])
    anchors = {"housing": "#shelter", "consent": "#consent", "applicant": "#members"}
    links = []
    for entry in determination.missing_information:
        text = str(entry)
        lowered = text.lower()
        if "proof" in lowered or "preuve" in lowered:
            href = checklist_url
        else:
            anchor = next((a for key, a in anchors.items() if key in lowered), "")
            href = edit_url + anchor
        links.append({"text": text, "href": href})
    return links


@staff_view
@require_POST
def run(request: StaffRequest, application_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.DETERMINATION_RUN)
    application = application_get_for_user(user=request.user, application_id=application_id)
    try:
        determination = determination_run(acting_user=request.user, application=application)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("applications:edit", application_id=application.pk)
    return redirect("eligibility:determination", determination_id=determination.pk)


def _determination_page(
    request: HttpRequest, determination: Determination, form: DecisionForm | None = None
) -> HttpResponse:
    user: Any = request.user
    case = determination.benefit_unit
    _log(request, case, "eligibility:determination")
    language = _language()
    latest = latest_determination(benefit_unit=case)
    decisions = decisions_for_determination(determination=determination)
    awaiting = any(d.status == DecisionStatus.AWAITING_APPROVAL for d in decisions)
    can_decide = (
        user.has_capability(Capability.DECISION_MAKE)
        and case.status == CaseStatus.PENDING
        and latest is not None
        and latest.pk == determination.pk
        and not awaiting
    )
    rule_outcome = {
        DeterminationResult.ELIGIBLE: "grant",
        DeterminationResult.INELIGIBLE: "deny",
    }.get(determination.result, "")  # type: ignore[call-overload]
    if form is None:
        form = DecisionForm(initial={"outcome": rule_outcome} if rule_outcome else None)
    return render(
        request,
        "eligibility/determination.html",
        {
            "determination": determination,
            "case": case,
            "lines": budget_lines(determination, language),
            "reasons": [
                {
                    "text": reason_label(str(r.get("code", "")), language),
                    "citation": citation_text(str(r.get("citation", "")), language),
                }
                for r in determination.ineligibility_reasons
            ],
            "missing": missing_links(determination),
            "decisions": decisions,
            "is_latest": latest is not None and latest.pk == determination.pk,
            "can_decide": can_decide,
            "awaiting": awaiting,
            "form": form,
            "rule_outcome": rule_outcome,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@staff_view
def determination(request: HttpRequest, determination_id: int) -> HttpResponse:
    found = determination_get_for_user(user=request.user, determination_id=determination_id)
    return _determination_page(request, found)


@staff_view
@require_POST
@idempotent_form  # a grant issues money: a double click must not decide twice
def decide(request: StaffRequest, determination_id: int) -> HttpResponseBase:
    """Grant or deny from the determination; an override waits for a supervisor."""
    require_capability(request.user, Capability.DECISION_MAKE)
    found = determination_get_for_user(user=request.user, determination_id=determination_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_make(
                acting_user=request.user,
                determination=found,
                outcome=data["outcome"],
                effective_on=data["effective_on"],
                reason=data["reason"],
                override_reason=data["override_reason"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"status": "outcome", "determination": "outcome"})
        else:
            if decision.status == DecisionStatus.AWAITING_APPROVAL:
                messages.warning(request, _("The override is awaiting supervisor approval."))
            else:
                messages.success(request, _("The decision is recorded and the notice is ready."))
            return redirect("eligibility:decision", decision_id=decision.pk)
    return _determination_page(request, found, form)


def _decision_page(
    request: HttpRequest, decision: Decision, form: OverrideReviewForm | None = None
) -> HttpResponse:
    user: Any = request.user
    person = _log(request, decision.benefit_unit, "eligibility:decision")
    language = (getattr(person, "language_preference", "") or "en")[:2]
    notices = []
    for code, document_id in (("en", decision.notice_en_id), ("fr", decision.notice_fr_id)):
        if document_id:
            notices.append({"language": code, "document_id": document_id, "own": code == language})
    notices.sort(key=lambda n: not n["own"])
    can_review = (
        user.has_capability(Capability.DECISION_APPROVE_OVERRIDE)
        and decision.status == DecisionStatus.AWAITING_APPROVAL
        and decision.decided_by_id != user.pk
    )
    return render(
        request,
        "eligibility/decision.html",
        {
            "decision": decision,
            "case": decision.benefit_unit,
            "determination": decision.determination,
            "notices": notices,
            "client_language": language,
            "reasons": [
                {
                    "text": reason_label(str(r.get("code", "")), _language()),
                    "detail": str(r.get("detail", "")),
                    "citation": citation_text(str(r.get("citation", "")), _language()),
                }
                for r in decision.reasons
            ],
            "can_review": can_review,
            "form": form or OverrideReviewForm(),
        },
        status=422 if form is not None and form.errors else 200,
    )


@staff_view
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    found = decision_get_for_user(user=request.user, decision_id=decision_id)
    return _decision_page(request, found)


@staff_view
def approvals(request: HttpRequest) -> HttpResponse:
    """Overrides waiting for a supervisor of the user's delivery partner."""
    waiting = decisions_awaiting_approval_for_user(user=request.user)
    return render(request, "eligibility/approvals.html", {"decisions": waiting})


@staff_view
@require_POST
def review(request: StaffRequest, decision_id: int) -> HttpResponseBase:
    require_capability(request.user, Capability.DECISION_APPROVE_OVERRIDE)
    found = decision_get_for_user(user=request.user, decision_id=decision_id)
    form = OverrideReviewForm(request.POST)
    if form.is_valid():
        try:
            decision_override_review(
                acting_user=request.user,
                decision=found,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"status": "decision", "approved_by": "decision"})
        else:
            messages.success(request, _("Your review is recorded."))
            return redirect("eligibility:approvals")
    return _decision_page(request, found, form)
