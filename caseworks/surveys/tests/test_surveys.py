"""Survey round trip: build, send, answer (draft, submit), aggregate, export; and who may."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.surveys.models import Survey, SurveyResponse
from caseworks.surveys.selectors import survey_results
from caseworks.surveys.services import (
    survey_create,
    survey_question_add,
    survey_response_save,
    survey_send,
)
from caseworks.surveys.templates_data import THIRD_PARTY_PROVIDERS_2012

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(users: dict[str, Any]) -> Any:
    return users["provincial_ministry_analyst"]


@pytest.fixture
def admins(users: dict[str, Any], other_partner: Any) -> tuple[Any, Any]:
    return users[Role.PARTNER_ADMIN], UserFactory(
        role=Role.PARTNER_ADMIN, delivery_partner=other_partner
    )


def test_survey_round_trip_when_built_sent_answered_and_exported(
    analyst: Any, admins: tuple[Any, Any], partner: Any, other_partner: Any
) -> None:
    admin_a, admin_b = admins
    web = _client(analyst)
    # Build: a survey with a yes/no, a currency, a multiple choice and a number question.
    response = web.post(
        reverse("surveys:create"), {"title": "Employment services 2026", "description": ""}
    )
    survey = Survey.objects.get(title="Employment services 2026")
    assert response.status_code == 302
    for data in (
        {"text": "Do you use outside providers?", "kind": "yes_no", "required": "on"},
        {"text": "Spending", "kind": "currency"},
        {
            "text": "Services",
            "kind": "multiple_choice",
            "choices": "Job search\nTraining\nPlacement",
        },
        {"text": "Clients served", "kind": "number"},
    ):
        assert web.post(reverse("surveys:question_add", args=[survey.pk]), data).status_code == 302
    questions = {q.text: q for q in survey.questions.all()}
    # Send to both partners with a deadline.
    deadline = timezone.localdate() + dt.timedelta(days=14)
    sent = web.post(
        reverse("surveys:send", args=[survey.pk]),
        {"deadline": deadline.isoformat(), "partners": [partner.pk, other_partner.pk]},
    )
    assert sent.status_code == 302
    mine = SurveyResponse.objects.get(survey=survey, delivery_partner=partner)
    theirs = SurveyResponse.objects.get(survey=survey, delivery_partner=other_partner)
    # Partner A saves a draft, then submits; partner B submits directly.
    a_web = _client(admin_a)
    form = {
        f"q{questions['Do you use outside providers?'].pk}": "yes",
        f"q{questions['Spending'].pk}": "1250.50",
        f"q{questions['Services'].pk}": ["Job search", "Placement"],
        f"q{questions['Clients served'].pk}": "40",
        "save": "1",
    }
    assert a_web.post(reverse("surveys:respond", args=[mine.pk]), form).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "draft"
    form.pop("save")
    form["submit"] = "1"
    assert a_web.post(reverse("surveys:respond", args=[mine.pk]), form).status_code == 302
    survey_response_save(
        acting_user=admin_b,
        response=theirs,
        answers={
            questions["Do you use outside providers?"].pk: "no",
            questions["Spending"].pk: "749.50",
            questions["Services"].pk: ["Job search"],
            questions["Clients served"].pk: "20",
        },
        submit=True,
    )
    # Aggregate: yes 1 / no 1; spending total $1,250.50 + $749.50 = $2,000.00 (mean $1,000.00);
    # "Job search" chosen by 2, "Placement" by 1; clients 40 + 20 = 60.
    results = survey_results(user=analyst, survey_id=survey.pk)
    assert (results.sent, results.submitted) == (2, 2)
    by_text = {r.question.text: r for r in results.questions}
    assert by_text["Do you use outside providers?"].counts == [("yes", 1), ("no", 1)]
    assert by_text["Spending"].total == 200000
    assert by_text["Spending"].mean == 100000
    assert by_text["Services"].counts == [("Job search", 2), ("Training", 0), ("Placement", 1)]
    assert by_text["Clients served"].total == 60
    page = web.get(reverse("surveys:results", args=[survey.pk]))
    assert page.status_code == 200
    assert "2 of 2 partners have submitted" in page.content.decode()
    # Export: one row per partner.
    csv_rows = list(
        csv.reader(
            io.StringIO(
                web.get(reverse("surveys:results_export", args=[survey.pk, "csv"])).content.decode()
            )
        )
    )
    assert csv_rows[0][3:] == [
        "Do you use outside providers?",
        "Spending",
        "Services",
        "Clients served",
    ]
    row_a = next(r for r in csv_rows if r[0] == "Partner A")
    assert row_a[3:] == ["Yes", "1250.50", "Job search; Placement", "40"]
    xlsx = web.get(reverse("surveys:results_export", args=[survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3
    assert AuditEvent.objects.filter(event_type="survey_response_submitted").count() == 2


def test_survey_response_save_refuses_submit_when_required_answer_missing(
    analyst: Any, admins: tuple[Any, Any], partner: Any
) -> None:
    survey = survey_create(acting_user=analyst, title="S")
    question = survey_question_add(
        acting_user=analyst, survey=survey, text="Q", kind="yes_no", required=True
    )
    survey_send(
        acting_user=analyst,
        survey=survey,
        deadline=timezone.localdate() + dt.timedelta(days=3),
        partner_ids=[partner.pk],
    )
    response = SurveyResponse.objects.get(survey=survey)
    with pytest.raises(ApplicationError) as error:
        survey_response_save(acting_user=admins[0], response=response, answers={}, submit=True)
    assert error.value.field == f"q{question.pk}"
    response.refresh_from_db()
    assert response.status == "not_started"


def test_survey_response_save_refuses_when_bad_currency(
    analyst: Any, admins: tuple[Any, Any], partner: Any
) -> None:
    survey = survey_create(acting_user=analyst, title="S")
    question = survey_question_add(acting_user=analyst, survey=survey, text="Q", kind="currency")
    survey_send(
        acting_user=analyst,
        survey=survey,
        deadline=timezone.localdate() + dt.timedelta(days=3),
        partner_ids=[partner.pk],
    )
    response = SurveyResponse.objects.get(survey=survey)
    with pytest.raises(ApplicationError):
        survey_response_save(
            acting_user=admins[0], response=response, answers={question.pk: "12.345"}, submit=False
        )


def test_respond_returns_404_when_other_partners_survey(
    analyst: Any, admins: tuple[Any, Any], other_partner: Any
) -> None:
    survey = survey_create(acting_user=analyst, title="S")
    survey_question_add(acting_user=analyst, survey=survey, text="Q", kind="text")
    survey_send(
        acting_user=analyst,
        survey=survey,
        deadline=timezone.localdate() + dt.timedelta(days=3),
        partner_ids=[other_partner.pk],
    )
    response = SurveyResponse.objects.get(survey=survey)
    assert _client(admins[0]).get(reverse("surveys:respond", args=[response.pk])).status_code == 404


def test_survey_pages_return_403_when_role_may_not(users: dict[str, Any], analyst: Any) -> None:
    survey = survey_create(acting_user=analyst, title="S")
    assert (
        _client(users[Role.PARTNER_ADMIN])
        .get(reverse("surveys:results", args=[survey.pk]))
        .status_code
        == 403
    )
    assert _client(users[Role.CASEWORKER]).get(reverse("surveys:list")).status_code == 403
    with pytest.raises(PermissionDeniedError):
        survey_create(acting_user=users[Role.PARTNER_ADMIN], title="X")


def test_load_survey_templates_creates_the_2012_provider_survey_when_run_twice(
    analyst: Any,
) -> None:
    call_command("load_survey_templates")
    call_command("load_survey_templates")
    template = Survey.objects.get(is_template=True, template_key=THIRD_PARTY_PROVIDERS_2012)
    kinds = list(template.questions.values_list("kind", flat=True))
    assert kinds == [
        "yes_no",
        "text",
        "multiple_choice",
        "single_choice",
        "number",
        "currency",
        "text",
    ]
    copy = survey_create(acting_user=analyst, title="", template_key=THIRD_PARTY_PROVIDERS_2012)
    assert copy.title == template.title
    assert copy.questions.count() == 7
    assert not copy.is_template
