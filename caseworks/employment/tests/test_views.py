from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseworks.accounts.constants import Role
from caseworks.cases.tests.factories import make_case
from caseworks.employment.models import (
    EmploymentOutcome,
    ProgramSession,
    Referral,
    ServiceProvider,
    SessionAttendance,
)
from caseworks.employment.tests.factories import ServiceProviderFactory
from caseworks.plans.tests.factories import applicant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    return make_case(partner=partner, caseworker=caseworker)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _referral_post(case: Any, provider: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "referral-person": applicant_of(case).pk,
        "referral-provider": provider.pk,
        "referral-purpose": "Job search",
        "referral-information_shared": ["contact", "plan_goals"],
        "referral-consent_given": "on",
        "referral-expected_response_days": 10,
    }
    data.update(extra)
    return data


def test_referral_create_sends_referral_and_lists_it_in_history(case: Any, caseworker: Any) -> None:
    provider = ServiceProviderFactory(name="Sudbury Jobs Centre")
    client = _client(caseworker)
    response = client.post(
        f"/employment/cases/{case.pk}/referrals/", _referral_post(case, provider)
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.information_shared == ["contact", "plan_goals"]
    page = client.get(f"/employment/cases/{case.pk}/").content.decode()
    assert "Sudbury Jobs Centre" in page
    assert f'id="referral-{referral.pk}"' in page


def test_referral_create_shows_error_when_consent_missing(case: Any, caseworker: Any) -> None:
    provider = ServiceProviderFactory()
    data = _referral_post(case, provider)
    del data["referral-consent_given"]
    response = _client(caseworker).post(f"/employment/cases/{case.pk}/referrals/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "must consent" in body
    assert 'aria-invalid="true"' in body
    assert not Referral.objects.exists()


def test_outcome_create_shows_job_below_minimum_wage(case: Any, caseworker: Any) -> None:
    client = _client(caseworker)
    response = client.post(
        f"/employment/cases/{case.pk}/outcomes/",
        {
            "outcome-person": applicant_of(case).pk,
            "outcome-employer": "Corner Store",
            "outcome-start_on": case.opened_on.isoformat(),
            "outcome-hours_per_week": "12",
            "outcome-hourly_wage": "15.00",
            "outcome-permanence": "temporary",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    outcome = EmploymentOutcome.objects.get()
    assert outcome.hourly_wage_cents == 1500
    page = client.get(f"/employment/cases/{case.pk}/").content.decode()
    assert "below the minimum wage" in page
    assert "part time" in page


def test_employment_pages_are_404_for_another_partner_and_403_for_provider_logins(
    case: Any, other_caseworker: Any, users: dict[str, Any]
) -> None:
    assert _client(other_caseworker).get(f"/employment/cases/{case.pk}/").status_code == 404
    assert _client(users[Role.PROVIDER]).get(f"/employment/cases/{case.pk}/").status_code == 403
    assert _client(users[Role.PROVIDER]).get("/employment/providers/").status_code == 403


def test_providers_page_adds_provider_for_partner_admin(users: dict[str, Any]) -> None:
    client = _client(users[Role.PARTNER_ADMIN])
    response = client.post(
        "/employment/providers/",
        {"provider-name": "YMCA Employment", "provider-kind": "community_agency"},
    )
    assert response.status_code == 302
    provider = ServiceProvider.objects.get(name="YMCA Employment")
    assert provider.delivery_partner == users[Role.PARTNER_ADMIN].delivery_partner
    page = _client(users[Role.CASEWORKER]).get("/employment/providers/").content.decode()
    assert "YMCA Employment" in page
    assert 'id="provider-form"' not in page  # caseworkers read the directory, do not edit it


def test_provider_account_links_a_provider_login_when_partner_admin_submits(
    users: dict[str, Any], partner: Any
) -> None:
    provider = ServiceProviderFactory()
    login = users[Role.PROVIDER]
    admin = _client(users[Role.PARTNER_ADMIN])
    page = admin.get("/employment/providers/").content.decode()
    assert page.count('id="provider-account-form"') == 1
    response = admin.post(
        "/employment/providers/accounts/",
        {"account-username": login.username, "account-provider": provider.pk},
    )
    assert response.status_code == 302
    assert login.provider_account.provider == provider
    refused = admin.post(
        "/employment/providers/accounts/",
        {"account-username": users[Role.CASEWORKER].username, "account-provider": provider.pk},
    )
    assert refused.status_code == 200
    assert "Only a provider login" in refused.content.decode()
    assert (
        _client(users[Role.CASEWORKER])
        .post(
            "/employment/providers/accounts/",
            {"account-username": login.username, "account-provider": provider.pk},
        )
        .status_code
        == 403
    )


def test_programs_pages_create_session_register_and_record_attendance(
    partner: Any, caseworker: Any, other_caseworker: Any
) -> None:
    client = _client(caseworker)
    response = client.post(
        "/employment/programs/", {"program-name": "Résumé clinic", "program-kind": "workshop"}
    )
    assert response.status_code == 302
    program_url = response["Location"]
    response = client.post(
        program_url,
        {
            "session-starts_at": "2099-03-02T14:00",
            "session-ends_at": "2099-03-02T16:00",
            "session-capacity": 1,
            "session-location": "Room 2",
        },
    )
    assert response.status_code == 302
    session = ProgramSession.objects.get()
    first = make_case(partner=partner, caseworker=caseworker)
    second = make_case(partner=partner, caseworker=caseworker)
    ok = client.post(
        f"/employment/cases/{first.pk}/sessions/",
        {"session-session": session.pk, "session-person": applicant_of(first).pk},
    )
    assert ok.status_code == 302
    full = client.post(
        f"/employment/cases/{second.pk}/sessions/",
        {"session-session": session.pk, "session-person": applicant_of(second).pk},
    )
    assert full.status_code == 200
    assert "This session is full" in full.content.decode()
    attendance = SessionAttendance.objects.get()
    assert (
        client.post(
            f"/employment/sessions/{session.pk}/attendance/{attendance.pk}/", {"status": "attended"}
        ).status_code
        == 302
    )
    attendance.refresh_from_db()
    assert attendance.status == "attended"
    page = client.get(program_url).content.decode()
    assert "1 of 1 places taken" in page
    assert _client(other_caseworker).get(program_url).status_code == 404
