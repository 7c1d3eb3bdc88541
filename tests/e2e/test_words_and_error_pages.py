"""Issue 15 in the browser: the words a person reads on the main staff pages (English and
French) carry no source notes, file names or route names; the server-error page is the
project's own, in English and French, with no debug information. axe scans the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.applications.services import appointment_book, inquiry_record
from caseworks.employment.services import ies_providers_load
from caseworks.payments.tests.builders import active_case
from caseworks.surveys.services import survey_templates_load
from tests.test_user_facing_words import SKIP, _problems

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)

PAGES_PER_ROLE = 12
WALKERS = [Role.CASEWORKER, Role.SUPERVISOR, Role.INTAKE_CLERK, Role.EMPLOYMENT_CASEWORKER]


def _french(page: Page, base: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": base}])


def _same_site_links(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        parts = urlsplit(href or "")
        if parts.scheme or parts.netloc or not (href or "").startswith("/"):
            continue
        if SKIP.search(parts.path) or "/logout" in parts.path:
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _walk(page: Page, base: str, language: str) -> tuple[dict[str, list[str]], int]:
    """Breadth first from the home page: the text the browser shows on each page."""
    seen: set[str] = set()
    queue = ["/"]
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(f"{base}{url}")
        if response is None or response.status != 200:
            continue
        if "html" not in (response.headers.get("content-type") or ""):
            continue
        assert page.locator("html").get_attribute("lang") == language, url
        found = _problems(page.locator("body").inner_text())
        if found:
            problems[url] = found
        queue.extend(link for link in _same_site_links(page) if link not in seen)
    return problems, len(seen)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_main_staff_pages_in_the_browser_show_no_source_notes_file_names_or_route_names(
    page: Page, live_server: Any, partner: Any, language: str
) -> None:
    base = live_server.url
    # What carried the notes the issue saw: the IES providers and the survey templates.
    ies_providers_load()
    survey_templates_load()
    users = {
        role: UserFactory(role=role, delivery_partner=partner, first_name=f"{role}"[:20])
        for role in WALKERS
    }
    worker = users[Role.CASEWORKER]
    case = active_case(partner=partner, actor=worker, first_name="Amara", last_name="Okafor")
    inquiry = inquiry_record(acting_user=users[Role.INTAKE_CLERK], caller_name="Luc Gagnon")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    appointment_book(
        acting_user=users[Role.INTAKE_CLERK],
        caseworker=worker,
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10, 0))),
        inquiry=inquiry,
        person=case.members.get().person,
    )
    problems: dict[str, dict[str, list[str]]] = {}
    walked = 0
    for role, user in users.items():
        page.context.clear_cookies()
        login(page, base, user.username, TEST_PASSWORD)
        if language == "fr":
            _french(page, base)
        if role == Role.CASEWORKER:
            page.goto(f"{base}/")
            assert_accessible(page, f"caseworker home ({language})")
        found, count = _walk(page, base, language)
        walked += count
        if found:
            problems[str(role)] = found
    assert problems == {}
    assert walked >= 2 * len(WALKERS)  # the walk really went past the home pages


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_server_error_shows_the_bilingual_500_page_without_debug_information(
    page: Page, live_server: Any, partner: Any, monkeypatch: Any, language: str
) -> None:
    """A failure inside a view of the live server (a selector made to raise, in this test
    only) gives the project's 500 page: both languages, no traceback, no exception text."""
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    login(page, live_server.url, worker.username, TEST_PASSWORD)
    if language == "fr":
        _french(page, live_server.url)

    def failing(**_kwargs: Any) -> Any:
        raise RuntimeError("secret-detail caseworks/caseload/selectors.py password=hunter2")

    monkeypatch.setattr("caseworks.caseload.views_home.caseload_for_user", failing)
    response = page.goto(f"{live_server.url}/")
    assert response is not None
    assert response.status == 500
    expect(page.locator("h1")).to_have_text("Something went wrong")
    expect(page.locator("[lang='fr'] h2")).to_have_text("Une erreur s’est produite")
    expect(page.get_by_role("link", name="Aller à la page d’accueil")).to_be_visible()
    content = page.content()
    for leak in ("Traceback", "RuntimeError", "secret-detail", "hunter2", "selectors.py", "DEBUG"):
        assert leak not in content, leak
    assert _problems(page.locator("body").inner_text()) == []
    assert_accessible(page, f"500 page ({language})")
