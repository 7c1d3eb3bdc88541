"""The demo as its users meet it: every demo login walks the pages its home page and menus link
to (two clicks deep) and every page answers 200 or a redirect, never an error; the demo's
supervisor can dry-run this month's payments and every active case is calculated."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.demo.data import demo_logins
from caseworks.payments.runs import payment_run_dry_run, payment_run_prepare

pytestmark = pytest.mark.slow

HREF = re.compile(r'href="([^"#]+)"')
# Downloads and file links are not pages; sign-out and language switches are forms.
NOT_A_PAGE = re.compile(
    r"\.(pdf|csv|xlsx|txt)$|/download|/export|/file/|/cpa005|^/static/|^/admin/"
)
PAGES_PER_LOGIN = 40


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        call_command("flush", "--noinput", verbosity=0)


def _walk(client: Client) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    while queue and len(seen) < PAGES_PER_LOGIN:
        path, depth = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or depth == 2:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            target = urljoin(path, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or NOT_A_PAGE.search(parts.path):
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), depth + 1))
    return seen


@pytest.mark.django_db
def test_every_demo_login_walks_its_pages_without_an_error(demo: Any) -> None:
    failures = []
    walked = 0
    for login in demo_logins():
        client = Client()
        client.force_login(User.objects.get(username=login.username))
        pages = _walk(client)
        walked += len(pages)
        failures += [
            (login.username, path, code)
            for path, code in pages.items()
            if code not in (200, 301, 302)
        ]
    assert walked > 200
    assert failures == []


@pytest.mark.django_db
def test_the_demo_supervisor_dry_runs_this_months_payments_for_every_active_case(
    demo: Any,
) -> None:
    supervisor = User.objects.get(username="toronto.supervisor")
    run = payment_run_prepare(
        acting_user=supervisor,
        delivery_partner=supervisor.delivery_partner,
        benefit_month=timezone.localdate().replace(day=1),
    )
    run = payment_run_dry_run(acting_user=supervisor, run=run)
    active = BenefitUnit.objects.filter(
        delivery_partner=supervisor.delivery_partner, status=CaseStatus.ACTIVE
    ).count()
    assert active > 0
    assert run.case_count == active
    assert run.error_count == 0
    assert run.total_cents > 0
