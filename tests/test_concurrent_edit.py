"""Two caseworkers edit the same case at once: the second save is refused with a clear message
(optimistic concurrency on BenefitUnit.version), never silently overwriting the first."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from django.db import connection

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.core.errors import ConflictError
from caseworks.payments.models import CircumstancesChange
from caseworks.payments.services import circumstances_change_record
from caseworks.payments.tests.builders import active_case


@pytest.mark.django_db(transaction=True)
def test_circumstances_change_record_refuses_second_save_when_edited_at_once(
    partner: Any,
) -> None:
    first = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    second = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    unit = active_case(partner=partner, actor=first, first_name="Ana", last_name="Roy")
    seen_version = unit.version  # both caseworkers opened the case page at this version
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def save(name: str, user: Any, rent: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[name] = circumstances_change_record(
                acting_user=user,
                benefit_unit=unit,
                effective_month=dt.date(2026, 2, 1),
                shelter_type="rent",
                shelter_cost_cents=rent,
                reason=f"New lease reported to {name}",
                expected_version=seen_version,
            )
        except Exception as exc:  # the test inspects what each thread got
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("first", first, 95_000)),
        threading.Thread(target=save, args=("second", second, 60_000)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    saved = [o for o in outcomes.values() if isinstance(o, CircumstancesChange)]
    refused = [o for o in outcomes.values() if isinstance(o, ConflictError)]
    assert len(saved) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert "Someone else changed this case" in refused[0].message
    assert refused[0].field == "version"
    # The first save stands, unchanged; the second wrote nothing.
    february = CircumstancesChange.objects.filter(
        benefit_unit=unit, effective_month=dt.date(2026, 2, 1)
    )
    assert list(february.values_list("shelter_cost_cents", flat=True)) == [
        saved[0].shelter_cost_cents
    ]
    unit.refresh_from_db()
    assert unit.version == seen_version + 1


@pytest.mark.django_db
def test_case_page_form_shows_conflict_message_when_case_changed_since_loaded(
    partner: Any, client: Any
) -> None:
    first = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    second = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    unit = active_case(partner=partner, actor=first, first_name="Ana", last_name="Roy")
    stale_version = unit.version
    circumstances_change_record(
        acting_user=first,
        benefit_unit=unit,
        effective_month=dt.date(2026, 2, 1),
        shelter_type="rent",
        shelter_cost_cents=95_000,
        reason="New lease",
        expected_version=stale_version,
    )
    client.force_login(second)
    response = client.post(
        f"/payments/cases/{unit.pk}/circumstances/",
        {
            "idempotency_key": uuid.uuid4().hex,  # every money form carries one
            "effective_month": "2026-02",
            "shelter_type": "rent",
            "shelter_cost": "600.00",
            "heat": "0",
            "utilities": "0",
            "reason": "Lease reported by phone",
            "expected_version": stale_version,
        },
    )
    assert response.status_code == 200
    assert "Someone else changed this case" in response.content.decode()
    assert CircumstancesChange.objects.filter(shelter_cost_cents=60_000).count() == 0
