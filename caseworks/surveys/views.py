"""Survey pages: analysts build, send and read results; partner administrators answer."""

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
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.reporting.exports import csv_response, xlsx_response

from .constants import SurveyStatus
from .exports import results_table
from .forms import AnswerForm, QuestionForm, SendForm, SurveyCreateForm
from .selectors import (
    response_get_for_user,
    responses_for_partner_user,
    survey_get_for_user,
    survey_list_for_user,
    survey_results,
    survey_templates_for_user,
)
from .services import survey_create, survey_question_add, survey_response_save, survey_send


@staff_view
def survey_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.has_capability(Capability.SURVEY_MANAGE):
        return render(
            request,
            "surveys/list_analyst.html",
            {
                "surveys": survey_list_for_user(user=user),
                "templates": survey_templates_for_user(user=user),
                "form": SurveyCreateForm(),
            },
        )
    return render(
        request, "surveys/list_partner.html", {"responses": responses_for_partner_user(user=user)}
    )


@staff_view
@require_POST
def create(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    form = SurveyCreateForm(request.POST)
    if form.is_valid():
        template = form.cleaned_data["template"]
        try:
            survey = survey_create(
                acting_user=user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                template_key=template.template_key if template else "",
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(
        request,
        "surveys/list_analyst.html",
        {
            "surveys": survey_list_for_user(user=user),
            "templates": survey_templates_for_user(user=user),
            "form": form,
        },
        status=422,
    )


def _detail(
    request: HttpRequest,
    survey_id: int,
    *,
    question_form: QuestionForm | None = None,
    send_form: SendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    survey = survey_get_for_user(user=request.user, survey_id=survey_id)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "question_form": question_form or QuestionForm(),
            "send_form": send_form or SendForm(),
            "is_draft": survey.status == SurveyStatus.DRAFT,
        },
        status=status,
    )


@staff_view
def detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _detail(request, survey_id)


@staff_view
@require_POST
def question_add(request: StaffRequest, survey_id: int) -> HttpResponseBase:
    survey = survey_get_for_user(user=request.user, survey_id=survey_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            survey_question_add(
                acting_user=request.user,
                survey=survey,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                choices=form.cleaned_data["choices"].splitlines(),
                required=form.cleaned_data["required"],
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect("surveys:detail", survey_id=survey.pk)
    return _detail(request, survey_id, question_form=form, status=422)


@staff_view
@require_POST
def send(request: StaffRequest, survey_id: int) -> HttpResponseBase:
    survey = survey_get_for_user(user=request.user, survey_id=survey_id)
    form = SendForm(request.POST)
    if form.is_valid():
        partners = form.cleaned_data["partners"]
        try:
            responses = survey_send(
                acting_user=request.user,
                survey=survey,
                deadline=form.cleaned_data["deadline"],
                partner_ids=[p.pk for p in partners] if partners else None,
            )
        except ApplicationError as exc:
            add_application_error(form, exc, {"survey": "__all__"})
        else:
            messages.success(
                request, _("Survey sent to %(n)s delivery partners.") % {"n": len(responses)}
            )
            return redirect("surveys:results", survey_id=survey.pk)
    return _detail(request, survey_id, send_form=form, status=422)


@staff_view
def results(request: HttpRequest, survey_id: int) -> HttpResponse:
    return render(
        request,
        "surveys/results.html",
        {"results": survey_results(user=request.user, survey_id=survey_id)},
    )


@staff_view
def results_export(request: HttpRequest, survey_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    data = survey_results(user=request.user, survey_id=survey_id)
    table = results_table(data)
    name = f"survey_{data.survey.pk}_answers"
    if fmt == "csv":
        return csv_response(table, name)
    return xlsx_response(table, name, _("Answers"))


@staff_view
def respond(request: HttpRequest, response_id: int) -> HttpResponseBase:
    user: Any = request.user
    response = response_get_for_user(user=user, response_id=response_id)
    questions = list(response.survey.questions.all())
    initial = {a.question_id: a.value for a in response.answers.all()}
    submitted = response.status == "submitted"
    form = AnswerForm(
        request.POST or None, questions=questions, initial_values=initial, disabled=submitted
    )
    status = 200
    if request.method == "POST":
        if submitted:
            raise PermissionDeniedError(_("These answers were already submitted."))
        status = 422
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                survey_response_save(
                    acting_user=user,
                    response=response,
                    answers=form.raw_answers(),
                    submit=submit,
                    expected_version=int(request.POST.get("version") or 0) or None,
                )
            except ApplicationError as exc:
                add_application_error(form, exc)
            else:
                messages.success(
                    request, _("Answers submitted. Thank you.") if submit else _("Draft saved.")
                )
                return redirect("surveys:respond", response_id=response.pk)
    return render(
        request,
        "surveys/respond.html",
        {"response": response, "form": form, "submitted": submitted},
        status=status,
    )
