# random pacing of synthetic clients
"""Clients of bench/portal.py: each simulated client signs in at /my/login/, opens the report
page and sends "nothing changed" (then sees the receipt), once. Users take accounts from the
plan in turn until every client has reported; the samples go to PORTAL_SAMPLES."""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from typing import Any

from locust import HttpUser, constant_pacing, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["PORTAL_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PACING = float(os.environ.get("PORTAL_PACING", "1.0"))
_next = itertools.count()
_samples: list[tuple[float, str, float, bool]] = []
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _hidden(html: str, action: str) -> dict[str, str]:
    start = html.find(f'action="{action}"')
    end = html.find("</form>", start)
    return dict(_HIDDEN.findall(html[start:end])) if start >= 0 else {}


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    _samples.append((time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write(**_kwargs: Any) -> None:
    with open(os.environ["PORTAL_SAMPLES"], "w", encoding="utf-8") as out:
        json.dump(_samples, out)


class Client(HttpUser):
    wait_time = constant_pacing(PACING)

    @task
    def report(self) -> None:
        number = next(_next)
        if number >= len(PLAN["usernames"]):
            if number == len(PLAN["usernames"]) + int(os.environ.get("PORTAL_USERS", "1")) - 1:
                self.environment.runner.quit()
            raise StopUser
        self.client.cookies.clear()
        page = self.client.get("/my/login/", name="login form")
        self.client.post(
            "/my/login/",
            data={
                "csrfmiddlewaretoken": _hidden(page.text, "/my/login/").get(
                    "csrfmiddlewaretoken", ""
                ),
                "login": PLAN["usernames"][number],
                "password": PLAN["password"],
            },
            name="login",
        )
        report = self.client.get("/my/report/", name="report page")
        fields = _hidden(report.text, "/my/report/nothing-changed/")
        with self.client.post(
            "/my/report/nothing-changed/", data=fields, name="nothing changed", catch_response=True
        ) as response:
            if "/my/report/receipts/" not in response.url:
                response.failure("no receipt")
