"""Staff pages of clients online, in English and French."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.clients.models import ClientFileAccess
from caseworks.messaging.models import Message, MessageThread, ReportedChange
from caseworks.messaging.services import (
    message_send_from_client,
    message_threads_escalate,
    reported_change_submit_from_client,
)
from caseworks.payments.tests.builders import active_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(partner: Any, caseworker: Any) -> Any:
    return active_case(partner=partner, actor=caseworker, first_name="Ana", last_name="Roy")


def _person(unit: Any) -> Any:
    return unit.members.get(role="applicant").person


def test_case_page_shows_the_message_marks_it_read_and_the_reply_is_sent(
    unit: Any, caseworker: Any
) -> None:
    message_send_from_client(person=_person(unit), benefit_unit=unit, body="Is my cheque late?")
    client = Client()
    client.force_login(caseworker)
    response = client.get(reverse("messaging:case", args=[unit.pk]))
    assert response.status_code == 200
    assert "Is my cheque late?" in response.content.decode()
    assert "The client is waiting for an answer." in response.content.decode()
    assert Message.objects.get().read_by_user == caseworker
    assert ClientFileAccess.objects.filter(user=caseworker, view_name="messaging:case").exists()
    response = client.post(
        reverse("messaging:case", args=[unit.pk]), {"reply-body": "No, it goes out Friday."}
    )
    assert response.status_code == 302
    thread = MessageThread.objects.get()
    assert thread.awaiting_reply_since is None
    assert thread.messages.last().author_user == caseworker
    # An empty answer: the page again with the error beside the field; nothing sent.
    response = client.post(reverse("messaging:case", args=[unit.pk]), {"reply-body": ""})
    assert response.status_code == 200
    assert Message.objects.count() == 2


def test_case_page_and_inbox_in_french(unit: Any, caseworker: Any) -> None:
    message_send_from_client(person=_person(unit), benefit_unit=unit, body="Bonjour")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(caseworker)
    page = client.get(reverse("messaging:case", args=[unit.pk])).content.decode()
    assert f"Client en ligne — dossier {unit.case_number}" in page
    assert "Le client attend une réponse." in page
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "Boîte de réception de l’équipe" in inbox or "Boîte de réception de l'équipe" in inbox
    assert "En attente de réponse (1)" in inbox
    home = client.get(reverse("home")).content.decode()
    assert "Messages des clients" in home
    assert "message en attente de la réponse de votre équipe" in home


def test_home_counter_and_supervisor_escalation_in_english(
    users: dict[str, Any], caseworker: Any, unit: Any
) -> None:
    supervisor = users[Role.SUPERVISOR]  # the partner's only supervisor
    home_url = reverse("home")
    with freeze_time("2026-12-18 10:00"):
        message_send_from_client(person=_person(unit), benefit_unit=unit, body="Help")
    with freeze_time("2026-12-23 10:00"):
        message_threads_escalate()
    client = Client()
    client.force_login(caseworker)
    home = client.get(home_url).content.decode()
    assert 'id="client-messages-count">1<' in home
    client.force_login(supervisor)
    home = client.get(home_url).content.decode()
    assert "1 not answered in time: sent to you" in home
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "Sent to a supervisor (1)" in inbox
    assert unit.case_number in inbox


def test_change_queue_and_verification_from_the_case_page(unit: Any, caseworker: Any) -> None:
    change = reported_change_submit_from_client(
        person=_person(unit),
        benefit_unit=unit,
        kind="shelter_cost",
        changed_on=unit.opened_on,
        shelter_cost_cents=90_000,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(caseworker)
    queue = client.get(reverse("messaging:changes")).content.decode()
    assert "Changements à vérifier" in queue
    assert unit.case_number in queue
    page = client.get(reverse("messaging:case", args=[unit.pk])).content.decode()
    assert "900,00" in page  # the amount in French
    url = reverse("messaging:change_decide", args=[change.pk])
    prefix = f"decide-{change.pk}"
    response = client.post(
        url,
        {
            "idempotency_key": uuid.uuid4().hex,
            f"{prefix}-status": "verified",
            f"{prefix}-reason": "",
            f"{prefix}-expected_version": change.version,
        },
    )
    assert response.status_code == 200
    assert "Motif : entrez une valeur." in response.content.decode()  # the field is named
    response = client.post(
        url,
        {
            "idempotency_key": uuid.uuid4().hex,
            f"{prefix}-status": "verified",
            f"{prefix}-reason": "Bail vu",
            f"{prefix}-expected_version": change.version,
        },
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "verified"
    assert change.circumstances_change.shelter_cost_cents == 90_000
    assert list(ReportedChange.objects.filter(status="pending")) == []
