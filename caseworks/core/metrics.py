"""Prometheus counters that the domain apps count into (served by caseworks.ops at /metrics).

They live here, below every app, so that a service can count without importing the ops app,
which sits at the top of the app graph (docs/directory-structure.md). caseworks.ops.metrics
re-exports them under their old names.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import structlog
from prometheus_client import Counter, Histogram

from .errors import ApplicationError, PermissionDeniedError

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
ACCESS_LOG_WRITES = Counter(
    "caseworks_client_file_access_records",
    "Client-file views recorded in the access log, by channel (web, api).",
    ["channel"],
)
P = ParamSpec("P")
R = TypeVar("R")


def payment_run_observed(step: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Time a payment-run step and count it by outcome: success, refused (ApplicationError or
    PermissionDeniedError: bad state or role) or error (anything else, a bug or a lost
    database)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            started = time.perf_counter()
            outcome = "error"
            try:
                result = func(*args, **kwargs)
                outcome = "success"
                return result
            except (ApplicationError, PermissionDeniedError):
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
