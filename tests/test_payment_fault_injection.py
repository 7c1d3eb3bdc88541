"""Fault injection (issue 12, acceptance 2): a real process is SIGKILLed during each stage of the
month (dry run, approval, file build, returns import; the release is in
tests/test_payment_run_crash.py) and the stage is run again: no payment lost or duplicated,
totals equal to the dry run, file creation numbers never reused, returns never recorded twice.

The kill comes from `caseworks/payments/faults.py`: the process (a `procrastinate worker` for
the dry run, `manage.py shell` calling the service for the web actions) is started with
`CASEWORKS_FAULT=<point>` and kills itself with SIGKILL there — no handler or rollback code of
ours runs, as with `kill -9` or a power cut."""

from __future__ import annotations

import csv
import datetime as dt
import io
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Sum

from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.payments.constants import PaymentMethod, RunStatus
from caseworks.payments.models import (
    FileCreationCounter,
    Payment,
    PaymentFile,
    PaymentReturn,
    PaymentRun,
    PaymentRunAcknowledgement,
    PaymentRunLine,
    ReturnsFile,
)
from caseworks.payments.returns import payment_returns_import
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import originator_for, payment_file_build
from caseworks.payments.tasks import payment_dry_runs_resume, payment_run_dry_run_task
from caseworks.payments.tests.builders import active_case, payment_staff
from tests.test_payment_run_crash import ROOT, _start_worker, _worker_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="procrastinate needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

MONTH = dt.date(2026, 1, 1)


def _cases(partner: Any, actor: Any, n: int) -> list[Any]:
    return [
        active_case(
            partner=partner,
            actor=actor,
            first_name=f"Fault{i}",
            last_name="Inject",
            rent_cents=40_000 + 5_000 * i,
            bank=("004", "12345", f"{3000000 + i}") if i % 3 else None,
        )
        for i in range(n)
    ]


def _killed_shell(code: str, fault: str) -> None:
    """Run `code` in `manage.py shell` against the test database; it must die at `fault`."""
    done = subprocess.run(  # our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**_worker_env(), "CASEWORKS_FAULT": fault},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def _released(partner: Any, n: int = 6) -> tuple[dict[str, Any], PaymentRun]:
    staff = payment_staff(partner)
    _cases(partner, staff["caseworker"], n)
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=MONTH
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return staff, payment_run_release(acting_user=staff["supervisor"], run=run)


def test_dry_run_worker_killed_between_chunks_is_resumed_totals_equal(partner: Any) -> None:
    staff = payment_staff(partner)
    _cases(partner, staff["caseworker"], 7)
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=MONTH
    )
    clean = payment_run_dry_run(acting_user=staff["caseworker"], run=run, chunk_size=3)
    expected = (clean.case_count, clean.payment_count, clean.total_cents)

    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=MONTH
    )
    payment_run_dry_run_task.configure(lock=f"payment_run_{run.pk}").defer(
        run_id=run.pk, user_id=staff["caseworker"].pk, chunk_size=3
    )
    worker = subprocess.Popen(  # our own interpreter and manage.py
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "-p", "0.2"],
        cwd=ROOT,
        env={**_worker_env(), "CASEWORKS_FAULT": "dry_run_chunk"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, stderr = worker.communicate(timeout=120)
    assert worker.returncode == -signal.SIGKILL, stderr.decode()
    run.refresh_from_db()
    # Killed after its first chunk: a draft with some lines, never approvable.
    assert run.status == RunStatus.DRAFT
    assert 0 < PaymentRunLine.objects.filter(run=run).count() < expected[0]

    # The resume job finds the dead worker's job and queues the dry run again; it starts over.
    assert payment_dry_runs_resume(stalled_after=dt.timedelta(0), heartbeat_seconds=0) == {
        "resumed": [run.pk],
        "failed": [],
    }
    worker = _start_worker()
    _, stderr = worker.communicate(timeout=120)
    assert worker.returncode == 0, stderr.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.DRY_RUN_COMPLETE
    assert (run.case_count, run.payment_count, run.total_cents) == expected
    lines = PaymentRunLine.objects.filter(run=run).aggregate(
        n=Count("id"), cases=Count("benefit_unit", distinct=True)
    )
    assert lines["n"] == lines["cases"] == expected[0]
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    issued = Payment.objects.filter(benefit_month=MONTH).aggregate(
        n=Count("id"), total=Sum("amount_cents"), cases=Count("benefit_unit", distinct=True)
    )
    assert issued["n"] == issued["cases"] == expected[1]
    assert issued["total"] == expected[2]


def test_approval_killed_leaves_run_unapproved_never_half(partner: Any) -> None:
    staff = payment_staff(partner)
    _cases(partner, staff["caseworker"], 4)
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=MONTH
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    total = run.total_cents
    _killed_shell(
        "from caseworks.accounts.models import User\n"
        "from caseworks.payments.models import PaymentRun\n"
        "from caseworks.payments.runs import payment_run_approve\n"
        f"payment_run_approve(acting_user=User.objects.get(pk={staff['supervisor'].pk}),"
        f" run=PaymentRun.objects.get(pk={run.pk}), reviewed=True)\n",
        "approve",
    )
    run.refresh_from_db()
    # All or nothing: not approved, no approver, no signed list, no audit event.
    assert run.status == RunStatus.DRY_RUN_COMPLETE
    assert run.approved_by_id is None
    assert run.approved_at is None
    assert not PaymentRunAcknowledgement.objects.filter(run=run).exists()
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.PAYMENT_RUN_APPROVED, subject_id=str(run.pk)
    ).exists()
    run = payment_run_approve(acting_user=staff["supervisor"], run=run, reviewed=True)
    assert run.status == RunStatus.APPROVED
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    assert run.released_total_cents == total
    assert Payment.objects.filter(run=run).count() == run.payment_count


def test_file_build_killed_never_reuses_a_file_creation_number(partner: Any) -> None:
    staff, run = _released(partner)
    _first, first_file = payment_file_build(acting_user=staff["supervisor"], run=run)
    assert first_file.file_creation_number == 1
    _killed_shell(
        "from caseworks.accounts.models import User\n"
        "from caseworks.payments.models import PaymentRun\n"
        "from caseworks.payments.services import payment_file_build\n"
        f"payment_file_build(acting_user=User.objects.get(pk={staff['supervisor'].pk}),"
        f" run=PaymentRun.objects.get(pk={run.pk}))\n",
        "file_build",
    )
    originator = originator_for(run.delivery_partner).originator_id
    # The killed build rolled back: its number was never handed out (no file left the system),
    # so the counter did not move and no file row claims it.
    assert FileCreationCounter.objects.get(originator_id=originator).last_number == 1
    assert list(PaymentFile.objects.values_list("file_creation_number", flat=True)) == [1]
    data, second = payment_file_build(acting_user=staff["supervisor"], run=run)
    assert second.file_creation_number == 2
    assert data[:1] == b"A"
    assert data[20:24] == b"0002"
    numbers = list(
        PaymentFile.objects.filter(originator_id=originator)
        .order_by("file_creation_number")
        .values_list("file_creation_number", flat=True)
    )
    assert numbers == [1, 2]  # each number used once, each with its recorded file
    assert FileCreationCounter.objects.get(originator_id=originator).last_number == 2
    eft = Payment.objects.filter(run=run, method=PaymentMethod.EFT).aggregate(
        n=Count("id"), total=Sum("amount_cents")
    )
    assert (second.credit_count, second.credit_total_cents) == (eft["n"], eft["total"])
    assert (first_file.credit_count, first_file.credit_total_cents) == (eft["n"], eft["total"])


def test_returns_import_killed_resumes_from_checkpoint_never_twice(partner: Any) -> None:
    staff, run = _released(partner, n=9)
    eft = list(Payment.objects.filter(run=run, method=PaymentMethod.EFT).order_by("id"))
    assert len(eft) == 6
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["payment_number", "amount", "reason_code", "date"])
    for p in eft:
        writer.writerow(
            [p.pk, f"{p.amount_cents // 100}.{p.amount_cents % 100:02d}", "905", "2026-01-12"]
        )
    data = out.getvalue().encode()
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(data)
        handle.flush()
        _killed_shell(
            "from pathlib import Path\n"
            "from caseworks.accounts.models import User\n"
            "from caseworks.payments.returns import payment_returns_import\n"
            f"payment_returns_import(acting_user=User.objects.get(pk={staff['supervisor'].pk}),"
            f" data=Path({handle.name!r}).read_bytes(), batch_size=2)\n",
            "returns_batch:2",
        )
    returns_file = ReturnsFile.objects.get()
    # Killed after its second batch: 4 returns written with the checkpoint, not completed.
    assert returns_file.next_item == 4
    assert returns_file.completed_at is None
    assert PaymentReturn.objects.count() == returns_file.recorded_count == 4
    started = time.monotonic()
    result = payment_returns_import(acting_user=staff["supervisor"], data=data, batch_size=2)
    assert time.monotonic() - started < 30
    assert result.recorded == 2  # only the items after the checkpoint
    returns_file.refresh_from_db()
    assert returns_file.completed_at is not None
    assert returns_file.recorded_count == 6
    per_payment = PaymentReturn.objects.values("payment").annotate(n=Count("id"))
    assert sorted(r["payment"] for r in per_payment) == [p.pk for p in eft]
    assert {r["n"] for r in per_payment} == {1}
    again = payment_returns_import(acting_user=staff["supervisor"], data=data, batch_size=2)
    assert again.unchanged
    assert PaymentReturn.objects.count() == 6
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.PAYMENT_RETURNS_IMPORTED).count() == 1
    )
