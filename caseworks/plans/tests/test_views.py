from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseworks.accounts.constants import Role
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.plans.models import ParticipationAgreement, PlanReview
from caseworks.plans.tests.factories import applicant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    return make_case(partner=partner, caseworker=caseworker)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_plans_creates_goal_activity_and_signs_agreement_through_pages(
    case: Any, caseworker: Any
) -> None:
    client = _client(caseworker)
    page = client.get(f"/plans/cases/{case.pk}/")
    assert page.status_code == 200
    assert 'id="agreement-create-form"' in page.content.decode()
    person = applicant_of(case)
    today = case.opened_on.isoformat()
    response = client.post(f"/plans/cases/{case.pk}/", {"person": person.pk, "start_on": today})
    assert response.status_code == 302
    agreement = ParticipationAgreement.objects.get(person=person)
    base = f"/plans/{agreement.pk}"
    assert (
        client.post(
            f"{base}/goals/", {"goal-category": "employment", "goal-description": "Retail job"}
        ).status_code
        == 302
    )
    goal = agreement.goals.get()
    assert (
        client.post(
            f"{base}/activities/",
            {
                "activity-goal": goal.pk,
                "activity-description": "Résumé workshop",
                "activity-start_on": today,
                "activity-responsible_party": "participant",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/sign/", {"sign-signed_on": today, "sign-signed_by": person.full_name}
        ).status_code
        == 302
    )
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert PlanReview.objects.filter(agreement=agreement, reviewed_on__isnull=True).exists()
    detail = client.get(f"{base}/")
    assert detail.status_code == 200
    assert "Résumé workshop" in detail.content.decode()
    assert ClientFileAccess.objects.filter(view_name="plans:detail", person=person).exists()


def test_agreement_sign_page_shows_error_beside_field_when_no_goal(
    case: Any, caseworker: Any
) -> None:
    client = _client(caseworker)
    person = applicant_of(case)
    client.post(
        f"/plans/cases/{case.pk}/", {"person": person.pk, "start_on": case.opened_on.isoformat()}
    )
    agreement = ParticipationAgreement.objects.get(person=person)
    response = client.post(
        f"/plans/{agreement.pk}/sign/",
        {"sign-signed_on": case.opened_on.isoformat(), "sign-signed_by": "X"},
    )
    assert response.status_code == 200
    assert "Add at least one goal" in response.content.decode()


def test_plan_pages_are_404_for_another_partner_and_403_without_capability(
    case: Any, caseworker: Any, other_caseworker: Any, users: dict[str, Any]
) -> None:
    assert _client(other_caseworker).get(f"/plans/cases/{case.pk}/").status_code == 404
    clerk = _client(users[Role.INTAKE_CLERK])
    response = clerk.post(
        f"/plans/cases/{case.pk}/",
        {"person": applicant_of(case).pk, "start_on": case.opened_on.isoformat()},
    )
    assert response.status_code == 403
    assert not ParticipationAgreement.objects.exists()
    assert _client(users[Role.PROVIDER]).get(f"/plans/cases/{case.pk}/").status_code == 403
