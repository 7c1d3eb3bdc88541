"""The production stack under a benchmark (bench/load.py): its environment, a free port, the
readiness wait, and CPU accounting from /proc (`Sampler`) for gunicorn, PostgreSQL and the load
generator."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import psycopg
from dataset import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stack_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(work / "static"),
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
        LOAD_DEPLOY_CONF=str(ROOT / "deploy" / "gunicorn.conf.py"),
    )
    env.pop("DEBUG", None)
    return env


def proc_stat(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, own CPU ticks, reaped children's CPU ticks) of a live process."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


class Sampler(threading.Thread):
    """CPU seconds of process trees (a root, its children, and the children it reaped) and of
    the whole machine, every half second, with the time."""

    def __init__(self, roots: dict[str, list[int]]) -> None:
        super().__init__(daemon=True)
        self.roots = roots
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.stopping = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        stats = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                stat = proc_stat(int(name))
                if stat:
                    stats[int(name)] = stat
        values: dict[str, float] = {}
        for label, roots in self.roots.items():
            ticks = 0
            for root in roots:
                if root in stats:
                    ticks += stats[root][1] + stats[root][2]
                    ticks += sum(s[1] + s[2] for s in stats.values() if s[0] == root)
            values[label] = ticks / self.tick
        with open("/proc/stat", encoding="ascii") as stat:
            cpu = [int(v) for v in stat.readline().split()[1:]]
        values["machine busy"] = (sum(cpu) - cpu[3] - cpu[4]) / self.tick
        values["machine all"] = sum(cpu) / self.tick
        self.samples.append((time.time(), values))

    def run(self) -> None:
        while not self.stopping.is_set():
            self.sample()
            self.stopping.wait(0.5)
        self.sample()

    def at(self, when: float, label: str) -> float:
        """The counter at `when`, interpolated between samples."""
        before = [s for s in self.samples if s[0] <= when] or self.samples[:1]
        after = [s for s in self.samples if s[0] >= when] or self.samples[-1:]
        (t0, v0), (t1, v1) = before[-1], after[0]
        if t1 == t0:
            return v0[label]
        return v0[label] + (v1[label] - v0[label]) * (when - t0) / (t1 - t0)

    def over(self, start: float, end: float, label: str) -> float:
        return self.at(end, label) - self.at(start, label)


def wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench: gunicorn on {port} did not answer:\n{log.read_text()[-3000:]}")


def postmaster_pid() -> int:
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        row = connection.execute("SELECT pg_backend_pid()").fetchone()
    stat = proc_stat(int(row[0])) if row else None
    return stat[0] if stat else 0
