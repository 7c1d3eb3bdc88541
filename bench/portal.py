# ruff: noqa: PLC0415  # Django models load after bench_database(); a benchmark prints
"""Load benchmark of the client portal (issue 17): `tools/with-test-postgres.sh
.venv/bin/python bench/portal.py [--clients N] [--minutes M] [--users U]`.

The monthly-report rush: N clients (10,000 by default) each sign in and send "nothing changed"
within M minutes (60: the hour before the deadline), against the production stack as
bench/load.py serves it (gunicorn with deploy/gunicorn.conf.py, config.settings.production,
plain HTTP on 127.0.0.1), with locust (bench/locustfile_portal.py) pacing the arrivals evenly.
Every request counts: login form, login, report page, "nothing changed" (the income reports of
each adult, the receipt and its audit event) and the receipt page it redirects to.

Data: the synthetic caseload of bench/dataset.py (N cases), and one portal account per case's
applicant (bulk-created with one password hash: hashing 10,000 passwords is not the benchmark).
Prints requests, p50, p95, the worst request type and errors. Goals (issue 17), printed, never
asserted: p95 under 500 ms and zero errors. A reduced run (`--clients 1000 --minutes 6`) keeps
the same arrival rate as the full one (about 2.8 clients a second).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import ROOT, bench_database, generate_caseload
from load import GUNICORN_CONF, _percentile
from stack import free_port, stack_env, wait_ready

VENV = Path(sys.executable).parent  # the virtual environment running this script

PASSWORD = "bench-portal-lantern-ferry"  # synthetic accounts in a throw-away database
GOALS = {"p95_ms": 500.0, "errors": 0}


def _accounts(clients: int) -> list[str]:
    from django.contrib.auth.hashers import make_password

    from caseworks.accounts.models import User
    from caseworks.cases.constants import CaseStatus, MemberRole
    from caseworks.cases.models import BenefitUnitMember
    from caseworks.portal.models import PortalAccount

    members = list(
        BenefitUnitMember.objects.filter(
            role=MemberRole.APPLICANT, end_on=None, benefit_unit__status=CaseStatus.ACTIVE
        )
        .order_by("id")
        .values_list("person_id", "benefit_unit_id")[:clients]
    )
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(username=f"client{n}", password=hashed, role="") for n in range(len(members))],
        batch_size=2000,
    )
    PortalAccount.objects.bulk_create(
        [
            PortalAccount(user=user, person_id=person_id, benefit_unit_id=unit_id)
            for user, (person_id, unit_id) in zip(users, members, strict=True)
        ],
        batch_size=2000,
    )
    return [u.username for u in users]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=40, help="concurrent simulated clients")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with (
        bench_database("caseworks_bench_portal", keep=args.keep),
        tempfile.TemporaryDirectory() as tmp,
    ):
        work = Path(tmp)
        started = time.monotonic()
        generate_caseload(cases=max(args.clients * 2, 2000))
        usernames = _accounts(args.clients)
        print(f"data: {len(usernames)} client accounts in {time.monotonic() - started:.0f} s")
        plan = work / "plan.json"
        plan.write_text(json.dumps({"usernames": usernames, "password": PASSWORD}))
        conf = work / "gunicorn_bench.conf.py"
        conf.write_text(GUNICORN_CONF)
        (work / "cpu").mkdir()
        env = stack_env(work) | {"LOAD_CPU_DIR": str(work / "cpu")}
        subprocess.run(
            [str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = free_port()
        log = work / "gunicorn.log"
        with open(log, "wb") as out:
            server = subprocess.Popen(
                [
                    str(VENV / "gunicorn"),
                    "-c",
                    str(conf),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "config.wsgi",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_ready_portal(port, server, log)
            # Each simulated client makes 5 requests; users arrive evenly over the window.
            pacing = args.minutes * 60 * args.users / len(usernames)
            samples_path = work / "samples.json"
            locust_env = env | {
                "PORTAL_PLAN": str(plan),
                "PORTAL_PACING": f"{pacing:.3f}",
                "PORTAL_SAMPLES": str(samples_path),
                "PORTAL_USERS": str(args.users),
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
            }
            subprocess.run(
                [
                    str(VENV / "locust"),
                    *("-f", str(ROOT / "bench" / "locustfile_portal.py")),
                    *("--headless", "-u", str(args.users), "-r", str(max(1, args.users // 4))),
                    *("--host", f"http://127.0.0.1:{port}", "--only-summary"),
                    *("--loglevel", "WARNING", "--run-time", f"{int(args.minutes * 60 + 300)}s"),
                ],
                cwd=ROOT,
                env=locust_env,
                check=False,
                capture_output=True,
            )
        finally:
            server.terminate()
            server.wait(timeout=40)
        samples = json.loads(samples_path.read_text()) if samples_path.exists() else []
    times = [s[2] for s in samples]
    errors = sum(1 for s in samples if not s[3])
    by_kind: dict[str, list[float]] = {}
    for _t, kind, ms, _ok in samples:
        by_kind.setdefault(kind, []).append(ms)
    span = (samples[-1][0] - samples[0][0]) if samples else 0.0
    p95 = _percentile(times, 0.95) if times else float("nan")
    rate = len(usernames) / (args.minutes * 60)
    print(f"clients: {len(usernames)} in {args.minutes:g} min ({rate:.2f}/s)")
    print(
        f"requests: {len(samples)} over {span:.0f} s; p50 {_percentile(times, 0.5):.0f} ms; "
        f"p95 {p95:.0f} ms (goal < {GOALS['p95_ms']:.0f}); errors {errors} (goal 0)"
    )
    for kind, values in sorted(by_kind.items()):
        print(
            f"  {kind:<16} n={len(values):>6}  p50 {_percentile(values, 0.5):>6.0f} ms  "
            f"p95 {_percentile(values, 0.95):>6.0f} ms"
        )
    ok = p95 < GOALS["p95_ms"] and errors == 0
    print("verdict:", "PASS" if ok else "MISS")
    return 0


def _wait_ready_portal(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    wait_ready(port, server, log)


if __name__ == "__main__":
    raise SystemExit(main())
