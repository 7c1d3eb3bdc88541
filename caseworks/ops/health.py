"""Health and readiness (django-health-check).

* `/health/` (liveness): the process answers and PostgreSQL answers `SELECT 1`.
* `/health/ready/` (readiness): that, plus migrations applied, the task queue moving (no due job
  waiting past HEALTH_QUEUE_LAG_SECONDS), no job on a dead worker, no payment-run release
  stalled past HEALTH_PAYMENT_RUN_STALLED_SECONDS, and the document storage readable.

Both answer without signing in, 200 when everything passes and 503 otherwise, as HTML, or JSON
with `?format=json` / `Accept: application/json`. The messages name counts and thresholds only,
never a client.

The checks that query the database run in the request's own thread (`thread_sensitive`), on
the request's connection, so a probe never opens a new connection that nobody closes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.functions import Length
from django.http import HttpRequest, HttpResponse
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from caseworks.documents.models import Document

from . import queue


@dataclasses.dataclass
class _DatabaseCheck(HealthCheck):
    """A check whose probe is synchronous Django ORM/SQL code."""

    async def run(self) -> None:
        await sync_to_async(self.probe, thread_sensitive=True)()

    def probe(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class MigrationsApplied(_DatabaseCheck):
    alias: str = "default"

    def probe(self) -> None:
        executor = MigrationExecutor(connections[self.alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")


@dataclasses.dataclass
class QueueLag(_DatabaseCheck):
    """The oldest due procrastinate job has waited less than the limit (a worker is working)."""

    def probe(self) -> None:
        limit = settings.HEALTH_QUEUE_LAG_SECONDS
        try:
            waited = queue.oldest_todo_age_seconds()
        except DatabaseError as exc:
            raise ServiceUnavailable("task queue tables unreadable") from exc
        if waited is not None and waited > limit:
            raise ServiceUnavailable(
                f"oldest job has waited {waited:.0f} s (limit {limit} s): is a worker running?"
            )


@dataclasses.dataclass
class StalledJobs(_DatabaseCheck):
    """No job is 'doing' on a worker without heartbeat, and no payment release is stuck."""

    def probe(self) -> None:
        try:
            jobs = queue.stalled_job_count(heartbeat_seconds=settings.HEALTH_STALLED_WORKER_SECONDS)
            runs = queue.stalled_payment_runs(seconds=settings.HEALTH_PAYMENT_RUN_STALLED_SECONDS)
        except DatabaseError as exc:
            raise ServiceUnavailable("task queue tables unreadable") from exc
        problems = []
        if jobs:
            problems.append(f"{jobs} job(s) on a worker that stopped")
        if runs:
            problems.append(f"{len(runs)} payment run release(s) stalled")
        if problems:
            raise ServiceUnavailable("; ".join(problems))


@dataclasses.dataclass
class DocumentStorage(_DatabaseCheck):
    """The documents table can be read (sizes only, never content); with DOCUMENT_STORAGE=s3
    the bucket answers too."""

    def probe(self) -> None:
        try:
            Document.objects.order_by().annotate(stored=Length("content")).values_list(
                "pk", "stored"
            ).first()
        except DatabaseError as exc:
            raise ServiceUnavailable("documents table unreadable") from exc
        if getattr(settings, "DOCUMENT_STORAGE", "database") == "s3":
            self._probe_object_storage()

    @staticmethod
    def _probe_object_storage() -> None:
        from caseworks.documents.storage import document_s3_storage  # noqa: PLC0415  # boto3

        try:
            document_s3_storage().exists("health-check/probe")
        except Exception as exc:  # boto3 raises many kinds: each means unavailable
            raise ServiceUnavailable("document object storage unreachable") from exc


LIVENESS_CHECKS: tuple[Any, ...] = (Database,)
READINESS_CHECKS: tuple[Any, ...] = (
    Database,
    MigrationsApplied,
    QueueLag,
    StalledJobs,
    DocumentStorage,
)


class HealthView(HealthCheckView):
    """django-health-check's view, answering 503 (not 500) when a check fails: a load balancer
    and a person both read it as "take this server out", not as a crash."""

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response


liveness_view = HealthView.as_view(checks=LIVENESS_CHECKS)
readiness_view = HealthView.as_view(checks=READINESS_CHECKS)
