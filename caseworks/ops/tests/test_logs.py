from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from caseworks.accounts.tests.factories import TEST_PASSWORD
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.ops.logs import drop_client_data, logging_config, redact_database_values

from .conftest import CapturedLog

pytestmark = pytest.mark.django_db

VALID_SIN = "046454286"


def test_request_line_carries_staff_context_and_no_client_data(
    client: Client, partner: Any, caseworker: Any, request_log: CapturedLog
) -> None:
    person = PersonFactory(
        delivery_partner=partner, first_name="Philomène", last_name="Quirion", sin=VALID_SIN
    )
    client.force_login(caseworker)
    response = client.get(reverse("clients:detail", args=[person.pk]), HTTP_X_REQUEST_ID="x")
    assert response.status_code == 200
    assert "Quirion" in response.content.decode()  # the page shows it; the log must not

    (line,) = request_log.events("request_finished")
    assert line["request_id"]
    assert line["user_id"] == caseworker.pk
    assert line["partner_id"] == partner.pk
    assert line["role"] == caseworker.role
    assert line["code"] == 200
    assert line["view"] == "clients:detail"
    assert line["request"] == "GET /clients/<int:person_id>/"
    assert line["level"] == "info"
    for secret in ("Philomène", "Quirion", VALID_SIN, f"/clients/{person.pk}/"):
        assert secret not in request_log.text


def test_request_line_drops_search_terms(
    client: Client, caseworker: Any, request_log: CapturedLog
) -> None:
    client.force_login(caseworker)
    assert client.get(reverse("clients:search"), {"q": "Quirion Philomène"}).status_code == 200
    (line,) = request_log.events("request_finished")
    assert line["request"] == "GET /clients/"
    assert "Quirion" not in request_log.text


def test_request_line_for_an_anonymous_visitor_has_no_staff(
    client: Client, request_log: CapturedLog
) -> None:
    client.get(reverse("login"))
    (line,) = request_log.events("request_finished")
    assert line["user_id"] is None
    assert line["partner_id"] is None
    assert line["role"] is None


def test_probes_that_pass_are_not_logged(client: Client, request_log: CapturedLog) -> None:
    assert client.get("/health/").status_code == 200
    assert request_log.events("request_finished") == []


def test_audit_stream_gets_a_line_when_an_audit_event_commits(
    partner: Any, caseworker: Any, audit_log: CapturedLog, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, last_name="Quirion", sin=VALID_SIN)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = audit_record(
            acting_user=caseworker,
            event_type=AuditEventType.PERSON_UPDATED,
            subject=person,
            delivery_partner_id=partner.pk,
            person_id=person.pk,
            extra_data={"changes": {"last_name": ["Quirion", "Tremblay"], "sin": VALID_SIN}},
        )
    (line,) = audit_log.events("audit_event")
    assert line["stream"] == "audit"
    assert line["audit_event_id"] == event.pk
    assert line["event_type"] == "person_updated"
    assert line["actor_id"] == caseworker.pk
    assert line["partner_id"] == partner.pk
    assert line["object_type"] == "clients.person"
    assert line["object_id"] == str(person.pk)
    for secret in ("Quirion", "Tremblay", VALID_SIN):
        assert secret not in audit_log.text


def test_audit_stream_gets_nothing_when_the_transaction_rolls_back(
    partner: Any, caseworker: Any, audit_log: CapturedLog, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)

    def failing_service() -> None:
        with transaction.atomic():
            audit_record(
                acting_user=caseworker,
                event_type=AuditEventType.PERSON_UPDATED,
                subject=person,
                delivery_partner_id=partner.pk,
            )
            raise RuntimeError("the service failed after writing its event")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_service()
    assert audit_log.events("audit_event") == []


def test_audit_stream_records_sign_in_failure_and_sign_out(
    client: Client, caseworker: Any, audit_log: CapturedLog
) -> None:
    client.post(reverse("login"), {"username": caseworker.username, "password": "wrong-password"})
    client.post(reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD})
    client.post(reverse("logout"))
    events = [line["event"] for line in audit_log.lines]
    assert events == ["login_failed", "login_succeeded", "logout"]
    failed, succeeded, _ = audit_log.lines
    assert failed["target_user_id"] == caseworker.pk
    assert failed["stream"] == "security"
    assert failed["ip"] == "127.0.0.1"
    assert succeeded["actor_id"] == caseworker.pk
    assert succeeded["partner_id"] == caseworker.delivery_partner_id
    assert succeeded["role"] == caseworker.role
    assert {line["realm"] for line in audit_log.lines} == {"staff"}
    # The typed username and password never reach the log.
    assert caseworker.username not in audit_log.text
    assert "wrong-password" not in audit_log.text


def test_audit_stream_records_lockout(
    client: Client, caseworker: Any, audit_log: CapturedLog
) -> None:
    for _ in range(6):
        client.post(reverse("login"), {"username": caseworker.username, "password": "wrong"})
    (first, *_) = audit_log.events("login_locked_out")
    assert first["target_user_id"] == caseworker.pk


def test_processors_drop_client_fields_query_strings_and_database_values() -> None:
    event = drop_client_data(
        None,
        "info",
        {"event": "x", "sin": VALID_SIN, "last_name": "Quirion", "request": "GET /c/?q=Quirion"},
    )
    assert event == {"event": "x", "request": "GET /c/"}
    redacted = redact_database_values(
        None,
        "error",
        {
            "event": "boom",
            "exception": 'psycopg.errors.UniqueViolation: duplicate key value violates "sin"\n'
            "DETAIL:  Key (sin, partner_id)=(046454286, 3) already exists.\n"
            "DETAIL:  Failing row contains (12, Philomène, Quirion, 1990-05-17).\n",
        },
    )
    assert VALID_SIN not in redacted["exception"]
    assert "Quirion" not in redacted["exception"]
    assert "Key (sin, partner_id)=(…) already exists" in redacted["exception"]
    assert "Failing row contains (…)" in redacted["exception"]


def test_logging_config_sends_audit_stream_to_its_file_as_json(tmp_path: Any) -> None:
    config = logging_config(
        log_format="console", level="WARNING", audit_log_file=str(tmp_path / "audit.log")
    )
    assert config["handlers"]["console"]["formatter"] == "console"
    assert config["handlers"]["audit"]["formatter"] == "json"
    assert config["handlers"]["audit"]["filename"] == str(tmp_path / "audit.log")
    assert config["loggers"]["caseworks.audit"]["propagate"] is False
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO", audit_log_file="")
