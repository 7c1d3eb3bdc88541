"""Words for users only (issue 15): no source notes, file paths or route names on the pages.

Loads the demo caseload (plus the IES providers and the survey templates, which carried
"[secondary source only]", a CSV path and "oversight-sources.md §8"), then, for each role, walks
the pages linked from the home page (GET only, same site, no exports or downloads) and checks
the text a person reads, in English and in French.
"""

from __future__ import annotations

import html
import re
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.page_names import PAGE_NAMES, page_label
from caseworks.clients.tests.factories import PersonFactory
from caseworks.employment.services import ies_providers_load
from caseworks.surveys.services import survey_templates_load

pytestmark = pytest.mark.django_db

# What must never be read on a page: internal source notes, file names, route names.
FORBIDDEN = [
    (re.compile(r"\[secondary source", re.IGNORECASE), "a source note"),
    (re.compile(r"\b[\w./-]+\.(md|csv|py|yaml)\b", re.IGNORECASE), "a file name"),
    (re.compile(r"§\s*\d+(\.\d+)*\s*\)?\s*$|\.md\s*§", re.MULTILINE), "a § of a document"),
    (re.compile(r"\b(secondary|official|uncertain|inferred)\s*\(", re.IGNORECASE), "a note"),
    (re.compile(r"/work/shared|shared/reference"), "a file path"),
]
ROUTE_NAME = re.compile(
    r"\b(cases|clients|payments|employment|applications|eligibility|plans|reviews|documents|"
    r"caseload|api|admin):[a-z_]+\b"
)
# A view name written in the code where an access is recorded: view_name="payments:case_money",
# or passed to a logging helper as a literal.
RECORDED_VIEW_NAME = re.compile(
    r"(?:view_name=|_log\(request, [a-z_.]+, |_log_view\(request, [a-z_.]+, |"
    r'_log_case_read\(request, [a-z_.]+, )"((?:api:|admin:)?[a-z_]+:[a-z_]+)"'
)
SKIP = re.compile(r"logout|export|download|\.(csv|xlsx|pdf|json)$|/admin/|/api/|/static/")
PAGES_PER_ROLE = 40
ROLES = [
    Role.CASEWORKER,
    Role.SUPERVISOR,
    Role.EMPLOYMENT_CASEWORKER,
    Role.AUDITOR,
    Role.INTAKE_CLERK,
    Role.MINISTRY_ANALYST,
]


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    page = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape(page)


def _links(page: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)', page):
        url = html.unescape(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/") or SKIP.search(parts.path):
            continue
        found.append(url)
    return found


def _problems(text: str) -> list[str]:
    problems = []
    for pattern, what in FORBIDDEN:
        for match in pattern.finditer(text):
            start = max(0, match.start() - 60)
            problems.append(f"{what}: …{text[start : match.end() + 20]!r}")
    for match in ROUTE_NAME.finditer(text):
        problems.append(f"a route name: {match.group(0)!r}")
    return problems


def _walk(client: Client, language: str) -> dict[str, list[str]]:
    client.cookies["django_language"] = language
    seen: set[str] = set()
    queue = ["/"]
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        found = _problems(_visible_text(page))
        if found:
            problems[url] = found
        queue.extend(link for link in _links(page) if link not in seen)
    return problems


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo_data", stdout=StringIO())
    ies_providers_load()
    survey_templates_load()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_main_pages_show_no_source_notes_file_names_or_route_names(
    demo: None, language: str
) -> None:
    problems: dict[str, dict[str, list[str]]] = {}
    for role in ROLES:
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        assert user is not None, role
        client = Client()
        client.force_login(user)
        found = _walk(client, language)
        if found:
            problems[str(role)] = found
    assert problems == {}


def test_access_log_page_column_shows_page_names_not_route_names(
    client: Client, users: dict[str, Any], partner: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    for view_name in ("payments:case_money", "cases:detail", "admin:person:change"):
        ClientFileAccess.objects.create(
            person=person, user=users[Role.CASEWORKER], view_name=view_name
        )
    client.force_login(users[Role.AUDITOR])
    for language, expected in (("en", "Case money"), ("fr", "Argent du dossier")):
        page = client.get("/clients/access-log/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        text = _visible_text(page)
        assert expected in text
        assert "payments:case_money" not in text
        assert ROUTE_NAME.search(text) is None


def test_the_checker_catches_what_the_issue_saw() -> None:
    for text in (
        "EmployNext powered by Serco [secondary source only]",
        "Integrated Employment Services (caseworks/employment/data/ies_catchments.csv)",
        "some older local sources say 10 days — see ow-rules.md §5)",
        "questions limited to the five subjects (oversight-sources.md §8)",
        "Page payments:case_money",
    ):
        assert _problems(text), text
    assert _problems("O. Reg. 134/98, s. 68 (30 days)") == []
    assert _problems("Ontario Works Act, 1997, s. 7(1)") == []


def test_every_recorded_page_name_has_a_label() -> None:
    root = Path(__file__).resolve().parent.parent / "caseworks"
    recorded: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        recorded.update(RECORDED_VIEW_NAME.findall(path.read_text(encoding="utf-8")))
    assert "payments:case_money" in recorded, "the pattern no longer finds what the code records"
    missing = sorted(name for name in recorded if page_label(name) == name)
    assert missing == []
    assert all(str(label) for label in PAGE_NAMES.values())
