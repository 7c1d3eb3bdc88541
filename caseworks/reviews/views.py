"""Review and appeal pages of a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_file_read_record
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError
from caseworks.core.idempotency import idempotent_form

from .constants import REVIEW_DECISION_CITATION
from .forms import AppealForm, AppealUpdateForm, ReviewDecideForm, ReviewRequestForm
from .models import Appeal, InternalReview
from .selectors import reviews_for_case
from .services import appeal_record, appeal_update, internal_review_decide, internal_review_request


def _page(
    request: StaffRequest, benefit_unit: BenefitUnit, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    case_file_read_record(user=user, benefit_unit=benefit_unit, view_name="reviews:case_reviews")
    forms = forms or {}
    reviews = reviews_for_case(user=user, benefit_unit=benefit_unit)
    items = []
    for review in reviews:
        items.append(
            {
                "review": review,
                "decide_form": forms.get(f"decide-{review.pk}")
                or ReviewDecideForm(
                    prefix=f"decide-{review.pk}", initial={"expected_version": review.version}
                ),
                "appeal_form": forms.get(f"appeal-{review.pk}")
                or AppealForm(prefix=f"appeal-{review.pk}"),
                "appeals": [
                    (
                        a,
                        forms.get(f"appeal-update-{a.pk}")
                        or AppealUpdateForm(
                            prefix=f"appeal-update-{a.pk}", initial={"expected_version": a.version}
                        ),
                    )
                    for a in review.appeals.all()
                ],
            }
        )
    return render(
        request,
        "reviews/case_reviews.html",
        {
            "case": benefit_unit,
            "items": items,
            "request_form": forms.get("request") or ReviewRequestForm(prefix="request"),
            "submitted_forms": list(forms.values()),
            "can_manage": user.has_capability(Capability.REVIEW_MANAGE),
            "decision_citation": REVIEW_DECISION_CITATION,
        },
    )


@staff_view
def case_reviews(request: StaffRequest, benefit_unit_id: int) -> HttpResponseBase:
    benefit_unit = benefit_unit_get_for_user(user=request.user, benefit_unit_id=benefit_unit_id)
    if request.method != "POST":
        return _page(request, benefit_unit)
    require_capability(request.user, Capability.REVIEW_MANAGE)
    form = ReviewRequestForm(request.POST, prefix="request")
    if form.is_valid():
        data = form.cleaned_data
        try:
            review = internal_review_request(
                acting_user=request.user, benefit_unit=benefit_unit, **data
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"decision": "decision_description"})
        else:
            if review.is_late:
                messages.warning(
                    request,
                    _(
                        "Recorded. The request is late (due %(due)s): it "
                        "is flagged for the reviewer."
                    )
                    % {"due": review.request_due_on.isoformat()},
                )
            else:
                messages.success(request, _("The request for internal review is recorded."))
            return redirect("reviews:case_reviews", benefit_unit_id=benefit_unit.pk)
    return _page(request, benefit_unit, {"request": form})


def _review(request: HttpRequest, review_id: int) -> tuple[InternalReview, BenefitUnit]:
    review = InternalReview.objects.filter(pk=review_id).only("benefit_unit_id").first()
    if review is None:
        raise Http404
    # Through the partner-scoped selector: another partner's review is a 404.
    benefit_unit = benefit_unit_get_for_user(
        user=request.user, benefit_unit_id=review.benefit_unit_id
    )
    return InternalReview.objects.get(pk=review_id), benefit_unit


@staff_view
@require_POST
@idempotent_form  # a decision can change the money owed
def review_decide(request: StaffRequest, review_id: int) -> HttpResponseBase:
    review, benefit_unit = _review(request, review_id)
    require_capability(request.user, Capability.REVIEW_MANAGE)
    form = ReviewDecideForm(request.POST, prefix=f"decide-{review.pk}")
    if form.is_valid():
        try:
            internal_review_decide(acting_user=request.user, review=review, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The review decision is recorded."))
            return redirect("reviews:case_reviews", benefit_unit_id=benefit_unit.pk)
    return _page(request, benefit_unit, {f"decide-{review.pk}": form})


@staff_view
@require_POST
def appeal_create(request: StaffRequest, review_id: int) -> HttpResponseBase:
    review, benefit_unit = _review(request, review_id)
    require_capability(request.user, Capability.REVIEW_MANAGE)
    form = AppealForm(request.POST, prefix=f"appeal-{review.pk}")
    if form.is_valid():
        try:
            appeal_record(acting_user=request.user, review=review, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The appeal is recorded."))
            return redirect("reviews:case_reviews", benefit_unit_id=benefit_unit.pk)
    return _page(request, benefit_unit, {f"appeal-{review.pk}": form})


@staff_view
@require_POST
def appeal_edit(request: StaffRequest, appeal_id: int) -> HttpResponseBase:
    appeal = Appeal.objects.filter(pk=appeal_id).only("review_id").first()
    if appeal is None:
        raise Http404
    _review_row, benefit_unit = _review(request, appeal.review_id)
    appeal = Appeal.objects.get(pk=appeal_id)
    require_capability(request.user, Capability.REVIEW_MANAGE)
    form = AppealUpdateForm(request.POST, prefix=f"appeal-update-{appeal.pk}")
    if form.is_valid():
        try:
            appeal_update(acting_user=request.user, appeal=appeal, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("The appeal is updated."))
            return redirect("reviews:case_reviews", benefit_unit_id=benefit_unit.pk)
    return _page(request, benefit_unit, {f"appeal-update-{appeal.pk}": form})
