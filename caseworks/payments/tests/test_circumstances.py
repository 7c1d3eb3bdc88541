"""Circumstances over time on the money page: a member's circumstances and the case's assets
change by new dated versions, with the preview of the paid months they change."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from caseworks.payments.models import (
    CircumstancesChange,
    LedgerEntry,
    MemberCircumstancesChange,
)
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)


def _released(partner: Any, staff: dict[str, Any], month: dt.date) -> Any:
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return payment_run_release(acting_user=staff["supervisor"], run=run)


def test_member_special_diet_typed_in_french_becomes_a_dated_version(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    person_id = unit.members.get().person_id
    client.force_login(staff["caseworker"])
    with translation.override("fr"):
        response = client.post(
            reverse("payments:member_circumstances", args=[unit.pk]),
            {
                "idempotency_key": uuid.uuid4().hex,
                "member-person": person_id,
                "member-effective_month": "2026-02",
                "member-special_diet": "50,00",
                "member-child_care_costs": "",
                "member-reason": "Régime confirmé",
                "member-expected_version": unit.version,
            },
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = MemberCircumstancesChange.objects.get(benefit_unit=unit)
    assert version.special_diet_cents == 5_000
    assert version.effective_month == dt.date(2026, 2, 1)


def test_member_change_of_a_paid_month_is_previewed_then_booked(partner: Any, client: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    _released(partner, staff, JAN)
    person_id = unit.members.get().person_id
    client.force_login(staff["caseworker"])
    data = {
        "member-person": person_id,
        "member-effective_month": "2026-01",
        "member-special_diet": "40.00",
        "member-reason": "Diet confirmed from January",
        "member-expected_version": unit.version,
    }
    response = client.post(
        reverse("payments:member_circumstances", args=[unit.pk]),
        {**data, "idempotency_key": uuid.uuid4().hex},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check before saving" in page
    assert "$40.00" in page  # January: $733 issued, $773 due
    assert not MemberCircumstancesChange.objects.filter(benefit_unit=unit).exists()
    response = client.post(
        reverse("payments:member_circumstances", args=[unit.pk]),
        {**data, "confirm": "1", "idempotency_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(benefit_unit=unit)
    assert (entry.kind, entry.amount_cents) == ("underpayment", 4_000)
    with translation.override("fr"):
        page = client.get(
            reverse("payments:case_money", args=[unit.pk]), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    assert "Règl. de l'Ont. 134/98, art. 64 (paiement rétroactif)" in page.replace("&#x27;", "'")


def test_assets_form_keeps_the_assets_and_remote_community_of_the_version_in_force(
    partner: Any, client: Any
) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    client.force_login(staff["caseworker"])
    response = client.post(
        reverse("payments:circumstances", args=[unit.pk]),
        {
            "idempotency_key": uuid.uuid4().hex,
            "effective_month": "2026-03",
            "shelter_type": "rent",
            "shelter_cost": "900.00",
            "remote_community": "on",
            "asset_1_type": "vehicle",
            "asset_1_value": "4,000.00",
            "asset_2_type": "bank_account",
            "asset_2_value": "250.00",
            "reason": "Moved; bought a car",
            "expected_version": unit.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = CircumstancesChange.objects.filter(benefit_unit=unit).latest("id")
    assert latest.remote_community is True
    assert latest.assets == [
        {"type": "vehicle", "value_cents": 400_000, "description": ""},
        {"type": "bank_account", "value_cents": 25_000, "description": ""},
    ]
    page = client.get(reverse("payments:case_money", args=[unit.pk])).content.decode()
    # The change form starts from the version in force: nothing is lost by the next change.
    assert 'name="remote_community" checked' in page or "checked" in page
    assert 'value="4,000.00"' in page
