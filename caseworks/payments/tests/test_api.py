from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from caseworks.payments.models import IncomeReport, LedgerEntry
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db


def test_income_report_api_previews_then_applies_when_paid_month_changes(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    payment_run_release(acting_user=staff["supervisor"], run=run)
    unit.refresh_from_db()
    client.force_login(staff["caseworker"])
    body = {
        "person_id": unit.members.get().person_id,
        "income_month": "2025-12",
        "amounts": {"earnings": "250.00"},
        "expected_version": unit.version,
    }
    url = f"/api/payments/cases/{unit.pk}/income-reports"
    preview = client.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex
    )
    assert preview.status_code == 200
    assert preview.json() == {
        "applied": False,
        "months": [
            {
                "benefit_month": "2026-01",
                "paid": True,
                "old_payment": "733.00",
                "new_payment": "483.00",
                "difference": "-250.00",
            }
        ],
    }
    assert not IncomeReport.objects.exists()
    applied = client.post(
        url,
        {**body, "confirm": True},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert applied.status_code == 201
    assert LedgerEntry.objects.get().amount_cents == 25_000
    money = client.get(f"/api/payments/cases/{unit.pk}/money").json()
    assert money["overpayment_balance"] == "250.00"
    assert money["payments"][0]["amount"] == "733.00"


def test_income_report_api_refuses_float_like_amount_when_malformed(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    client.force_login(staff["caseworker"])
    response = client.post(
        f"/api/payments/cases/{unit.pk}/income-reports",
        {
            "person_id": unit.members.get().person_id,
            "income_month": "2025-12",
            "amounts": {"earnings": "12.345"},
            "expected_version": unit.version,
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "amounts.earnings"


def test_run_api_not_found_when_other_partner(
    partner: Any, other_caseworker: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    client.force_login(other_caseworker)
    assert client.get(f"/api/payments/runs/{run.pk}").status_code == 404
    client.force_login(staff["caseworker"])
    approve = client.post(
        f"/api/payments/runs/{run.pk}/approve", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex
    )
    assert approve.status_code == 403
