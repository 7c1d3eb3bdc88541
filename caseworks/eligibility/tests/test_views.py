"""Determination, decision and override-approval pages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.services import application_start
from caseworks.cases.constants import CaseStatus
from caseworks.clients.tests.factories import PersonFactory
from caseworks.eligibility.constants import DecisionStatus
from caseworks.eligibility.models import Decision, Determination
from caseworks.eligibility.services import decision_make, determination_run
from caseworks.eligibility.tests.test_services import complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(partner: Any) -> Any:
    return PersonFactory(delivery_partner=partner, first_name="Marie", language_preference="fr")


@pytest.fixture
def determination(caseworker: Any, person: Any) -> Determination:
    application = complete_application(caseworker, person)
    return determination_run(acting_user=caseworker, application=application)


def test_determination_page_lays_out_budget_lines_with_amounts_and_citations(
    client: Client, caseworker: Any, determination: Determination
) -> None:
    client.force_login(caseworker)
    html = client.get(reverse("eligibility:determination", args=[determination.pk])).content
    page = html.decode()
    assert "Eligible" in page
    assert "Basic needs" in page
    assert "O. Reg. 134/98, s. 41(1)" in page
    assert "$433.00" in page
    assert 'id="decision-form"' in page


def test_determination_page_lists_missing_information_with_links_to_fix_it(
    client: Client, caseworker: Any, person: Any
) -> None:
    application = application_start(acting_user=caseworker, applicant=person)
    client.force_login(caseworker)
    response = client.post(reverse("eligibility:run", args=[application.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Insufficient information" in page
    assert reverse("applications:verification", args=[application.pk]) in page
    assert reverse("applications:edit", args=[application.pk]) + "#shelter" in page
    assert reverse("applications:edit", args=[application.pk]) + "#consent" in page


def test_decide_grant_links_notices_in_client_language_first(
    client: Client, caseworker: Any, determination: Determination
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("eligibility:decide", args=[determination.pk]),
        {"idempotency_key": uuid.uuid4().hex, "outcome": "grant", "effective_on": "2026-01-15"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    page = client.get(response.url).content.decode()
    assert page.index("notice-fr") < page.index("notice-en")
    assert reverse("documents:download", args=[decision.notice_fr_id]) in page
    assert "2026-01" in page


def test_decide_refuses_impossible_date_and_saves_nothing(
    client: Client, caseworker: Any, determination: Determination
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("eligibility:decide", args=[determination.pk]),
        {"idempotency_key": uuid.uuid4().hex, "outcome": "grant", "effective_on": "2026-02-30"},
    )
    assert response.status_code == 422
    assert 'id="id_effective_on_error"' in response.content.decode()
    assert Decision.objects.count() == 0


def test_override_needs_reason_then_awaits_supervisor_who_approves_from_the_queue(
    client: Client, users: dict[str, Any], determination: Determination
) -> None:
    worker, supervisor = users[Role.CASEWORKER], users[Role.SUPERVISOR]
    client.force_login(worker)
    url = reverse("eligibility:decide", args=[determination.pk])
    response = client.post(
        url, {"idempotency_key": uuid.uuid4().hex, "outcome": "deny", "effective_on": "2026-01-15"}
    )
    assert response.status_code == 422
    assert 'id="id_override_reason_error"' in response.content.decode()
    assert Decision.objects.count() == 0
    response = client.post(
        url,
        {
            "idempotency_key": uuid.uuid4().hex,
            "outcome": "deny",
            "effective_on": "2026-01-15",
            "override_reason": "Moved away",
        },
    )
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL
    assert "Awaiting supervisor approval" in client.get(response.url).content.decode()
    assert client.get(reverse("eligibility:approvals")).status_code == 403

    client.force_login(supervisor)
    queue = client.get(reverse("eligibility:approvals")).content.decode()
    assert "Moved away" in queue
    review = reverse("eligibility:review", args=[decision.pk])
    response = client.post(review, {"decision": "reject"})
    assert response.status_code == 422
    assert 'id="id_comment_error"' in response.content.decode()
    response = client.post(review, {"decision": "approve"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FINAL
    assert decision.benefit_unit.status == CaseStatus.DENIED
    assert "Moved away" not in client.get(reverse("eligibility:approvals")).content.decode()


def test_pages_answer_404_for_another_partners_records(
    client: Client, other_caseworker: Any, determination: Determination, caseworker: Any
) -> None:
    decision = decision_make(
        acting_user=caseworker, determination=determination, outcome="deny", override_reason="x"
    )
    client.force_login(other_caseworker)
    application_id = determination.application_id
    assert client.post(reverse("eligibility:run", args=[application_id])).status_code == 404
    for name, pk in (("determination", determination.pk), ("decision", decision.pk)):
        assert client.get(reverse(f"eligibility:{name}", args=[pk])).status_code == 404
    assert (
        client.post(
            reverse("eligibility:decide", args=[determination.pk]),
            {"idempotency_key": uuid.uuid4().hex, "outcome": "grant"},
        ).status_code
        == 404
    )
    other_supervisor = UserFactory(
        role=Role.SUPERVISOR, delivery_partner=other_caseworker.delivery_partner
    )
    client.force_login(other_supervisor)
    assert (
        client.post(
            reverse("eligibility:review", args=[decision.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    queue = client.get(reverse("eligibility:approvals")).content.decode()
    assert reverse("eligibility:decision", args=[decision.pk]) not in queue
    assert Determination.objects.count() == 1
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL


@pytest.mark.parametrize(
    ("role", "name", "method"),
    [
        (Role.INTAKE_CLERK, "run", "post"),
        (Role.AUDITOR, "run", "post"),
        (Role.AUDITOR, "decide", "post"),
        (Role.EMPLOYMENT_CASEWORKER, "decide", "post"),
        (Role.CASEWORKER, "review", "post"),
        (Role.CASEWORKER, "approvals", "get"),
        (Role.PARTNER_ADMIN, "determination", "get"),
    ],
)
def test_pages_answer_403_for_roles_without_the_capability(
    client: Client,
    users: dict[str, Any],
    determination: Determination,
    role: str,
    name: str,
    method: str,
) -> None:
    args = {
        "run": [determination.application_id],
        "decide": [determination.pk],
        "determination": [determination.pk],
        "review": [1],
        "approvals": [],
    }[name]
    client.force_login(users[role])
    data = {"idempotency_key": uuid.uuid4().hex} if method == "post" else None
    response = getattr(client, method)(reverse(f"eligibility:{name}", args=args), data)
    assert response.status_code == 403
    assert Decision.objects.count() == 0


def test_decide_replayed_with_the_same_key_decides_once_and_answers_the_first_result(
    client: Client, caseworker: Any, determination: Determination
) -> None:
    client.force_login(caseworker)
    url = reverse("eligibility:decide", args=[determination.pk])
    data = {"idempotency_key": uuid.uuid4().hex, "outcome": "grant", "effective_on": "2026-01-15"}
    first = client.post(url, data)
    replay = client.post(url, data)
    assert first.status_code == replay.status_code == 302
    assert replay.url == first.url
    assert Decision.objects.count() == 1
    assert client.post(url, {"outcome": "grant", "effective_on": "2026-01-15"}).status_code == 400
