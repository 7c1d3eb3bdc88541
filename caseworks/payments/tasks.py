"""Payment-run jobs (procrastinate). Each calls one service; the worker is
`manage.py procrastinate worker` (`make run` starts one beside the web server)."""

from __future__ import annotations

import datetime as dt

from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from caseworks.accounts.models import User

from .models import PaymentRun
from .runs import payment_run_dry_run, payment_run_release, payment_runs_stalled


@app.task(name="payments.payment_run_dry_run", queueing_lock="payment_run_dry_run")
def payment_run_dry_run_task(run_id: int, user_id: int) -> int:
    run = payment_run_dry_run(
        acting_user=User.objects.get(pk=user_id), run=PaymentRun.objects.get(pk=run_id)
    )
    return run.case_count


@app.task(name="payments.payment_run_release")
def payment_run_release_task(
    run_id: int, user_id: int, chunk_size: int = 10_000, pause_seconds: float = 0.0
) -> int:
    run = payment_run_release(
        acting_user=User.objects.get(pk=user_id),
        run=PaymentRun.objects.get(pk=run_id),
        chunk_size=chunk_size,
        pause_seconds=pause_seconds,
    )
    return run.released_count


def payment_run_release_defer(*, run: PaymentRun, user_id: int, **options: float) -> None:
    payment_run_release_task.configure(queueing_lock=f"payment_run_release_{run.pk}").defer(
        run_id=run.pk, user_id=user_id, **options
    )


def payment_runs_resume(*, stalled_after: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    """Queue the release again for every run whose release stopped (worker killed)."""
    resumed = []
    for run in PaymentRun.objects.filter(pk__in=payment_runs_stalled(stalled_after=stalled_after)):
        user_id = run.released_by_id or run.approved_by_id
        if user_id is None:
            continue
        try:
            payment_run_release_defer(run=run, user_id=user_id)
        except AlreadyEnqueued:  # a release job for this run is already waiting
            continue
        resumed.append(run.pk)
    return resumed


@app.periodic(cron="*/5 * * * *")
@app.task(name="payments.payment_runs_resume", queueing_lock="payment_runs_resume")
def payment_runs_resume_task(timestamp: int) -> int:
    """Every 5 minutes: carry on any release whose worker died (idempotent)."""
    return len(payment_runs_resume())
