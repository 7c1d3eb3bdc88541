from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from prometheus_client import REGISTRY

from caseworks.accounts.tests.factories import TEST_PASSWORD
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError
from caseworks.ops.metrics import payment_run_observed
from caseworks.payments import runs

pytestmark = pytest.mark.django_db

OWN_METRICS = (
    "caseworks_payment_run_duration_seconds",
    "caseworks_payment_runs_total",
    "caseworks_login_failures_total",
    "caseworks_login_lockouts_total",
    "caseworks_client_file_access_records_total",
    "caseworks_audit_events_total",
    "caseworks_queue_jobs",
    "caseworks_queue_oldest_todo_age_seconds",
    "caseworks_queue_stalled_jobs",
    "caseworks_payment_runs_stalled",
    "caseworks_queue_scrape_error",
)


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_refused_from_an_address_not_allowed(client: Client) -> None:
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"caseworks_" not in response.content


def test_metrics_refused_with_a_forwarded_header_claiming_localhost(client: Client) -> None:
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403


def test_metrics_served_to_localhost_with_django_and_own_metrics(client: Client) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status)"
            " VALUES ('payments', 'ops.test', 'failed')"
        )
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    for name in OWN_METRICS:
        assert name in body, name
    assert "django_http_requests_latency_seconds_by_view_method" in body
    assert 'caseworks_queue_jobs{queue="payments",status="failed"} 1.0' in body
    assert "caseworks_queue_scrape_error 0.0" in body


def test_metrics_served_with_the_bearer_token_from_anywhere(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    allowed = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus",
    )
    assert allowed.status_code == 200
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403


def test_payment_run_steps_are_timed_and_counted_by_outcome() -> None:
    @payment_run_observed("dry_run")
    def refused() -> None:
        raise ApplicationError("not now", field="status")

    @payment_run_observed("dry_run")
    def succeeded() -> int:
        return 3

    before_refused = _sample("caseworks_payment_runs_total", step="dry_run", outcome="refused")
    before_ok = _sample("caseworks_payment_runs_total", step="dry_run", outcome="success")
    before_timed = _sample(
        "caseworks_payment_run_duration_seconds_count", step="dry_run", outcome="success"
    )
    with pytest.raises(ApplicationError):
        refused()
    assert succeeded() == 3
    assert _sample("caseworks_payment_runs_total", step="dry_run", outcome="refused") == (
        before_refused + 1
    )
    assert _sample("caseworks_payment_runs_total", step="dry_run", outcome="success") == (
        before_ok + 1
    )
    assert _sample(
        "caseworks_payment_run_duration_seconds_count", step="dry_run", outcome="success"
    ) == (before_timed + 1)


def test_payment_run_services_are_instrumented() -> None:
    assert runs.payment_run_dry_run.__wrapped__  # type: ignore[attr-defined]
    assert runs.payment_run_release.__wrapped__  # type: ignore[attr-defined]


def test_client_file_views_are_counted(client: Client, partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    before = _sample("caseworks_client_file_access_records_total", channel="web")
    client.force_login(caseworker)
    assert client.get(reverse("clients:detail", args=[person.pk])).status_code == 200
    assert _sample("caseworks_client_file_access_records_total", channel="web") == before + 1


def test_failed_sign_ins_and_lockouts_are_counted(client: Client, caseworker: Any) -> None:
    failures = _sample("caseworks_login_failures_total")
    lockouts = _sample("caseworks_login_lockouts_total")
    for _ in range(5):
        client.post(reverse("login"), {"username": caseworker.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": caseworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429  # locked out (django-axes)
    assert _sample("caseworks_login_failures_total") >= failures + 5
    assert _sample("caseworks_login_lockouts_total") > lockouts
