from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import Client

from caseworks.clients.tests.factories import PersonFactory
from caseworks.ops import queue

pytestmark = pytest.mark.django_db


def _insert_job(*, status: str, scheduled_sql: str = "NULL", worker_id: int | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, scheduled_at,"
            f" worker_id) VALUES ('default', 'ops.test', '{{}}', %s, {scheduled_sql}, %s)"
            " RETURNING id",
            [status, worker_id],
        )
        return int(cursor.fetchone()[0])


def _insert_worker(*, heartbeat_sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO procrastinate_workers (last_heartbeat) VALUES ({heartbeat_sql})"
            " RETURNING id"
        )
        return int(cursor.fetchone()[0])


def _json(client: Client, url: str) -> tuple[int, dict[str, str]]:
    response = client.get(url, HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


def _failures(body: dict[str, str]) -> dict[str, str]:
    return {check: result for check, result in body.items() if result != "OK"}


def test_liveness_answers_200_without_login_when_database_up(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    status, body = _json(client, "/health/?format=json")
    assert status == 200
    assert any(check.startswith("Database") for check in body)


def test_readiness_answers_200_with_every_check_when_healthy(client: Client) -> None:
    status, body = _json(client, "/health/ready/")
    assert status == 200, body
    names = " ".join(body)
    for check in ("Database", "MigrationsApplied", "QueueLag", "StalledJobs", "DocumentStorage"):
        assert check in names
    assert set(body.values()) == {"OK"}


def test_readiness_answers_503_when_a_migration_is_unapplied(client: Client) -> None:
    with mock.patch(
        "caseworks.ops.health.MigrationExecutor.migration_plan",
        return_value=[(mock.Mock(), False)],
    ):
        status, body = _json(client, "/health/ready/")
    assert status == 503
    assert list(_failures(body).values()) == ["Unavailable: 1 migration(s) not applied"]
    assert client.get("/health/").status_code == 200  # liveness does not look at migrations


def test_readiness_answers_503_when_a_due_job_waits_past_the_threshold(
    client: Client, settings: Any
) -> None:
    settings.HEALTH_QUEUE_LAG_SECONDS = 300
    _insert_job(status="todo", scheduled_sql="NOW() - interval '1 hour'")
    status, body = _json(client, "/health/ready/")
    assert status == 503
    (failure,) = _failures(body).items()
    assert failure[0].startswith("QueueLag")
    assert "limit 300 s" in failure[1]


def test_readiness_ignores_jobs_scheduled_later_or_waiting_briefly(
    client: Client, settings: Any
) -> None:
    settings.HEALTH_QUEUE_LAG_SECONDS = 300
    _insert_job(status="todo", scheduled_sql="NOW() + interval '1 hour'")
    _insert_job(status="todo", scheduled_sql="NOW() - interval '1 minute'")
    _insert_job(status="failed", scheduled_sql="NOW() - interval '1 day'")
    assert 50 < (queue.oldest_todo_age_seconds() or 0) < 300
    status, body = _json(client, "/health/ready/")
    assert status == 200, body


def test_readiness_answers_503_when_a_job_runs_on_a_worker_without_heartbeat(
    client: Client,
) -> None:
    alive = _insert_worker(heartbeat_sql="NOW()")
    _insert_job(status="doing", worker_id=alive)
    assert _json(client, "/health/ready/")[0] == 200

    dead = _insert_worker(heartbeat_sql="NOW() - interval '10 minutes'")
    _insert_job(status="doing", worker_id=dead)
    status, body = _json(client, "/health/ready/")
    assert status == 503
    (failure,) = _failures(body).items()
    assert failure[0].startswith("StalledJobs")
    assert "1 job(s) on a worker that stopped" in failure[1]


def test_readiness_answers_503_when_a_payment_release_stalled(client: Client) -> None:
    with mock.patch("caseworks.ops.health.queue.stalled_payment_runs", return_value=[7]):
        status, body = _json(client, "/health/ready/")
    assert status == 503
    assert "1 payment run release(s) stalled" in next(iter(_failures(body).values()))


def test_readiness_answers_503_when_documents_table_unreadable(client: Client) -> None:
    with mock.patch(
        "caseworks.ops.health.Document.objects.order_by", side_effect=DatabaseError("boom")
    ):
        status, body = _json(client, "/health/ready/")
    assert status == 503
    assert list(_failures(body).values()) == ["Unavailable: documents table unreadable"]


def test_health_pages_never_show_client_data(client: Client, partner: Any) -> None:
    person = PersonFactory(delivery_partner=partner, last_name="Zyxwvutsrq")
    _insert_job(status="todo", scheduled_sql="NOW() - interval '1 hour'")
    html = client.get("/health/ready/").content.decode()
    assert person.last_name not in html
    assert "QueueLag" in html
