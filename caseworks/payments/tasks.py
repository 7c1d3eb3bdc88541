"""Payment-run jobs (procrastinate). Each calls one service; the worker is
`manage.py procrastinate worker` (`make run` starts one beside the web server)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from caseworks.accounts.models import User
from caseworks.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from caseworks.partners.models import DeliveryPartner

from .bank_details import bank_details_run_guard
from .constants import DRY_RUN_CHUNK, RunStatus
from .controls import payment_run_dry_run_failed, require_approver
from .models import PaymentRun
from .run_states import run_transition_check
from .services.run_release import payment_run_release, payment_runs_stalled
from .services.runs import payment_run_dry_run, payment_run_prepare

logger = logging.getLogger(__name__)


# Locks are per run (one partner's month), never province-wide: `queueing_lock` keeps one job of
# a kind waiting per run; `lock` runs a run's dry runs one after the other (the resume below
# fails a dead worker's job first, which frees its lock).
def _dry_run_lock(run_id: int) -> str:
    return f"payment_run_dry_run_{run_id}"


@app.task(name="payments.payment_run_dry_run")
def payment_run_dry_run_task(run_id: int, user_id: int, chunk_size: int = DRY_RUN_CHUNK) -> int:
    """The dry run; a refusal or a crash is recorded on the run (the page shows it) with an
    alert to the partner's supervisors, never left as a silent draft."""
    try:
        run = payment_run_dry_run(
            acting_user=User.objects.get(pk=user_id),
            run=PaymentRun.objects.get(pk=run_id),
            chunk_size=chunk_size,
        )
    except (ApplicationError, PermissionDeniedError) as exc:
        payment_run_dry_run_failed(run_id=run_id, error=exc.message)
        return 0
    except Exception as exc:  # a bug: recorded and alerted, then surfaced to the queue
        payment_run_dry_run_failed(run_id=run_id, error=f"{type(exc).__name__}: {exc}"[:500])
        raise
    return run.case_count


def payment_run_dry_run_defer(*, run: PaymentRun, user_id: int) -> None:
    """Queue the run's dry run; one waits at a time per run (ConflictError otherwise)."""
    try:
        payment_run_dry_run_task.configure(
            queueing_lock=_dry_run_lock(run.pk), lock=f"payment_run_{run.pk}"
        ).defer(run_id=run.pk, user_id=user_id)
    except AlreadyEnqueued as exc:
        raise ConflictError(
            _("A dry run of this month is already queued; its figures appear when it ends."),
            field="benefit_month",
        ) from exc


def _prepare_and_defer(
    *, acting_user: User, delivery_partner: DeliveryPartner, benefit_month: dt.date
) -> PaymentRun:
    run = payment_run_prepare(
        acting_user=acting_user, delivery_partner=delivery_partner, benefit_month=benefit_month
    )
    payment_run_dry_run_defer(run=run, user_id=int(acting_user.pk))
    return run


@transaction.atomic(durable=True)
def payment_run_prepare_queue(
    *, acting_user: User, delivery_partner: DeliveryPartner, benefit_month: dt.date
) -> PaymentRun:
    """Prepare the month and queue its dry run in ONE transaction (procrastinate writes its
    job through Django's connection): a queue refusal leaves no draft without a job."""
    return _prepare_and_defer(
        acting_user=acting_user, delivery_partner=delivery_partner, benefit_month=benefit_month
    )


@transaction.atomic(durable=True)
def payment_run_redo_queue(*, acting_user: User, run: PaymentRun) -> PaymentRun:
    """A new dry run of a run not yet approved (resolves the cases listed as not calculated)."""
    return _prepare_and_defer(
        acting_user=acting_user,
        delivery_partner=run.delivery_partner,
        benefit_month=run.benefit_month,
    )


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
    try:
        # No `lock` here: a killed worker's job keeps its lock while 'doing', and the resumed
        # release must run at once (it is safe beside another: each chunk locks the run row).
        payment_run_release_task.configure(queueing_lock=f"payment_run_release_{run.pk}").defer(
            run_id=run.pk, user_id=user_id, **options
        )
    except AlreadyEnqueued as exc:
        raise ConflictError(
            _("The release of this run is already queued; the payments are being issued."),
            field="status",
        ) from exc


def payment_run_release_queue(*, acting_user: User, run: PaymentRun) -> PaymentRun:
    """Check who asks and the run's state, then queue its release (ConflictError when it is
    released or already queued: repeated clicks answer with a message, never twice)."""
    require_approver(acting_user, run)
    run.refresh_from_db(fields=["status"])
    if run.status == RunStatus.RELEASED:
        raise ConflictError(_("This run is already released."), field="status")
    run_transition_check(run, RunStatus.RELEASING)
    if run.status == RunStatus.APPROVED:  # the worker checks again (runs._release_start)
        bank_details_run_guard(acting_user=acting_user, run=run)
    payment_run_release_defer(run=run, user_id=int(acting_user.pk))
    return run


# A dry run's jobs: waiting or running, and whether the worker running it is gone (no worker row
# or no heartbeat for the limit: procrastinate's own definition of a stalled job).
_DRY_RUN_JOBS_SQL = """
SELECT job.id, job.status::text,
       (job.status = 'doing'
        AND (worker.id IS NULL
             OR worker.last_heartbeat < NOW() - make_interval(secs => %s))) AS stalled
  FROM procrastinate_jobs job
  LEFT JOIN procrastinate_workers worker ON worker.id = job.worker_id
 WHERE job.task_name = 'payments.payment_run_dry_run'
   AND (job.args->>'run_id')::bigint = %s
   AND job.status IN ('todo', 'doing')
"""


def _dry_run_jobs(run_id: int, heartbeat_seconds: float) -> list[tuple[int, str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(_DRY_RUN_JOBS_SQL, [heartbeat_seconds, run_id])
        return [(int(i), str(status), bool(stalled)) for i, status, stalled in cursor.fetchall()]


def payment_dry_runs_resume(
    *, stalled_after: dt.timedelta = dt.timedelta(minutes=2), heartbeat_seconds: float = 30
) -> dict[str, list[int]]:
    """Dry runs whose worker was killed: a draft queued before `stalled_after` with no job
    waiting or running on a live worker. Its stalled job is marked failed and the dry run is
    queued again (a dry run starts over: its old lines go first); a run already resumed once
    and stalled again is marked failed, visibly, with an alert to the supervisors."""
    cutoff = timezone.now() - stalled_after
    result: dict[str, list[int]] = {"resumed": [], "failed": []}
    drafts = PaymentRun.objects.filter(
        status=RunStatus.DRAFT,
        dry_run_queued_at__lte=cutoff,
        dry_run_failed_at__isnull=True,
    ).order_by("pk")
    for run in drafts:
        jobs = _dry_run_jobs(run.pk, heartbeat_seconds)
        if any(not stalled for _id, _status, stalled in jobs):
            continue  # waiting for a worker, or running on a live one
        with transaction.atomic():
            with connection.cursor() as cursor:
                for job_id, _status, _stalled in jobs:
                    cursor.execute(
                        "SELECT procrastinate_finish_job_v1(%s, 'failed', false)", [job_id]
                    )
            # Resumed at most once per preparation: the second stall is a failure to look at.
            resumed_before = run.dry_run_error.startswith("resumed")
            if resumed_before:
                payment_run_dry_run_failed(
                    run_id=run.pk,
                    error=_(
                        "The dry run stopped twice (its worker was stopped); prepare it again."
                    ),
                )
                result["failed"].append(run.pk)
                continue
            PaymentRun.objects.filter(pk=run.pk).update(
                dry_run_error="resumed", dry_run_queued_at=timezone.now()
            )
            try:
                payment_run_dry_run_defer(run=run, user_id=run.prepared_by_id)
            except ConflictError:
                continue
        logger.warning("payment run %s: dry run resumed after its worker stopped", run.pk)
        result["resumed"].append(run.pk)
    return result


def payment_runs_resume(*, stalled_after: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    """Queue the release again for every run whose release stopped (worker killed)."""
    resumed = []
    for run in PaymentRun.objects.filter(pk__in=payment_runs_stalled(stalled_after=stalled_after)):
        user_id = run.released_by_id or run.approved_by_id
        if user_id is None:
            continue
        try:
            payment_run_release_defer(run=run, user_id=user_id)
        except ConflictError:  # a release job for this run is already waiting
            continue
        resumed.append(run.pk)
    return resumed


@app.periodic(cron="*/5 * * * *")
@app.task(name="payments.payment_runs_resume", queueing_lock="payment_runs_resume")
def payment_runs_resume_task(timestamp: int) -> int:
    """Every 5 minutes: carry on any release or dry run whose worker died (idempotent)."""
    dry_runs = payment_dry_runs_resume()
    return len(payment_runs_resume()) + len(dry_runs["resumed"]) + len(dry_runs["failed"])
