"""Against a real streaming replica of the test cluster: reports read from the replica, writes
go to the primary (docs/scaling.md).

The replica is made with `pg_basebackup -R` from the private cluster that
tools/with-test-postgres.sh starts (trust authentication on 127.0.0.1), started on another port,
and stopped and deleted at the end. To tell the two servers apart, the replica's replay is
paused: a row committed on the primary afterwards is on the primary only.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.services import client_file_access_record
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.db import REPLICA_DB_ALIAS, reads_use_replica, use_replica
from caseworks.core.models import AuditEvent
from caseworks.core.tests.replica import replica_alias
from caseworks.eligibility.models import Determination
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.reporting.models import PolicySimulation
from caseworks.reporting.selectors import PROVINCE, compute_measures
from caseworks.reporting.tests.dataset import AS_OF, PERIOD, applicant, make_case

pytestmark = [
    pytest.mark.serial,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS]),
]

# Hot standby refuses to start with less of these than the primary has.
PRIMARY_LIMITS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _server_bindir(major: str) -> Path | None:
    pg_config = shutil.which("pg_config")
    candidates = [f"/usr/lib/postgresql/{major}/bin"]
    if pg_config:
        candidates.append(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        path = Path(candidate)
        if (path / "pg_basebackup").exists() and (path / "pg_ctl").exists():
            return path
    return None


def _as_postgres(command: list[str]) -> list[str]:
    """The server never runs as root (as in tools/with-test-postgres.sh)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scalar(alias: str, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _wait_until_replayed(timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has committed so far."""
    # The insert position: the test cluster commits asynchronously (synchronous_commit=off).
    lsn = _scalar(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.monotonic() + timeout
    while not _scalar(
        REPLICA_DB_ALIAS,
        "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0",
        (lsn,),
    ):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def replica(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    """A streaming replica of the test cluster on a free port; registered as the `replica`
    alias (a test mirror of the test database). Yields its port."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql" or primary["HOST"] not in (
        "127.0.0.1",
        "localhost",
    ):
        pytest.skip("needs the private PostgreSQL cluster of tools/with-test-postgres.sh")
    with django_db_blocker.unblock():
        major = str(_scalar(DEFAULT_DB_ALIAS, "SHOW server_version_num"))[:-4]
        limits = {name: _scalar(DEFAULT_DB_ALIAS, f"SHOW {name}") for name in PRIMARY_LIMITS}
        connections[DEFAULT_DB_ALIAS].close()
    bindir = _server_bindir(major)
    if bindir is None:
        pytest.skip("no pg_basebackup (run tools/install-system-deps.sh)")
    workdir = Path(tempfile.mkdtemp(prefix="caseworks-replica."))
    workdir.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    data = workdir / "data"
    port = _free_port()
    started = False
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "pg_basebackup"),
                    "-R",  # standby.signal and primary_conninfo: a streaming replica
                    "--checkpoint=fast",
                    "-X",
                    "stream",
                    "-D",
                    str(data),
                    "-h",
                    str(primary["HOST"]),
                    "-p",
                    str(primary["PORT"]),
                    "-U",
                    str(primary["USER"] or "postgres"),
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert data.stat().st_mode & 0o777 == 0o700
        options = " ".join(
            [f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off"]
            + [f"-c {name}={value}" for name, value in limits.items()]
        )
        log = workdir / "server.log"
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
        result = subprocess.run(
            _as_postgres([*pg_ctl, "-l", str(log), "-w", "-t", "60", "-o", options, "start"]),
            check=False,
            capture_output=True,
            timeout=90,
        )
        started = True
        assert result.returncode == 0, log.read_text() if log.exists() else result.stderr
        with replica_alias(HOST="127.0.0.1", PORT=str(port)), django_db_blocker.unblock():
            deadline = time.monotonic() + 30
            while not _scalar(REPLICA_DB_ALIAS, "SELECT pg_is_in_recovery()"):
                assert time.monotonic() < deadline, "the replica is not in recovery"
                time.sleep(0.1)
            connections[REPLICA_DB_ALIAS].close()
            yield port
    finally:
        if started:
            subprocess.run(
                _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                check=False,
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def _replay_paused() -> Iterator[None]:
    """The replica with everything committed so far, then its replay paused: rows committed on
    the primary in the block are not on the replica."""
    _wait_until_replayed()
    _scalar(REPLICA_DB_ALIAS, "SELECT pg_wal_replay_pause()::text")
    try:
        yield
    finally:
        _scalar(REPLICA_DB_ALIAS, "SELECT pg_wal_replay_resume()::text")
        _wait_until_replayed()


def _active_cases(partner: Any, worker: Any, count: int) -> list[BenefitUnit]:
    return [
        make_case(
            partner,
            worker,
            status="active",
            opened_on=dt.date(2025, 2, 20),
            granted_on=PERIOD.month_from,
        )
        for _i in range(count)
    ]


def test_replica_is_the_replica_server(replica: int) -> None:
    assert _scalar(REPLICA_DB_ALIAS, "SELECT inet_server_port()") == replica
    assert _scalar(REPLICA_DB_ALIAS, "SELECT pg_is_in_recovery()") is True
    assert _scalar(DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()") is False
    assert _scalar(REPLICA_DB_ALIAS, "SELECT current_database()") == _scalar(
        DEFAULT_DB_ALIAS, "SELECT current_database()"
    )


def test_reports_read_from_replica_and_caseworker_reads_from_primary(replica: int) -> None:
    partner = DeliveryPartnerFactory(code="partner-a", name="Partner A")
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    analyst = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)
    _active_cases(partner, worker, 12)
    with _replay_paused():
        _active_cases(partner, worker, 3)  # committed on the primary only
        # The selectors read the replica (12 cases); everything else the primary (15).
        results = compute_measures(filters=PERIOD, as_of=AS_OF)
        assert results.cells["caseload_cases"][PROVINCE].value == 12
        assert BenefitUnit.objects.count() == 15
        with use_replica():
            assert BenefitUnit.objects.count() == 12
            assert _scalar(REPLICA_DB_ALIAS, "SELECT inet_server_port()") == int(
                connections[REPLICA_DB_ALIAS].settings_dict["PORT"]
            )

        # The dashboard page: the session and the analyst (signed in after the pause, so on
        # the primary only) come from the primary, every report query from the replica.
        client = Client()
        client.force_login(analyst)
        with (
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
            CaptureQueriesContext(connections[REPLICA_DB_ALIAS]) as on_replica,
        ):
            response = client.get(
                reverse("reporting:dashboard"), {"month_from": "2026-01", "month_to": "2026-03"}
            )
        assert response.status_code == 200
        row = response.content.decode().split('id="measure-caseload_cases"')[1].split("</tr>")[0]
        assert ">12<" in row
        assert ">15<" not in row
        assert any("cases_benefitunit" in q["sql"] for q in on_replica)
        assert not any("cases_benefitunit" in q["sql"] for q in on_primary)
        assert any("django_session" in q["sql"] for q in on_primary)

        export = client.get(
            reverse("reporting:dashboard_export", kwargs={"fmt": "csv"}),
            {"month_from": "2026-01", "month_to": "2026-03"},
        )
        assert export.status_code == 200
        assert "12" in export.content.decode()


def test_writes_in_replica_block_go_to_primary(replica: int) -> None:
    partner = DeliveryPartnerFactory(code="partner-a", name="Partner A")
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    person = applicant(_active_cases(partner, worker, 1)[0])
    with _replay_paused():
        # The replica is read-only: a write sent there would fail.
        with pytest.raises(DatabaseError, match="read-only transaction"):
            _scalar(
                REPLICA_DB_ALIAS,
                "INSERT INTO core_auditevent (event_type) VALUES ('x') RETURNING 1",
            )
        connections[REPLICA_DB_ALIAS].close()
        with use_replica():
            assert reads_use_replica()
            access = client_file_access_record(user=worker, person=person, view_name="test")
            with transaction.atomic():
                audit_record(
                    acting_user=worker,
                    event_type=AuditEventType.POLICY_SIMULATION_RUN,
                    subject=access,
                    extra_data={},
                )
                # A transaction on the primary reads its own rows from the primary.
                assert not reads_use_replica()
                assert AuditEvent.objects.filter(subject_id=str(access.pk)).exists()
            # Outside the transaction the block reads the (paused) replica: not there yet.
            assert not ClientFileAccess.objects.filter(pk=access.pk).exists()
        assert ClientFileAccess.objects.filter(pk=access.pk).exists()
    _wait_until_replayed()
    with use_replica():
        assert ClientFileAccess.objects.filter(pk=access.pk).exists()


def test_simulation_reads_caseload_from_replica_and_records_run_on_primary(replica: int) -> None:
    partner = DeliveryPartnerFactory(code="partner-a", name="Partner A")
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    analyst = UserFactory(role=Role.MINISTRY_ANALYST, delivery_partner=None)
    situation = {
        "benefit_month": "2026-11",
        "months_in_receipt": 4,
        "members": [{"id": "a", "role": "applicant", "age": 35, "net_earnings": "600.00"}],
        "shelter": {"type": "rent", "cost": "800.00"},
    }

    def determine(units: list[BenefitUnit]) -> None:
        for unit in units:
            Determination.objects.create(
                benefit_unit=unit,
                benefit_month=dt.date(2026, 10, 1),
                result="eligible",
                situation=situation,
                rules_version="t",
                determined_by=worker,
            )

    determine(_active_cases(partner, worker, 3))
    with _replay_paused():
        determine(_active_cases(partner, worker, 2))  # on the primary only
        client = Client()
        client.force_login(analyst)
        response = client.post(reverse("reporting:simulation"), {"flat_exemption": "300"})
        assert response.status_code == 302
        run = PolicySimulation.objects.get()
        assert run.case_count == 3  # the caseload as the replica has it
        # The run was written to the primary, and its page (read from the primary) shows it
        # although the replica does not have it yet.
        assert client.get(response["Location"]).status_code == 200
        with use_replica():
            assert not PolicySimulation.objects.exists()
        assert AuditEvent.objects.filter(event_type="policy_simulation_run").count() == 1
    assert Decimal(run.overrides["ontario_works.earnings.flat_exemption"]) == 300
