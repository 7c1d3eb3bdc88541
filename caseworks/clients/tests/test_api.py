"""The clients API: partner-scoped, SIN masked, every read logged, errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db

VALID_SIN = "046 454 286"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_client_detail_masks_sin_and_logs_access_when_caseworker_reads(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, sin="046454286")
    response = _client(caseworker).get(f"/api/clients/{person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["sin_last3"] == "286"
    assert "sin" not in body
    assert "046454286" not in response.content.decode()
    access = ClientFileAccess.objects.get(person=person)
    assert (access.user, access.channel, access.view_name) == (
        caseworker,
        "api",
        "api:client_detail",
    )


def test_client_detail_returns_404_and_logs_nothing_when_person_belongs_to_other_partner(
    partner: Any, other_caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    response = _client(other_caseworker).get(f"/api/clients/{person.pk}")
    assert response.status_code == 404
    assert response.json()["detail"][0]["code"] == "not_found"
    assert not ClientFileAccess.objects.exists()


def test_client_detail_returns_401_when_not_logged_in(partner: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    response = Client().get(f"/api/clients/{person.pk}")
    assert response.status_code == 401
    assert response.json()["detail"][0]["code"] == "not_authenticated"


def test_client_search_returns_only_own_partner_when_names_match_in_both(
    partner: Any, other_partner: Any, caseworker: Any
) -> None:
    mine = PersonFactory(delivery_partner=partner, first_name="Marie", last_name="Tremblay")
    PersonFactory(delivery_partner=other_partner, first_name="Marie", last_name="Tremblay")
    response = _client(caseworker).get("/api/clients", {"q": "trem mar"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [mine.pk]
    assert "sin" not in response.json()[0]


def test_client_create_returns_201_and_audits_when_input_valid(caseworker: Any) -> None:
    response = _client(caseworker).post(
        "/api/clients",
        {"first_name": "Léa", "last_name": "Côté", "date_of_birth": "1988-02-03", "sin": VALID_SIN},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sin_last3"] == "286"
    assert "sin" not in body
    person = Person.objects.get(pk=body["id"])
    assert person.delivery_partner_id == caseworker.delivery_partner_id
    assert AuditEvent.objects.filter(event_type="person_created", person_id=person.pk).count() == 1


def test_client_create_returns_409_with_duplicates_when_same_name_and_birth_date_elsewhere(
    other_partner: Any, caseworker: Any
) -> None:
    PersonFactory(
        delivery_partner=other_partner,
        first_name="Léa",
        last_name="Côté",
        date_of_birth="1988-02-03",
    )
    payload = {"first_name": "Lea", "last_name": "Cote", "date_of_birth": "1988-02-03"}
    response = _client(caseworker).post("/api/clients", payload, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"][0]["code"] == "possible_duplicate"
    assert body["duplicates"][0]["delivery_partner_name"] == other_partner.name
    # Another partner's file is not identified, only its partner named.
    assert body["duplicates"][0]["person_id"] is None
    assert Person.objects.count() == 1

    payload["acknowledge_possible_duplicates"] = True  # type: ignore[assignment]
    again = _client(caseworker).post("/api/clients", payload, content_type="application/json")
    assert again.status_code == 201
    assert AuditEvent.objects.filter(event_type="duplicate_warning_overridden").count() == 1


def test_client_create_returns_422_naming_sin_when_check_digit_wrong(caseworker: Any) -> None:
    response = _client(caseworker).post(
        "/api/clients",
        {"first_name": "A", "last_name": "B", "date_of_birth": "1988-02-03", "sin": "123456789"},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "sin"
    assert "check digit" in error["message"]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_client_create_returns_422_naming_field_when_date_is_malformed(caseworker: Any) -> None:
    response = _client(caseworker).post(
        "/api/clients",
        {"first_name": "A", "last_name": "B", "date_of_birth": "03/02/1988"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "date_of_birth"


def test_client_create_returns_403_when_role_is_auditor(users: dict[str, Any]) -> None:
    response = _client(users["auditor"]).post(
        "/api/clients",
        {"first_name": "A", "last_name": "B", "date_of_birth": "1988-02-03"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"][0]["code"] == "permission_denied"


def test_client_update_changes_only_sent_fields_when_patch_valid(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, phone="416-555-0100", city="Toronto")
    response = _client(caseworker).patch(
        f"/api/clients/{person.pk}", {"phone": "416-555-0199"}, content_type="application/json"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.phone, person.city) == ("416-555-0199", "Toronto")
    event = AuditEvent.objects.get(event_type="person_updated")
    assert event.extra_data["changes"] == {"phone": {"old": "416-555-0100", "new": "416-555-0199"}}


def test_client_update_returns_404_when_person_belongs_to_other_partner(
    partner: Any, other_caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, city="Toronto")
    response = _client(other_caseworker).patch(
        f"/api/clients/{person.pk}", {"city": "Ottawa"}, content_type="application/json"
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.city == "Toronto"


def test_client_access_log_lists_viewers_when_auditor_asks(
    partner: Any, users: dict[str, Any], caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    _client(caseworker).get(f"/api/clients/{person.pk}")
    response = _client(users["auditor"]).get(f"/api/clients/{person.pk}/access-log")
    assert response.status_code == 200
    rows = response.json()
    assert [(r["user_id"], r["channel"]) for r in rows] == [(caseworker.pk, "api")]


def test_client_access_log_returns_403_when_caseworker_asks(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    response = _client(caseworker).get(f"/api/clients/{person.pk}/access-log")
    assert response.status_code == 403
