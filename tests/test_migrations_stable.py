"""The migration state does not depend on the hash seed.

`PROVINCIAL_ROLES` was a frozenset: its order followed the hash seed and changed the users'
check constraint on every other run. Choices, constraints and index conditions are built from
ordered sequences (tuples, `sorted(...)`) so that `makemigrations --check` is stable.

Each seed needs its own interpreter (the hash seed is fixed at start-up), so every seed runs
`makemigrations --check --dry-run` for every app in a subprocess, two at a time. No database
is needed: the command only warns when it cannot check the migration history against one, so
the subprocesses are pointed at an address where nothing listens.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [str(seed) for seed in (0, 1, 2, 3, 4, 5, 6, 7, 42, 4294967295)]


def _makemigrations_check(seed: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONHASHSEED": seed,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(
        [
            sys.executable,
            "-W",
            "ignore::RuntimeWarning",
            "manage.py",
            "makemigrations",
            "--check",
            "--dry-run",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_makemigrations_check_is_clean_under_ten_hash_seeds() -> None:
    assert len(set(SEEDS)) == 10
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(SEEDS, pool.map(_makemigrations_check, SEEDS), strict=True))
    failures = {
        seed: result.stdout + result.stderr
        for seed, result in results.items()
        if result.returncode != 0
    }
    assert not failures, failures
