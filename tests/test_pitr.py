"""Point-in-time recovery as docs/backup.md describes it: a cluster archiving its WAL, a base
backup by `tools/backup.sh base`, more commits, then a new cluster recovered from the base backup
and the archive to a named moment has exactly the rows committed before it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _bindir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_basebackup").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        for item in [path, *path.rglob("*")]:
            shutil.chown(item, "postgres", "postgres")


class Cluster:
    def __init__(self, bindir: Path, data: Path, port: int) -> None:
        self.bindir, self.data, self.port = bindir, data, port
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def start(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.data.parent / f"server-{self.port}.log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-h 127.0.0.1 -p {self.port} -k {self.data.parent}",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]),
            check=False,
            capture_output=True,
        )

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn, conn.cursor() as cursor:
            cursor.execute(statement.encode())
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def workdir() -> Iterator[Path]:
    if _bindir() is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("needs the PostgreSQL server binaries (tools/install-system-deps.sh)")
    path = Path(tempfile.mkdtemp(prefix="caseworks-pitr."))
    path.chmod(0o755)
    _chown(path)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_base_backup_and_wal_archive_recover_to_a_named_moment(workdir: Path) -> None:
    bindir = _bindir()
    assert bindir is not None
    wal = workdir / "wal"
    wal.mkdir()
    _chown(wal)
    primary = Cluster(bindir, workdir / "primary", _free_port())
    subprocess.run(
        _as_postgres(
            [str(bindir / "initdb"), "-D", str(primary.data), "-U", "postgres", "-A", "trust"]
        ),
        check=True,
        capture_output=True,
    )
    with (primary.data / "postgresql.conf").open("a") as conf:
        conf.write(
            "wal_level = replica\narchive_mode = on\n"
            f"archive_command = 'test ! -f {wal}/%f && cp %p {wal}/%f'\n"
        )
    recovered = Cluster(bindir, workdir / "recovered", _free_port())
    try:
        primary.start()
        primary.sql("CREATE TABLE payment (id int PRIMARY KEY, cents int NOT NULL)")
        primary.sql("INSERT INTO payment SELECT g, 100 FROM generate_series(1, 50) g")
        backup = subprocess.run(
            ["bash", str(ROOT / "tools" / "backup.sh"), "base"],
            env={
                **os.environ,
                "DATABASE_URL": primary.url,
                "BACKUP_DIR": str(workdir / "backups"),
                "WAL_ARCHIVE_DIR": str(wal),
                "PG_BINDIR": str(bindir),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert backup.returncode == 0, backup.stdout + backup.stderr
        assert "backup: base backup" in backup.stdout
        # After the base backup: 25 more rows, the moment to recover to, then a mistake.
        primary.sql("INSERT INTO payment SELECT g, 100 FROM generate_series(51, 75) g")
        primary.sql("SELECT pg_create_restore_point('before_the_mistake')")
        primary.sql("DELETE FROM payment")
        primary.sql("SELECT pg_switch_wal()")
        primary.sql("CHECKPOINT")
        primary.stop()  # a clean stop archives the last segment

        # Recover, as docs/backup.md says, into a new data directory.
        (base,) = (workdir / "backups" / "base").iterdir()
        recovered.data.mkdir(mode=0o700)
        with tarfile.open(base / "base.tar.gz") as archive:
            archive.extractall(recovered.data, filter="tar")
        with tarfile.open(base / "pg_wal.tar.gz") as archive:
            archive.extractall(recovered.data / "pg_wal", filter="tar")
        with (recovered.data / "postgresql.auto.conf").open("a") as conf:
            conf.write(
                f"restore_command = 'cp {wal}/%f %p'\n"
                "recovery_target_name = 'before_the_mistake'\n"
                "recovery_target_action = 'promote'\n"
                "archive_mode = off\n"
            )
        (recovered.data / "recovery.signal").touch()
        _chown(recovered.data)
        recovered.start()
        assert recovered.sql("SELECT count(*), sum(cents) FROM payment") == [(75, 7500)]
    finally:
        recovered.stop()
        primary.stop()
