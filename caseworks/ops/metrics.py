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

import functools
import hmac
import os
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import structlog
from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from caseworks.core.errors import ApplicationError

from . import queue

logger = structlog.get_logger("caseworks.ops")

PAYMENT_RUN_SECONDS = Histogram(
    "caseworks_payment_run_duration_seconds",
    "Time taken by a payment run's dry run or release, by outcome.",
    ["step", "outcome"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200),
)
PAYMENT_RUNS = Counter(
    "caseworks_payment_runs",
    "Payment-run dry runs and releases, by outcome (success, refused, error).",
    ["step", "outcome"],
)
LOGIN_FAILURES = Counter("caseworks_login_failures", "Failed sign-ins.")
LOGIN_LOCKOUTS = Counter(
    "caseworks_login_lockouts", "Sign-ins refused by django-axes (account and address locked)."
)
ACCESS_LOG_WRITES = Counter(
    "caseworks_client_file_access_records",
    "Client-file views recorded in the access log, by channel (web, api).",
    ["channel"],
)
AUDIT_EVENTS = Counter(
    "caseworks_audit_events", "Audit events committed, by event type.", ["event_type"]
)

P = ParamSpec("P")
R = TypeVar("R")


def payment_run_observed(step: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Time a payment-run step and count it by outcome: success, refused (an ApplicationError:
    bad state or role) or error (anything else, a bug or a lost database)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            started = time.perf_counter()
            outcome = "error"
            try:
                result = func(*args, **kwargs)
                outcome = "success"
                return result
            except ApplicationError:
                outcome = "refused"
                raise
            finally:
                seconds = time.perf_counter() - started
                PAYMENT_RUN_SECONDS.labels(step, outcome).observe(seconds)
                PAYMENT_RUNS.labels(step, outcome).inc()
                run = kwargs.get("run")
                logger.info(
                    "payment_run_step",
                    step=step,
                    outcome=outcome,
                    run_id=getattr(run, "pk", None),
                    duration_s=round(seconds, 3),
                )

        return wrapper

    return decorate


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
