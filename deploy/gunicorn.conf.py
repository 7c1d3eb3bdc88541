"""gunicorn settings for Caseworks (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

Every value can be set from the environment (GUNICORN_*), so one file serves a laptop and a
16-core server. Sizing (docs/deploy.md): one worker process per core, each with a few threads;
Caseworks' requests spend part of their time waiting on PostgreSQL, which the threads overlap.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(max(2, multiprocessing.cpu_count()))))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A payment run's CPA-005 download and policy simulation are the slowest requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so that a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# The TLS proxy in front (deploy/caddy, deploy/nginx) is on the same host or a private network.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # the app logs requests itself
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Load the application once in the master, before forking: less memory, faster restarts.
preload_app = True


def child_exit(server: object, worker: object) -> None:
    """Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR, docs/observability.md): drop a
    dead worker's live gauges so that /metrics adds up only the running workers."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # noqa: PLC0415

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
