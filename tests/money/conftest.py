"""Money journeys: households driven through the public API from the application to the bank
file, and the readers that check every figure against an independent reading of each artefact.

* The API is called with Bearer tokens, as another system would.
* A payment run queued by the API runs as the worker runs it: the job procrastinate stored is
  executed in-process by its task (an in-memory connector stands in for the queue tables).
* The notice is read from the PDF's text; the CPA-005 file is parsed from its fixed-width
  layout (Payments Canada Standard 005: 1464-byte records, a C record holding up to six
  240-byte credit segments: type 3, amount 10 in cents, date 6, institution 9, account 12,
  trace 22, stored type 3, short name 15, payee name 30, …), not with the code that wrote it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from procrastinate import testing
from procrastinate.contrib.django import app as procrastinate_app
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import UserFactory

CPA_RECORD = 1464
CPA_SEGMENT = 240


@dataclass
class Office:
    partner: Any
    caseworker: Any
    supervisor: Any
    supervisor2: Any
    worker_api: Client
    prepare_api: Client
    approve_api: Client


def bearer(user: Any) -> Client:
    # Made after a second factor, as a finance script's token must be (issue 13).
    _row, raw = api_token_create(
        acting_user=user, user=user, name="money journeys", second_factor=True
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def call(client: Client, method: str, path: str, payload: Any = None, status: int = 0) -> Any:
    """One API call; fails the test with the answer if the status is not the expected one."""
    kwargs: dict[str, Any] = {}
    if payload is not None:
        kwargs = {"data": json.dumps(payload), "content_type": "application/json"}
    if method == "post":  # every money POST carries its own idempotency key
        kwargs["HTTP_IDEMPOTENCY_KEY"] = uuid.uuid4().hex
    response = getattr(client, method)(path, **kwargs)
    expected = status or (201 if method == "post" else 200)
    assert response.status_code == expected, (path, response.status_code, response.content[:600])
    return response.json()


@pytest.fixture
def in_memory_queue() -> Iterator[testing.InMemoryConnector]:
    connector = testing.InMemoryConnector()
    with procrastinate_app.replace_connector(connector):
        yield connector


def run_queued_jobs(connector: testing.InMemoryConnector) -> int:
    """Execute every job the API queued, as the worker does (its task, its arguments)."""
    done = 0
    for job in list(connector.jobs.values()):
        if job["status"] != "todo":
            continue
        task = procrastinate_app.tasks[job["task_name"]]
        task(**job["args"])
        job["status"] = "succeeded"
        done += 1
    return done


def make_office(partner: Any) -> Office:
    caseworker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    supervisor2 = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    return Office(
        partner=partner,
        caseworker=caseworker,
        supervisor=supervisor,
        supervisor2=supervisor2,
        worker_api=bearer(caseworker),
        prepare_api=bearer(supervisor),
        approve_api=bearer(supervisor2),
    )


@pytest.fixture
def office(partner: Any) -> Office:
    return make_office(partner)


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def money_text(cents: int, language: str) -> str:
    """The amount as the French Language Services Act and English Canadian usage write it,
    with plain spaces (the PDF reader's text has no no-break spaces)."""
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if language == "fr":
        return f"{sign}{whole:,}".replace(",", " ") + f",{part:02d} $"
    return f"{sign}${whole:,}.{part:02d}"


def cpa005_credits(data: bytes) -> list[dict[str, Any]]:
    """Every credit of a CPA-005 file: amount in cents and payee name, by position."""
    records = [r for r in data.split(b"\r\n") if r]
    credits = []
    for record in records:
        assert len(record) == CPA_RECORD, len(record)
        if record[:1] != b"C":
            continue
        for index in range(6):
            segment = record[24 + index * CPA_SEGMENT : 24 + (index + 1) * CPA_SEGMENT]
            if not segment.strip():
                continue
            credits.append(
                {
                    "type": segment[0:3].decode(),
                    "amount_cents": int(segment[3:13]),
                    "payee": segment[80:110].decode("ascii").strip(),
                }
            )
    return credits


def month(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")
