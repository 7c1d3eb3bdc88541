"""Provider credentials reach only the referrals sent to that provider."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from freezegun import freeze_time

from caseworks.accounts.services import api_token_create
from caseworks.cases.models import Task
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.employment.models import OutcomeFollowUp
from caseworks.employment.services import follow_up_tasks_raise, referral_send
from caseworks.employment.tests.factories import ServiceProviderFactory, make_provider_user
from caseworks.plans.tests.factories import applicant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partner: Any, caseworker: Any) -> dict[str, Any]:
    mine = ServiceProviderFactory(name="Mine")
    theirs = ServiceProviderFactory(name="Theirs")
    case = make_case(partner=partner, caseworker=caseworker, phone="705-555-0101")
    other_case = make_case(partner=partner, caseworker=caseworker)

    def send(benefit_unit: Any, provider: Any, shared: list[str]) -> Any:
        return referral_send(
            acting_user=caseworker,
            benefit_unit=benefit_unit,
            person=applicant_of(benefit_unit),
            provider=provider,
            purpose="Employment services",
            consent_given=True,
            information_shared=shared,
        )

    provider_user = make_provider_user(provider=mine, partner=partner)
    _token, raw = api_token_create(acting_user=provider_user, user=provider_user, name="agency")
    return {
        "case": case,
        "mine": send(case, mine, ["contact"]),
        "theirs": send(other_case, theirs, ["contact"]),
        "user": provider_user,
        "client": Client(HTTP_AUTHORIZATION=f"Bearer {raw}"),
    }


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_provider_referral_list_shows_only_referrals_sent_to_the_provider(
    world: dict[str, Any],
) -> None:
    response = world["client"].get("/api/provider/referrals")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()]
    assert ids == [world["mine"].pk]
    row = response.json()[0]
    assert row["client"]["phone"] == "705-555-0101"  # consented: contact
    assert row["client"]["language_of_service"] is None  # not consented
    assert ClientFileAccess.objects.filter(user=world["user"], channel="api").exists()


def test_provider_referral_detail_is_404_when_referral_sent_to_another_provider(
    world: dict[str, Any],
) -> None:
    client = world["client"]
    assert client.get(f"/api/provider/referrals/{world['theirs'].pk}").status_code == 404
    assert (
        _post(
            client,
            f"/api/provider/referrals/{world['theirs'].pk}/status",
            {"to_status": "accepted"},
        ).status_code
        == 404
    )
    world["theirs"].refresh_from_db()
    assert world["theirs"].status == "sent"


@pytest.mark.parametrize(
    "path",
    [
        "/api/clients?q=a",
        "/api/clients/{person_id}",
        "/api/cases/{case_id}",
        "/api/cases/{case_id}/notes",
        "/api/tasks",
    ],
)
def test_provider_credentials_are_refused_on_client_and_case_endpoints(
    world: dict[str, Any], path: str
) -> None:
    case = world["case"]
    url = path.format(person_id=applicant_of(case).pk, case_id=case.pk)
    response = world["client"].get(url)
    assert response.status_code in (403, 404), response.content


def test_provider_endpoints_are_403_for_staff_without_provider_role(
    world: dict[str, Any], caseworker: Any
) -> None:
    client = Client()
    client.force_login(caseworker)
    assert client.get("/api/provider/referrals").status_code == 403


def test_provider_endpoints_are_401_without_credentials(world: dict[str, Any]) -> None:
    assert Client().get("/api/provider/referrals").status_code == 401


def test_provider_accepts_reports_job_and_follow_ups_through_api(world: dict[str, Any]) -> None:
    client = world["client"]
    referral_id = world["mine"].pk
    response = _post(
        client, f"/api/provider/referrals/{referral_id}/status", {"to_status": "accepted"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    bad = _post(client, f"/api/provider/referrals/{referral_id}/status", {"to_status": "completed"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["code"] == "invalid_transition"
    job = {
        "employer": "Northern Hardware",
        "start_on": "2026-01-12",
        "hours_per_week": "37.5",
        "hourly_wage_cents": 1925,
        "permanence": "permanent",
        "has_benefits": True,
    }
    with freeze_time("2026-01-10 12:00"):
        response = _post(client, f"/api/provider/referrals/{referral_id}/outcomes", job)
    assert response.status_code == 201, response.content
    outcome = response.json()
    assert outcome["full_time"] is True
    assert outcome["below_minimum_wage"] is False
    assert [f["months_after_start"] for f in outcome["follow_ups"]] == [1, 3, 6, 12]
    # Follow-up tasks appear for the caseworker as each comes due (time travel).
    for moment, expected in [
        ("2026-02-12 12:00", 1),
        ("2026-04-12 12:00", 2),
        ("2026-07-12 12:00", 3),
        ("2027-01-12 12:00", 4),
    ]:
        with freeze_time(moment):
            follow_up_tasks_raise()
        assert (
            Task.objects.filter(kind="employment_follow_up", benefit_unit=world["case"]).count()
            == expected
        )
    first = outcome["follow_ups"][0]["id"]
    with freeze_time("2026-02-12 12:00"):
        response = _post(
            client,
            f"/api/provider/follow-ups/{first}",
            {"still_employed": True, "hours_per_week": "40", "hourly_wage_cents": 2000},
        )
    assert response.status_code == 200, response.content
    assert response.json()["hourly_wage_cents"] == 2000


def test_provider_follow_up_is_404_when_job_came_from_another_providers_referral(
    world: dict[str, Any], partner: Any
) -> None:
    theirs_user = make_provider_user(provider=world["theirs"].provider, partner=partner)
    other = Client()
    other.force_login(theirs_user)
    _post(other, f"/api/provider/referrals/{world['theirs'].pk}/status", {"to_status": "accepted"})
    with freeze_time("2026-01-10 12:00"):
        response = _post(
            other,
            f"/api/provider/referrals/{world['theirs'].pk}/outcomes",
            {
                "employer": "X",
                "start_on": "2026-01-12",
                "hours_per_week": "10",
                "hourly_wage_cents": 1800,
                "permanence": "seasonal",
                "has_benefits": False,
            },
        )
    assert response.status_code == 201, response.content
    follow_up_id = response.json()["follow_ups"][0]["id"]
    with freeze_time("2026-02-12 12:00"):
        refused = _post(
            world["client"], f"/api/provider/follow-ups/{follow_up_id}", {"still_employed": False}
        )
    assert refused.status_code == 404
    assert OutcomeFollowUp.objects.get(pk=follow_up_id).recorded_on is None


def test_provider_referral_list_filters_by_status_and_refuses_unknown_status(
    world: dict[str, Any],
) -> None:
    client = world["client"]
    assert [r["id"] for r in client.get("/api/provider/referrals?status=sent").json()] == [
        world["mine"].pk
    ]
    assert client.get("/api/provider/referrals?status=accepted").json() == []
    assert client.get("/api/provider/referrals?status=bogus%00").status_code == 422
