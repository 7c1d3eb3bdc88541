"""The production stack, as `make serve` and the systemd units of deploy/ run it: gunicorn with
deploy/gunicorn.conf.py and production settings, collected static files, the procrastinate
worker, `check --deploy`. Processes run on 127.0.0.1 against the test database."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "DB_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": _database_url(),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(tmp_path / "static"),
            "LOG_FORMAT": "json",
        }
    )
    env.update(extra)
    return env


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # http://127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _wait_until_up(url: str, process: subprocess.Popen[Any], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds} s")


def _stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """collectstatic, then gunicorn and the worker as the systemd units start them."""
    port = _free_port()
    # Plain HTTP on 127.0.0.1, as `make serve` runs it (a deployment has the TLS proxy).
    env = _production_env(
        tmp_path,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    )
    (tmp_path / "prometheus").mkdir()
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    web = subprocess.Popen(
        [GUNICORN, "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "procrastinate", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/login/", web)
        yield {"base": f"http://127.0.0.1:{port}", "env": env, "static_root": tmp_path / "static"}
    finally:
        _stop(worker)
        _stop(web)


def test_check_deploy_is_clean_with_the_settings_a_deployment_uses(tmp_path: Path) -> None:
    # HTTPS redirect, secure cookies and HSTS on: the defaults of config/settings/production.py.
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_or_short_secret_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [PYTHON, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(tmp_path, SECRET_KEY="short"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


_CLIENT_ADDRESS = """
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
for forwarded in ("203.0.113.9", "1.2.3.4, 203.0.113.9"):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    print(get_client_ip_address(request))
"""


def test_sign_in_limits_count_the_client_behind_the_proxy_not_the_proxy(tmp_path: Path) -> None:
    """Behind deploy/'s TLS proxy every request comes from 127.0.0.1: counting failures per
    REMOTE_ADDR would lock out the whole office after 20 failures anywhere (issue 13)."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", _CLIENT_ADDRESS],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The client the proxy saw; a client's own forged header counts against the proxy.
    assert result.stdout.split()[-2:] == ["203.0.113.9", "127.0.0.1"]


def test_gunicorn_serves_pages_health_static_files_and_error_pages(stack: dict[str, Any]) -> None:
    base = stack["base"]
    status, _, body = _get(f"{base}/login/", **{"Accept-Language": "fr"})
    assert status == 200
    assert "Mot de passe" in body.decode()

    status, _, body = _get(f"{base}/health/")
    assert status == 200, body

    # Metrics from every gunicorn worker (multiprocess mode), to the loopback address only.
    status, _, body = _get(f"{base}/metrics")
    assert status == 200
    assert b"caseworks_queue_jobs" in body
    assert b"django_http_requests_total_by_view_transport_method_total" in body

    # Static files: collected at deploy time with hashed names, served with long caching.
    manifest = json.loads((stack["static_root"] / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/app.css"]
    assert hashed != "css/app.css"
    status, headers, body = _get(f"{base}/static/{hashed}")
    assert status == 200
    assert b"{" in body
    assert "max-age=315360000" in headers.get("Cache-Control", "")

    # The project's own 404 page, in the visitor's language; never a Django debug page.
    status, _, body = _get(f"{base}/no-such-page/", **{"Accept-Language": "fr"})
    assert status == 404
    text = body.decode()
    assert "Page introuvable" in text
    assert "Traceback" not in text
    assert "DEBUG = True" not in text


def test_the_worker_runs_a_queued_job(stack: dict[str, Any]) -> None:
    subprocess.run(
        [
            PYTHON,
            "manage.py",
            "procrastinate",
            "defer",
            "payments.payment_runs_resume",
            json.dumps({"timestamp": 0}),
        ],
        cwd=ROOT,
        env=stack["env"],
        check=True,
        capture_output=True,
    )
    deadline = time.monotonic() + 60
    status = None
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status FROM procrastinate_jobs WHERE task_name = %s ORDER BY id DESC",
                ["payments.payment_runs_resume"],
            )
            row = cursor.fetchone()
        status = row[0] if row else None
        if status in ("succeeded", "failed"):
            break
        time.sleep(0.5)
    assert status == "succeeded"
