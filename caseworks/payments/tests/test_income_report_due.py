"""The income report form offers the month whose report is due and previews the next payment."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from caseworks.payments.models import IncomeReport
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.selectors import income_report_month_due
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db


def _release(partner: Any, staff: dict[str, Any], month: dt.date) -> None:
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    payment_run_release(acting_user=staff["supervisor"], run=run)


@freeze_time("2026-01-07 15:00")
def test_income_report_month_due_is_last_month_until_this_months_payment_is_made(
    partner: Any,
) -> None:
    staff = payment_staff(partner)
    unit = active_case(partner=partner, actor=staff["caseworker"], first_name="A", last_name="B")
    members = list(unit.members.all())
    assert income_report_month_due(benefit_unit=unit, members=members) == dt.date(2025, 12, 1)
    _release(partner, staff, dt.date(2026, 1, 1))
    # January is paid: the next payment (February) counts January's income.
    assert income_report_month_due(benefit_unit=unit, members=members) == dt.date(2026, 1, 1)


@freeze_time("2026-01-07 15:00")
def test_income_report_form_defaults_to_a_month_the_new_members_can_report_and_saves_it(
    partner: Any,
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner,
        actor=staff["caseworker"],
        first_name="Nadia",
        last_name="Roy",
        opened_on=dt.date(2026, 1, 5),
    )
    applicant = unit.members.get().person
    client = Client()
    client.force_login(staff["caseworker"])
    url = reverse("payments:income_report", args=[unit.pk])
    page = client.get(url).content.decode()
    assert 'value="2025-12"' in page
    assert f'<option value="{applicant.pk}"' in page
    response = client.post(
        url,
        {
            "idempotency_key": uuid.uuid4().hex,
            "person": applicant.pk,
            "income_month": "2025-12",
            "earnings": "0.00",
            "expected_version": unit.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert IncomeReport.objects.get().income_month == dt.date(2025, 12, 1)


@pytest.mark.parametrize(
    ("language", "heading", "amount"),
    [
        ("en", "Preview of the payment for 2026-01 with this report", "$733.00"),
        ("fr", "Aperçu du paiement de 2026-01 avec cette déclaration", "733,00\u00a0$"),
    ],
)
@freeze_time("2026-01-07 15:00")
def test_income_report_previews_the_next_payment_when_no_later_month_is_paid(
    partner: Any, language: str, heading: str, amount: str
) -> None:
    staff = payment_staff(partner)
    unit = active_case(partner=partner, actor=staff["caseworker"], first_name="A", last_name="B")
    applicant = unit.members.get().person
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff["caseworker"])
    response = client.post(
        reverse("payments:income_report", args=[unit.pk]),
        {
            "idempotency_key": uuid.uuid4().hex,
            "person": applicant.pk,
            "income_month": "2025-12",
            "earnings": "0" if language == "en" else "0,00",
            "expected_version": unit.version,
            "action": "preview",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page
    assert amount in page  # the month's payment calculated by the rules with the report
    assert 'id="next-payment-explanation"' in page
    assert "134/98" in page  # each line carries its citation (O. Reg. / Règl. de l’Ont.)
    assert not IncomeReport.objects.exists()  # a preview saves nothing
