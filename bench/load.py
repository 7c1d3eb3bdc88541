# ruff: noqa: PLC0415  # Django models load after bench_database(); a benchmark prints
"""Load benchmark of the production stack: `make bench-load`, or
`tools/with-test-postgres.sh .venv/bin/python bench/load.py [--cases N] [--users N]
[--seconds N] [--keep]`.

Builds the SYNTHETIC 300,000-case caseload of bench/dataset.py with the circumstances over time
of bench/payments.py (every case active, dated housing, assets, member facts, income reports), and
for four delivery partners (City of Toronto, Ottawa, Hamilton and a district services board):
one benchmark caseworker per simulated user, each holding 150 open cases of their partner, with a
known password; the real payment run of the benefit month for those partners (prepare, dry run,
approve, release), so that their cases have a paid month the money pages can recalculate.

Then it serves the database with the production stack: gunicorn with deploy/gunicorn.conf.py
(plus two bench-only hooks, below), config.settings.production, collected static files, JSON
logs at WARNING, as `tools/run-stack.sh prod` sets it up (plain HTTP on 127.0.0.1), and runs
locust headless in a subprocess (bench/locustfile.py: its gevent monkey-patching stays out of this
process) with simulated caseworkers who sign in through the login form and, with think time,
search clients, open case pages, their caseload, record income reports and run a recalculation
(the "determination": facts builder + rules of the paid month, shown as a preview, not saved).

Two phases on the same database: one gunicorn instance, then two instances (two masters on two
ports, the users spread over both). For each it prints requests/s, p50, p95, errors, per request
type p50/p95, and the server's CPU time per request, two ways:
* inside gunicorn: a bench-only config (deploy/gunicorn.conf.py + `pre_request`/`post_request`
  hooks) records `time.thread_time()` around each request (gthread runs a request on one thread)
  into a file per worker: median and mean per request (Django, templates, the database driver;
  not PostgreSQL's own time, which is another process);
* from /proc: CPU of the gunicorn processes (master and workers) over the measured window divided
  by the requests; also PostgreSQL's and the load generator's, and the whole machine's.

Goals (issue 11), printed beside the figures, never asserted: 60 requests/s or more, p95 under
300 ms, zero errors, median server CPU under 10 ms per request. On this 2-core machine the load
generator and PostgreSQL share the cores with gunicorn, so two instances cannot be much faster
than one: the ratio says how much the second instance adds on the same cores, not across hosts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataset import DEFAULT_CASES, ROOT, bench_database, generate_caseload
from payments import _dry_run_partner, _release_partner
from payments_data import MONTH, _monthly_facts
from search import _queries
from stack import Sampler, free_port, postmaster_pid, stack_env, wait_ready

PASSWORD = "bench-Load-Caseworks-2026"  # synthetic accounts in a throw-away database
WORKER_CASES = 150
DEFAULT_USERS = 80
THINK = (0.5, 2.0)  # seconds, locustfile.Caseworker.wait_time
REQUESTS_PER_TASK = 1.25  # income report and determination are two requests each (25 % of tasks)
PARTNER_CODES = (  # a large city, two mid-size cities, a district services board
    ("city-of-toronto", 0.40),
    ("city-of-ottawa", 0.25),
    ("city-of-hamilton", 0.20),
    ("thunder-bay-district-social-services-administration-board", 0.15),
)
GOALS = {"rps": 60.0, "p95_ms": 300.0, "errors": 0, "cpu_median_ms": 10.0}
VENV = ROOT / ".venv" / "bin"

# deploy/gunicorn.conf.py and two hooks: the CPU time of each request on its own thread.
GUNICORN_CONF = '''\
"""Bench-only gunicorn settings, written by bench/load.py: the deployment's settings plus
pre_request/post_request hooks timing each request's thread CPU (one line per request)."""
import os
import threading
import time

_deploy = os.environ["LOAD_DEPLOY_CONF"]
with open(_deploy, encoding="utf-8") as _file:
    exec(compile(_file.read(), _deploy, "exec"))

_lock = threading.Lock()
_out = {}


def pre_request(worker, req):
    req.load_cpu = time.thread_time()
    req.load_wall = time.perf_counter()


def post_request(worker, req, environ, resp):
    cpu = time.thread_time() - req.load_cpu
    wall = time.perf_counter() - req.load_wall
    line = "%.4f %s %s %s %.3f %.3f\\n" % (
        time.time(), req.method, req.path, getattr(resp, "status_code", 0), cpu * 1e3, wall * 1e3
    )
    with _lock:
        out = _out.get(os.getpid())
        if out is None:
            path = os.path.join(os.environ["LOAD_CPU_DIR"], "cpu-%d.txt" % os.getpid())
            out = _out[os.getpid()] = open(path, "a", buffering=1, encoding="utf-8")
        out.write(line)
'''

_KINDS = (
    ("POST", re.compile(r"^/login/$"), "login"),
    ("GET", re.compile(r"^/login/$"), "login form"),
    ("GET", re.compile(r"^/$"), "home (after login)"),
    ("GET", re.compile(r"^/clients/$"), "search"),
    ("GET", re.compile(r"^/cases/\d+/$"), "case page"),
    ("GET", re.compile(r"^/caseload/$"), "caseload"),
    ("GET", re.compile(r"^/payments/cases/\d+/income/$"), "income report form"),
    ("POST", re.compile(r"^/payments/cases/\d+/income/$"), "income report"),
    ("GET", re.compile(r"^/payments/cases/\d+/$"), "money page"),
    ("POST", re.compile(r"^/payments/cases/\d+/recalculate/$"), "determination"),
)
ORDER = [
    "search",
    "case page",
    "caseload",
    "income report form",
    "income report",
    "money page",
    "determination",
]


def _kind(method: str, path: str) -> str:
    for kind_method, pattern, name in _KINDS:
        if method == kind_method and pattern.match(path):
            return name
    return "other"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- set-up ------------------------------------------------------------------------------------


def _partners(caseload: Any) -> list[tuple[Any, float]]:
    from caseworks.partners.models import DeliveryPartner

    by_code = {p.code: p for p in DeliveryPartner.objects.filter(pk__in=caseload.cases_by_partner)}
    chosen = [(by_code[code], share) for code, share in PARTNER_CODES if code in by_code]
    if len(chosen) < len(PARTNER_CODES):  # fall back on the largest partners
        largest = sorted(caseload.cases_by_partner, key=lambda p: -caseload.cases_by_partner[p])
        for pk in largest:
            partner = DeliveryPartner.objects.get(pk=pk)
            if all(partner.pk != c.pk for c, _ in chosen) and len(chosen) < len(PARTNER_CODES):
                chosen.append((partner, PARTNER_CODES[len(chosen)][1]))
    return chosen


def _accounts(partners: list[tuple[Any, float]], users: int) -> list[dict[str, Any]]:
    """One caseworker per simulated user, shared over the partners, each with their own open
    cases (up to 150) and a known password."""
    from django.db import transaction

    from caseworks.accounts.constants import Role
    from caseworks.accounts.models import User
    from caseworks.cases.models import BenefitUnit, BenefitUnitMember

    counts = [max(1, round(users * share)) for _, share in partners]
    counts[0] += users - sum(counts)
    hashed = ""
    accounts: list[dict[str, Any]] = []
    with transaction.atomic():
        for (partner, _share), count in zip(partners, counts, strict=True):
            open_ids = list(
                BenefitUnit.objects.filter(
                    delivery_partner=partner, status__in=["active", "pending", "suspended"]
                )
                .order_by("id")
                .values_list("id", flat=True)
            )
            per_worker = min(WORKER_CASES, len(open_ids) // count)
            for number in range(count):
                user = User(
                    username=f"load.{partner.code}.{number + 1}"[:150],
                    role=Role.CASEWORKER,
                    delivery_partner=partner,
                    first_name="Load",
                    last_name=f"Caseworker {number + 1}",
                )
                if not hashed:  # one PBKDF2 hash, the same known password for every account
                    user.set_password(PASSWORD)
                    hashed = user.password
                user.password = hashed
                user.save()
                mine = open_ids[number * per_worker : (number + 1) * per_worker]
                BenefitUnit.objects.filter(id__in=mine).update(caseworker=user)
                applicants = dict(
                    BenefitUnitMember.objects.filter(
                        benefit_unit_id__in=mine, role="applicant", end_on__isnull=True
                    ).values_list("benefit_unit_id", "person_id")
                )
                accounts.append(
                    {
                        "username": user.username,
                        "user_id": user.pk,
                        "partner_id": partner.pk,
                        "language": "fr" if len(accounts) % 4 == 3 else "en",
                        "cases": [
                            {"id": case_id, "applicant": applicants[case_id]}
                            for case_id in mine
                            if case_id in applicants
                        ],
                    }
                )
    return accounts


def _pay(partners: list[tuple[Any, float]], caseload: Any) -> float:
    """The real payment run of MONTH for the chosen partners, on two worker processes."""
    from django.conf import settings
    from django.db import connections

    from caseworks.accounts.constants import Role
    from caseworks.accounts.models import User

    approvers = {
        partner.pk: User.objects.create(
            username=f"bench.supervisor.{partner.pk}",
            role=Role.SUPERVISOR,
            delivery_partner=partner,
            first_name="Bench",
            last_name="Supervisor",
        ).pk
        for partner, _ in partners
    }
    order = [partner.pk for partner, _ in partners]
    # The synthetic facts of bench/payments.py are those of MONTH (January 2026); the app runs
    # only the current and the next month, so this process replays MONTH as the tests do.
    settings.PAYMENT_RUN_MONTHS_BOUNDED = False
    connections.close_all()
    started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_dry_run_partner, [(p, caseload.caseworker_by_partner[p].pk) for p in order], 1)
        pool.map(_release_partner, [(p, approvers[p]) for p in order], 1)
    return time.monotonic() - started


def _plan(accounts: list[dict[str, Any]], partners: list[tuple[Any, float]]) -> dict[str, Any]:
    from django.utils import timezone

    from caseworks.payments.models import Payment

    paid = set(
        Payment.objects.filter(
            benefit_month=MONTH,
            benefit_unit_id__in=[c["id"] for a in accounts for c in a["cases"]],
        ).values_list("benefit_unit_id", flat=True)
    )
    for account in accounts:
        account["paid_cases"] = [c for c in account["cases"] if c["id"] in paid]
    rng = random.Random(11)
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return {
        "password": PASSWORD,
        "accounts": accounts,
        "queries": {
            str(partner.pk): [text for _kind, text in _queries(partner.pk, 300, rng)]
            for partner, _ in partners
        },
        "income_month": last_month.strftime("%Y-%m"),
        "paid_month": MONTH.strftime("%Y-%m"),
    }


@dataclass
class Phase:
    name: str
    instances: int
    users: int
    seconds: float = 0.0
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    server_cpu: list[float] = field(default_factory=list)
    server_cpu_by_kind: dict[str, list[float]] = field(default_factory=dict)
    server_wall: list[float] = field(default_factory=list)
    proc_cpu: dict[str, float] = field(default_factory=dict)
    login_seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)


def _run_phase(
    name: str, instances: int, args: argparse.Namespace, work: Path, plan_path: Path
) -> Phase:
    phase = Phase(name=name, instances=instances, users=args.users)
    folder = work / name.replace(" ", "-")
    cpu_dir = folder / "cpu"
    cpu_dir.mkdir(parents=True)
    conf = work / "gunicorn_bench.conf.py"
    env = stack_env(work) | {"LOAD_CPU_DIR": str(cpu_dir)}
    masters: list[subprocess.Popen[bytes]] = []
    ports = [free_port() for _ in range(instances)]
    try:
        for number, port in enumerate(ports):
            log = folder / f"gunicorn-{number + 1}.log"
            with open(log, "wb") as out:
                masters.append(
                    subprocess.Popen(
                        [
                            *(str(VENV / "gunicorn"), "-c", str(conf)),
                            *("--bind", f"127.0.0.1:{port}", "config.wsgi"),
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        for number, (port, master) in enumerate(zip(ports, masters, strict=True)):
            wait_ready(port, master, folder / f"gunicorn-{number + 1}.log")
        samples_path = folder / "samples.json"
        locust_env = dict(os.environ) | {
            "LOAD_PLAN": str(plan_path),
            "LOAD_HOSTS": ",".join(f"http://127.0.0.1:{port}" for port in ports),
            "LOAD_SECONDS": str(args.seconds),
            "LOAD_WARMUP": str(args.warmup),
            "LOAD_SAMPLES": str(samples_path),
        }
        sampler = Sampler({"gunicorn": [m.pid for m in masters], "postgres": [postmaster_pid()]})
        sampler.start()
        with open(folder / "locust.log", "wb") as out:
            locust = subprocess.Popen(
                [
                    *(str(VENV / "locust"), "-f", str(ROOT / "bench" / "locustfile.py")),
                    *("--headless", "-u", str(args.users), "-r", str(max(1, args.users // 8))),
                    *("--host", f"http://127.0.0.1:{ports[0]}", "--csv", str(folder / "locust")),
                    *("--only-summary", "--loglevel", "WARNING"),
                    *("--run-time", f"{int(args.seconds + args.warmup + 400)}s"),
                ],
                cwd=ROOT,
                env=locust_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            sampler.roots["locust"] = [locust.pid]
            locust.wait()
        sampler.stopping.set()
        sampler.join()
        phase.load = os.getloadavg()[:2]  # type: ignore[assignment]
    finally:
        for master in masters:
            if master.poll() is None:
                master.send_signal(signal.SIGTERM)
        for master in masters:
            try:
                master.wait(timeout=40)
            except subprocess.TimeoutExpired:
                master.kill()
    if not samples_path.exists():
        log = (folder / "locust.log").read_text()
        raise SystemExit(f"bench load: locust wrote no samples:\n{log[-3000:]}")
    data = json.loads(samples_path.read_text())
    start, end = data["start"], data["end"]
    phase.seconds = end - start
    phase.login_seconds = data["all_signed_in_at"] - sampler.samples[0][0]
    window = [s for s in data["samples"] if start <= s[0] <= end]
    times = [s[2] for s in window]
    phase.requests = len(window)
    phase.errors = sum(1 for s in window if not s[3])
    phase.rps = phase.requests / phase.seconds
    phase.p50 = _percentile(times, 0.5)
    phase.p95 = _percentile(times, 0.95)
    for _t, kind, ms, ok in window:
        phase.by_kind.setdefault(kind, []).append(ms)
        if not ok:
            phase.errors_by_kind[kind] = phase.errors_by_kind.get(kind, 0) + 1
    for path in cpu_dir.iterdir():
        for line in path.read_text().splitlines():
            ended, method, url, _status, cpu, wall = line.split()
            if start <= float(ended) <= end:
                kind = _kind(method, url)
                phase.server_cpu.append(float(cpu))
                phase.server_wall.append(float(wall))
                phase.server_cpu_by_kind.setdefault(kind, []).append(float(cpu))
    for label in ("gunicorn", "postgres", "locust", "machine busy", "machine all"):
        phase.proc_cpu[label] = sampler.over(start, end, label)
    return phase


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _report(phase: Phase) -> None:
    tag = f"bench load [{phase.name}]"
    served = len(phase.server_cpu) or 1
    offered = phase.users / (sum(THINK) / 2) * REQUESTS_PER_TASK
    print(
        f"{tag}: {phase.users} users, think time {THINK[0]}-{THINK[1]} s (offered about "
        f"{offered:.0f} requests/s at zero latency), all signed in after {phase.login_seconds:.0f}"
        f" s, measured {phase.seconds:.0f} s"
    )
    error_pct = 100 * phase.errors / max(1, phase.requests)
    print(
        f"{tag}: {phase.rps:6.1f} requests/s   p50 {phase.p50:6.1f} ms   p95 {phase.p95:6.1f} ms"
        f"   errors {phase.errors} ({error_pct:.2f} %)   ({phase.requests:,} requests)"
    )
    for kind in [*ORDER, *sorted(set(phase.by_kind) - set(ORDER))]:
        times = phase.by_kind.get(kind)
        if not times:
            continue
        cpu = phase.server_cpu_by_kind.get(kind, [])
        print(
            f"{tag}:   {kind:<19} p50 {_percentile(times, 0.5):6.1f} ms   "
            f"p95 {_percentile(times, 0.95):6.1f} ms   server CPU median "
            f"{statistics.median(cpu) if cpu else float('nan'):5.1f} ms   "
            f"n={len(times):<5} errors {phase.errors_by_kind.get(kind, 0)}"
        )
    cpu_median = statistics.median(phase.server_cpu) if phase.server_cpu else float("nan")
    cpu_mean = statistics.fmean(phase.server_cpu) if phase.server_cpu else float("nan")
    busy = phase.proc_cpu["machine busy"] / max(1e-9, phase.proc_cpu["machine all"])
    print(
        f"{tag}: server CPU per request (thread time in gunicorn): median {cpu_median:.1f} ms, "
        f"mean {cpu_mean:.1f} ms; server time median {statistics.median(phase.server_wall):.1f} ms"
        f" ({len(phase.server_cpu):,} requests served)"
    )
    print(
        f"{tag}: CPU over the window (/proc): gunicorn {phase.proc_cpu['gunicorn']:.1f} s = "
        f"{1000 * phase.proc_cpu['gunicorn'] / served:.1f} ms/request, PostgreSQL "
        f"{phase.proc_cpu['postgres']:.1f} s = {1000 * phase.proc_cpu['postgres'] / served:.1f} "
        f"ms/request, locust {phase.proc_cpu['locust']:.1f} s; machine {100 * busy:.0f} % busy "
        f"on {os.cpu_count()} cores, load average {phase.load[0]:.1f} / {phase.load[1]:.1f}"
    )
    print(
        f"{tag}: goals: >= {GOALS['rps']:.0f} requests/s {_verdict(phase.rps >= GOALS['rps'])}, "
        f"p95 < {GOALS['p95_ms']:.0f} ms {_verdict(phase.p95 < GOALS['p95_ms'])}, "
        f"zero errors {_verdict(phase.errors == 0)}, median server CPU < "
        f"{GOALS['cpu_median_ms']:.0f} ms {_verdict(cpu_median < GOALS['cpu_median_ms'])}"
    )


def main() -> int:  # a benchmark script reads best top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--users", type=int, default=DEFAULT_USERS, help="simulated caseworkers")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=10, help="seconds after the sign-ins")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="caseworks-load-"))
    began = time.monotonic()
    with bench_database("caseworks_bench_load", keep=args.keep):
        import logging

        from django.db import connections

        # This process's own audit lines (the set-up's payment run) are not the benchmark's.
        for name in ("caseworks", "caseworks.audit", "django_structlog"):
            logging.getLogger(name).setLevel(logging.WARNING)
        caseload = generate_caseload(cases=args.cases)
        print(f"bench load: {caseload.describe()}")
        started = time.monotonic()
        facts = _monthly_facts(seed=args.cases)
        print(
            f"bench load: circumstances (bench/payments.py) {facts} "
            f"in {time.monotonic() - started:.0f} s"
        )
        partners = _partners(caseload)
        accounts = _accounts(partners, args.users)
        pay_seconds = _pay(partners, caseload)
        plan = _plan(accounts, partners)
        connections.close_all()
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(plan))
        (work / "gunicorn_bench.conf.py").write_text(GUNICORN_CONF)
        names = ", ".join(
            f"{p.name} ({sum(1 for a in accounts if a['partner_id'] == p.pk)} caseworkers)"
            for p, _ in partners
        )
        print(
            f"bench load: {len(accounts)} caseworkers with up to {WORKER_CASES} open cases each: "
            f"{names}; payment run of {MONTH:%Y-%m} for them in {pay_seconds:.0f} s "
            f"({sum(len(a['paid_cases']) for a in accounts):,} of their cases paid)"
        )
        started = time.monotonic()
        subprocess.run(
            [str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=stack_env(work),
            check=True,
        )
        print(
            f"bench load: collectstatic in {time.monotonic() - started:.0f} s; set-up "
            f"{time.monotonic() - began:.0f} s in all"
        )
        one = _run_phase("one instance", 1, args, work, plan_path)
        _report(one)
        two = _run_phase("two instances", 2, args, work, plan_path)
        _report(two)
    print(
        f"bench load: two instances / one: requests/s x{two.rps / one.rps:.2f}, p95 "
        f"x{two.p95 / one.p95:.2f} (each instance: deploy/gunicorn.conf.py's "
        f"{os.environ.get('GUNICORN_WORKERS') or max(2, os.cpu_count() or 1)} workers)"
    )
    print(
        "bench load: note: gunicorn, PostgreSQL and the load generator share this machine's "
        f"{os.cpu_count()} cores, so a second instance adds processes, not CPU: a ratio near 1 "
        "is expected here; across two hosts the app tier would scale until PostgreSQL is the limit."
    )
    print(
        "bench load: 'determination' is the money tab's recalculation of the paid month "
        f"{MONTH:%Y-%m} (facts builder + rules, shown as a preview, not saved): the dataset has "
        "no applications, so no eligibility determination is run."
    )
    if args.keep:
        print(f"bench load: logs, samples and locust CSV files kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"bench load: whole run {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
