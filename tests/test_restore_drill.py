"""The restore drill (tools/restore-drill.sh) on a small real database: a copy of the migrated
test database with the reference data loaded and committed, backed up with tools/backup.sh,
restored into a scratch database, checked with manage.py, row counts compared. A dump whose
recorded counts do not match what it restores makes the drill fail."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections

ROOT = Path(__file__).resolve().parent.parent

# django_db: so that pytest-django creates and migrates the test database used as a template.
pytestmark = [pytest.mark.slow, pytest.mark.serial, pytest.mark.django_db]


def _url(settings_dict: dict[str, Any], name: str) -> str:
    s = settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def _env(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHON": sys.executable,
        **extra,
    }


@pytest.fixture(scope="module")
def source_url(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """A real, committed database (outside pytest-django's transactions): a copy of the
    migrated test database, with the Ministry's reference data loaded into it."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        pytest.skip("the drill needs PostgreSQL")
    settings_dict = connection.settings_dict
    template = settings_dict["NAME"]
    name = f"caseworks_drill_source_{os.getpid()}"
    with django_db_blocker.unblock():
        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the template unused
        with psycopg.connect(_url(settings_dict, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = _url(settings_dict, name)
    try:
        loaded = subprocess.run(
            [sys.executable, "manage.py", "load_reference_data"],
            check=False,
            cwd=ROOT,
            env=_env(url),
            capture_output=True,
            text=True,
        )
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        yield url
    finally:
        with psycopg.connect(_url(settings_dict, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drill(url: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "tools" / "restore-drill.sh"), *args],
        check=False,
        cwd=ROOT,
        env=_env(url, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _databases(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_restore_drill_restores_checks_and_counts_every_table(source_url: str) -> None:
    before = _databases(source_url)
    result = _drill(source_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "drill OK: every table has the same number of rows" in result.stdout
    with psycopg.connect(source_url) as conn:
        partners = conn.execute("SELECT count(*) FROM partners_deliverypartner").fetchone()
    assert partners is not None
    assert partners[0] >= 48  # the Ministry and the 47 service managers
    tables = next(line for line in result.stdout.splitlines() if "compared:" in line)
    assert "with the dump's snapshot" in tables
    assert _databases(source_url) == before  # the scratch database was dropped


def test_restore_drill_fails_when_a_table_count_differs(source_url: str, tmp_path: Path) -> None:
    backup = subprocess.run(
        ["bash", str(ROOT / "tools" / "backup.sh"), "dump"],
        cwd=ROOT,
        env=_env(source_url, BACKUP_DIR=str(tmp_path), BACKUP_KEEP="1"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "backup: " in backup.stdout
    dump = next((tmp_path / "dumps").glob("caseworks-*.dump"))
    counts = Path(f"{dump}.counts")
    lines = counts.read_text().splitlines()
    assert "public.partners_deliverypartner|" in "\n".join(lines)
    # Pretend the source had one more partner than the dump restores.
    counts.write_text(
        "\n".join(
            f"{line.split('|')[0]}|{int(line.split('|')[1]) + 1}"
            if line.startswith("public.partners_deliverypartner|")
            else line
            for line in lines
        )
        + "\n"
    )
    result = _drill(source_url, str(dump))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "drill FAILED: row counts differ" in result.stdout
    assert "public.partners_deliverypartner" in result.stdout
