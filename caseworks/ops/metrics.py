"""Prometheus metrics: django-prometheus' request metrics plus Caseworks' own.

Counters and histograms live in the process that counts them. Under gunicorn with several
workers set PROMETHEUS_MULTIPROC_DIR (an empty folder, wiped before gunicorn starts) so that
every worker writes its samples there and `/metrics` adds them up (prometheus_client's
multiprocess mode; see docs/observability.md). The queue figures are read from PostgreSQL at
scrape time (`QueueCollector`), so they are right in any process.

`/metrics` answers only to METRICS_ALLOWED_IPS (the connecting address, never a forwarded
header) or to `Authorization: Bearer <METRICS_TOKEN>`; anyone else gets 403.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator
from typing import Any

import structlog
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

# Re-exported (listed in __all__): the counters the domain apps count into live in core, below
# every app (docs/directory-structure.md).
from caseworks.core.metrics import (
    ACCESS_LOG_WRITES,
    PAYMENT_RUN_SECONDS,
    PAYMENT_RUNS,
    payment_run_observed,
)

from . import queue

__all__ = [
    "ACCESS_LOG_WRITES",
    "AUDIT_EVENTS",
    "LOGIN_FAILURES",
    "LOGIN_LOCKOUTS",
    "PAYMENT_RUNS",
    "PAYMENT_RUN_SECONDS",
    "QueueCollector",
    "metrics_allowed",
    "metrics_view",
    "payment_run_observed",
    "process_registry",
]

logger = structlog.get_logger("caseworks.ops")

LOGIN_FAILURES = Counter("caseworks_login_failures", "Failed sign-ins.")
LOGIN_LOCKOUTS = Counter(
    "caseworks_login_lockouts", "Sign-ins refused by django-axes (account and address locked)."
)
AUDIT_EVENTS = Counter(
    "caseworks_audit_events", "Audit events committed, by event type.", ["event_type"]
)


class QueueCollector(Collector):
    """procrastinate's queue, read from its tables at each scrape (one short query each)."""

    def describe(self) -> list[Any]:
        return []  # no query when registered; the metrics appear at the first scrape

    def collect(self) -> Iterator[Any]:
        jobs = GaugeMetricFamily(
            "caseworks_queue_jobs",
            "procrastinate jobs by queue and status (todo = waiting, failed = failures kept).",
            labels=["queue", "status"],
        )
        oldest = GaugeMetricFamily(
            "caseworks_queue_oldest_todo_age_seconds",
            "How long the oldest job that is due has been waiting (0 when none is).",
        )
        stalled = GaugeMetricFamily(
            "caseworks_queue_stalled_jobs",
            "Jobs in 'doing' whose worker stopped sending heartbeats.",
        )
        runs = GaugeMetricFamily(
            "caseworks_payment_runs_stalled",
            "Payment runs whose release stopped moving (worker died, not yet resumed).",
        )
        errors = GaugeMetricFamily(
            "caseworks_queue_scrape_error", "1 when the queue tables could not be read."
        )
        try:
            for queue_name, status, count in queue.job_counts():
                jobs.add_metric([queue_name, status], count)
            oldest.add_metric([], queue.oldest_todo_age_seconds() or 0.0)
            stalled.add_metric(
                [],
                queue.stalled_job_count(heartbeat_seconds=settings.HEALTH_STALLED_WORKER_SECONDS),
            )
            runs.add_metric(
                [],
                len(
                    queue.stalled_payment_runs(seconds=settings.HEALTH_PAYMENT_RUN_STALLED_SECONDS)
                ),
            )
        except DatabaseError:
            logger.warning("queue_metrics_unavailable")
            errors.add_metric([], 1)
            yield errors
            return
        errors.add_metric([], 0)
        yield from (jobs, oldest, stalled, runs, errors)


_DATABASE_REGISTRY = CollectorRegistry(auto_describe=False)
_DATABASE_REGISTRY.register(QueueCollector())


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    # REMOTE_ADDR is the connecting peer: behind a proxy that is the proxy, so scrape the app
    # servers directly (or use the token), never trust X-Forwarded-For here.
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


def process_registry() -> CollectorRegistry:
    """This process's metrics, or every gunicorn worker's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain")
    body = generate_latest(process_registry()) + generate_latest(_DATABASE_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
