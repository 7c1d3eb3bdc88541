"""Read-only queries on procrastinate's tables (procrastinate 3.x schema) and on payment runs,
shared by the readiness checks and the queue metrics."""

from __future__ import annotations

import datetime as dt

from django.db import connection

# A job is due when it has no schedule or its time has come; it has waited since then, or since
# it was deferred (procrastinate records a 'deferred' / 'deferred_for_retry' event).
_OLDEST_TODO_SQL = """
SELECT EXTRACT(EPOCH FROM (NOW() - MIN(COALESCE(job.scheduled_at, deferred.at))))
  FROM procrastinate_jobs job
  LEFT JOIN LATERAL (
       SELECT MAX(event.at) AS at
         FROM procrastinate_events event
        WHERE event.job_id = job.id AND event.type IN ('deferred', 'deferred_for_retry')
  ) deferred ON TRUE
 WHERE job.status = 'todo' AND (job.scheduled_at IS NULL OR job.scheduled_at <= NOW())
"""

# procrastinate's own definition of a stalled job (select_stalled_jobs_by_heartbeat): 'doing'
# with no worker left, or a worker whose last heartbeat is older than the limit.
_STALLED_SQL = """
SELECT COUNT(*)
  FROM procrastinate_jobs job
  LEFT JOIN procrastinate_workers worker ON worker.id = job.worker_id
 WHERE job.status = 'doing'
   AND (worker.id IS NULL OR worker.last_heartbeat < NOW() - make_interval(secs => %s))
"""

_COUNTS_SQL = """
SELECT queue_name, status::text, COUNT(*) FROM procrastinate_jobs GROUP BY queue_name, status
"""


def oldest_todo_age_seconds() -> float | None:
    """Seconds the oldest due job has waited for a worker; None when nothing is waiting."""
    with connection.cursor() as cursor:
        cursor.execute(_OLDEST_TODO_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else max(float(row[0]), 0.0)


def stalled_job_count(*, heartbeat_seconds: float) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_STALLED_SQL, [heartbeat_seconds])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def job_counts() -> list[tuple[str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL)
        return [(str(queue), str(status), int(count)) for queue, status, count in cursor]


def stalled_payment_runs(*, seconds: float) -> list[int]:
    # payments.runs imports caseworks.ops.metrics, which imports this module: import cycle.
    from caseworks.payments.runs import payment_runs_stalled  # noqa: PLC0415

    return payment_runs_stalled(stalled_after=dt.timedelta(seconds=seconds))
