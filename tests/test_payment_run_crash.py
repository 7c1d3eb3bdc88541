"""Crash test: a real procrastinate worker is SIGKILLed in the middle of releasing a payment run;
after a restart the run completes with exactly one payment per case and the dry run's totals."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count, Sum

from caseworks.payments.constants import LedgerEntryKind, RunStatus
from caseworks.payments.models import LedgerEntry, Payment, PaymentRun
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import overpayment_record
from caseworks.payments.tasks import payment_run_release_defer, payment_runs_resume
from caseworks.payments.tests.builders import active_case, payment_staff

ROOT = Path(__file__).resolve().parent.parent
MONTH = dt.date(2026, 1, 1)
CASES = 12


def _worker_env() -> dict[str, str]:
    s = connection.settings_dict
    url = (
        f"postgres://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}"
        f"@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}


def _start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "-p", "0.2"],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _issued(run: PaymentRun) -> int:
    return Payment.objects.filter(run=run).count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="procrastinate needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_payment_run_release_exactly_once_when_worker_killed_mid_run(partner: Any) -> None:
    staff = payment_staff(partner)
    units = [
        active_case(
            partner=partner,
            actor=staff["caseworker"],
            first_name=f"Case{i}",
            last_name="Crash",
            rent_cents=40_000 + 5_000 * i,
            bank=("004", "12345", f"{1000000 + i}") if i % 3 else None,
        )
        for i in range(CASES)
    ]
    # One case owes an overpayment from an earlier (synthetic) month: its recovery must be
    # recorded exactly once too.
    run = payment_run_prepare(
        acting_user=staff["caseworker"],
        delivery_partner=partner,
        benefit_month=MONTH - dt.timedelta(days=31),
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    payment_run_release(acting_user=staff["supervisor"], run=run)
    overpayment_record(
        acting_user=staff["caseworker"],
        payment=Payment.objects.get(benefit_unit=units[0]),
        correct_amount_cents=0,
        reason="Synthetic overpayment",
        notify=False,
    )

    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=MONTH
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    assert run.payment_count == CASES
    payment_run_release_defer(
        run=run, user_id=staff["supervisor"].pk, chunk_size=2, pause_seconds=1.0
    )

    worker = _start_worker()
    deadline = time.monotonic() + 90
    while _issued(run) < 4 and time.monotonic() < deadline:
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    killed_at = _issued(run)
    run.refresh_from_db()
    assert 0 < killed_at < CASES, "the worker must die in the middle of the run"
    assert run.status == RunStatus.RELEASING

    # Restart: the resume job queues the release again; a fresh worker completes it.
    assert payment_runs_resume(stalled_after=dt.timedelta(0)) == [run.pk]
    worker = _start_worker()
    _, stderr = worker.communicate(timeout=120)
    assert worker.returncode == 0, stderr.decode()

    run.refresh_from_db()
    assert run.status == RunStatus.RELEASED
    per_case = (
        Payment.objects.filter(benefit_month=MONTH).values("benefit_unit").annotate(n=Count("id"))
    )
    assert sorted(row["benefit_unit"] for row in per_case) == sorted(u.pk for u in units)
    assert {row["n"] for row in per_case} == {1}
    issued = Payment.objects.filter(run=run).aggregate(total=Sum("amount_cents"), n=Count("id"))
    assert issued["n"] == run.payment_count == run.released_count == CASES
    assert issued["total"] == run.total_cents == run.released_total_cents
    recoveries = LedgerEntry.objects.filter(kind=LedgerEntryKind.RECOVERY, benefit_month=MONTH)
    assert recoveries.count() == 1
    assert -recoveries.get().amount_cents == run.recovery_total_cents > 0
