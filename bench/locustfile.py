"""Simulated caseworkers for the load benchmark (bench/load.py runs it; not a benchmark alone).

    locust -f bench/locustfile.py --headless ...   (bench/load.py sets LOAD_PLAN and the rest)

Every simulated user signs in through the real login form (CSRF token from the form) as one of
the benchmark caseworkers of bench/load.py's plan (several delivery partners, each caseworker with
150 open cases of their own partner), then works like a caseworker's day with think time:

* search (35 %): the client search page with a query taken from the partner's own people
  (surname prefix, "surname first-name", date of birth, last 3 digits of a SIN, case number);
* case page (30 %): one of their own cases;
* caseload (10 %): "My caseload";
* income report (12 %): the money tab's income report form (GET), then POSTed with last month's
  earnings for the applicant, in English or French amounts as the user's language;
* determination (13 %): the money page (GET), then the "check paid months" recalculation of the
  paid benefit month (POST without confirmation): the facts builder and the rules for that
  month, shown as a preview, nothing saved.

Each request is recorded (time, name, response time, success) and written to LOAD_SAMPLES when
the measured window ends. The window starts LOAD_WARMUP seconds after the last user signed in
and lasts LOAD_SECONDS; then the runner stops itself.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any

import gevent
from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = {}
if os.environ.get("LOAD_PLAN"):
    with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
        PLAN = json.load(plan_file)
HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "").split(",") if h]
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "10"))
SAMPLES = os.environ.get("LOAD_SAMPLES", "")

_next_user = itertools.count()
_signed_in: list[float] = []
_samples: list[tuple[float, str, float, bool]] = []

_FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.DOTALL)
_INPUT = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _hidden_fields(html: str, marker: str) -> dict[str, str]:
    """The hidden inputs (CSRF token, submission key, expected version...) of the page's form
    that contains `marker`, as the browser would send them."""
    for form in _FORM.findall(html):
        if marker in form:
            fields = {}
            for tag in _INPUT.findall(form):
                attrs = dict(_ATTR.findall(tag))
                if attrs.get("type") == "hidden" and "name" in attrs:
                    fields[attrs["name"]] = attrs.get("value", "")
            return fields
    return {}


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    _samples.append((time.time(), name, response_time, exception is None))


def _phase(environment: Any) -> None:
    """Wait for every user to sign in, warm up, measure SECONDS, write the samples, stop."""
    users = environment.parsed_options.num_users if environment.parsed_options else 1
    deadline = time.time() + 300
    while len(_signed_in) < users and time.time() < deadline:
        gevent.sleep(0.2)
    signed_in = time.time()
    gevent.sleep(WARMUP)
    start = time.time()
    gevent.sleep(SECONDS)
    end = time.time()
    if SAMPLES:
        with open(SAMPLES, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "users": users,
                    "signed_in_users": len(_signed_in),
                    "all_signed_in_at": signed_in,
                    "start": start,
                    "end": end,
                    "samples": _samples,
                },
                out,
            )
    environment.runner.quit()


@events.test_start.add_listener
def _start_phase(environment: Any, **_kwargs: Any) -> None:
    gevent.spawn(_phase, environment)


class Caseworker(HttpUser):
    wait_time = between(0.5, 2)  # think time: reading the page, typing
    host = HOSTS[0] if HOSTS else "http://127.0.0.1:8000"

    def on_start(self) -> None:
        number = next(_next_user)
        self.account = PLAN["accounts"][number % len(PLAN["accounts"])]
        self.queries = PLAN["queries"][str(self.account["partner_id"])]
        if HOSTS:
            self.client.base_url = HOSTS[number % len(HOSTS)]
        self.french = self.account["language"] == "fr"
        self.client.headers["Accept-Language"] = "fr-CA,fr;q=0.9" if self.french else "en-CA,en"
        self.rng = random.Random(number)
        page = self.client.get("/login/", name="login form")
        with self.client.post(
            "/login/",
            data={
                **_hidden_fields(page.text, 'name="password"'),
                "username": self.account["username"],
                "password": PLAN["password"],
            },
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/login/" in response.url:
                response.failure(f"login failed for {self.account['username']}")
        _signed_in.append(time.time())

    @task(35)
    def search(self) -> None:
        self.client.get("/clients/", params={"q": self.rng.choice(self.queries)}, name="search")

    @task(30)
    def case_page(self) -> None:
        case = self.rng.choice(self.account["cases"])
        self.client.get(f"/cases/{case['id']}/", name="case page")

    @task(10)
    def caseload(self) -> None:
        self.client.get("/caseload/", name="caseload")

    @task(12)
    def income_report(self) -> None:
        case = self.rng.choice(self.account["cases"])
        url = f"/payments/cases/{case['id']}/income/"
        page = self.client.get(url, name="income report form")
        if page.status_code != 200:
            return
        dollars = self.rng.randint(0, 1800)
        cents = self.rng.choice([0, 0, 25, 50, 75, 99])
        if self.french:  # as typed in French: "1 234,50 $"
            amount = f"{dollars:,}".replace(",", " ") + f",{cents:02d} $"
        else:
            amount = f"{dollars:,}.{cents:02d}"
        data = {
            **_hidden_fields(page.text, 'name="earnings"'),
            "person": str(case["applicant"]),
            "income_month": PLAN["income_month"],
            "earnings": amount,
            "other_kind": "",
            "other_amount": "",
            "proof": "",
        }
        with self.client.post(
            url, data=data, name="income report", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"income report not recorded (HTTP {response.status_code})")

    @task(13)
    def determination(self) -> None:
        case = self.rng.choice(self.account["paid_cases"] or self.account["cases"])
        page = self.client.get(f"/payments/cases/{case['id']}/", name="money page")
        if page.status_code != 200:
            return
        data = {
            **_hidden_fields(page.text, 'name="recalc-from_month"'),
            "recalc-from_month": PLAN["paid_month"],
        }
        with self.client.post(
            f"/payments/cases/{case['id']}/recalculate/",
            data=data,
            name="determination",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'id="preview-title"' not in response.text:
                response.failure(f"no recalculation preview (HTTP {response.status_code})")
