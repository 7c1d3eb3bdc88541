"""A page view writes what the privacy promise needs (the access record) and nothing else:
no session UPDATE on every request (issue 11, "fewer writes per page")."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseworks.cases.tests.factories import make_case

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\s+(?:INTO\s+)?\"?([a-z_]+)", re.IGNORECASE)


def _writes(client: Client, url: str) -> list[tuple[str, str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    found = []
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match:
            found.append((match.group(1).upper(), match.group(2)))
    return found


def test_a_case_page_view_writes_only_its_access_record(
    client: Client, caseworker: Any, partner: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    client.force_login(caseworker)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # the first request after login records "last seen" in the session
    writes = _writes(client, url)
    assert writes == [("INSERT", "clients_clientfileaccess")]


def test_a_page_without_client_data_writes_nothing(client: Client, caseworker: Any) -> None:
    client.force_login(caseworker)
    client.get(reverse("home"))
    assert _writes(client, reverse("home")) == []


def test_last_seen_is_still_refreshed_once_the_touch_interval_has_passed(
    client: Client, caseworker: Any, settings: Any
) -> None:
    settings.SESSION_TOUCH_SECONDS = 0
    client.force_login(caseworker)
    client.get(reverse("home"))
    assert ("UPDATE", "django_session") in _writes(client, reverse("home"))
