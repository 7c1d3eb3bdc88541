"""The returns, reissue and cheque register API (issue 12): every money POST with its
Idempotency-Key (a replay records nothing twice and answers the first result), the roles."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from caseworks.accounts.services import api_token_create
from caseworks.payments.cpa005 import validate_file
from caseworks.payments.models import (
    ChequeAction,
    PaymentFile,
    PaymentReissue,
    PaymentReturn,
    ReturnsFile,
)
from caseworks.payments.tests.test_returns import returns_file
from caseworks.payments.tests.test_returns import world as world  # noqa: PLC0414  # the fixture

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _row, raw = api_token_create(
        acting_user=user, user=user, name="returns api test", second_factor=True
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, path: str, body: Any = None, key: str | None = None) -> Any:
    return client.post(
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
    )


def _import(client: Client, data: bytes, key: str | None = None) -> Any:
    return _post(
        client, "/api/payments/returns", {"content_base64": base64.b64encode(data).decode()}, key
    )


def test_api_returns_import_once_with_replay_and_listed(world: dict[str, Any]) -> None:
    ana, ben = world["eft"]
    api = _api(world["supervisor"])
    data = returns_file([(ana, "905"), (ben, "902")])
    key = uuid.uuid4().hex
    first = _import(api, data, key)
    assert first.status_code == 201, first.content
    assert first.json()["recorded"] == 2
    replay = _import(api, data, key)
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    again = _import(api, data)  # another key, the same file: nothing changes
    assert again.json()["unchanged"] is True
    assert (PaymentReturn.objects.count(), ReturnsFile.objects.count()) == (2, 1)
    listed = api.get("/api/payments/returns")
    assert listed.status_code == 200
    assert {r["payment_id"] for r in listed.json()} == {ana.pk, ben.pk}
    assert {r["reason"] for r in listed.json()} == {
        "905 Account closed",
        "902 Cannot trace / account not found",
    }
    # A caseworker cannot import (finance staff), nor without a key.
    assert _import(_api(world["caseworker"]), data).status_code == 403
    no_key = _api(world["supervisor"]).post(
        "/api/payments/returns",
        json.dumps({"content_base64": base64.b64encode(data).decode()}),
        content_type="application/json",
    )
    assert no_key.status_code == 400
    bad = _post(api, "/api/payments/returns", {"content_base64": "not base64!"})
    assert bad.status_code == 422


def test_api_reissue_then_cheque_list_sent_once(world: dict[str, Any]) -> None:
    ana = world["eft"][0]
    _import(_api(world["supervisor"]), returns_file([(ana, "905")]))
    back = PaymentReturn.objects.get()
    worker = _api(world["caseworker"])
    key = uuid.uuid4().hex
    body = {"return_id": back.pk, "method": "cheque", "reason": "Account closed"}
    first = _post(worker, "/api/payments/reissues", body, key)
    assert first.status_code == 201, first.content
    assert _post(worker, "/api/payments/reissues", body, key).json() == first.json()
    assert PaymentReissue.objects.count() == 1
    twice = _post(worker, "/api/payments/reissues", body)  # a new key: refused, only once
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["code"] == "already_reissued"
    unknown = _post(worker, "/api/payments/reissues", {**body, "return_id": back.pk + 1000})
    assert unknown.status_code == 422

    finance = _api(world["supervisor"])
    assert _post(worker, "/api/payments/reissues/cheque-list").status_code == 403
    key = uuid.uuid4().hex
    listed = _post(finance, "/api/payments/reissues/cheque-list", None, key)
    assert listed.status_code == 201, listed.content
    rows = list(csv.DictReader(io.StringIO(listed.json()["csv"])))
    assert [int(r["payment_id"]) for r in rows] == [ana.pk]
    # A lost answer is fetched again with the same key; a new list has nothing to send.
    assert _post(finance, "/api/payments/reissues/cheque-list", None, key).json() == listed.json()
    empty = _post(finance, "/api/payments/reissues/cheque-list")
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["code"] == "nothing_to_send"


def test_api_reissue_file_built_once_and_replayed(world: dict[str, Any]) -> None:
    from caseworks.payments.models import BankAccount  # noqa: PLC0415

    ana = world["eft"][0]
    finance = _api(world["supervisor"])
    _import(finance, returns_file([(ana, "912")]))
    BankAccount.objects.filter(benefit_unit_id=ana.benefit_unit_id).update(
        end_on=dt.date(2026, 1, 10)
    )
    BankAccount.objects.create(
        benefit_unit_id=ana.benefit_unit_id,
        holder_name="ANA ROY",
        institution="010",
        transit="11111",
        account="99999999",
        start_on=dt.date(2026, 1, 11),
        recorded_by=world["caseworker"],
    )
    made = _post(
        finance,
        "/api/payments/reissues",
        {"return_id": PaymentReturn.objects.get().pk, "method": "eft", "reason": "Fixed"},
    )
    assert made.status_code == 201, made.content
    key = uuid.uuid4().hex
    built = _post(finance, "/api/payments/reissues/file", None, key)
    assert built.status_code == 201, built.content
    data = base64.b64decode(built.json()["content_base64"])
    validate_file([r for r in data.decode("ascii").split("\r\n") if r])
    assert built.json()["credit_count"] == 1
    replay = _post(finance, "/api/payments/reissues/file", None, key)
    assert replay.json() == built.json()
    assert PaymentFile.objects.count() == 1
    assert _post(finance, "/api/payments/reissues/file").status_code == 422


def test_api_cheque_register_stop_and_reissue(world: dict[str, Any]) -> None:
    cy = world["cheques"][0]
    finance = _api(world["supervisor"])
    register = finance.get(f"/api/payments/runs/{world['run'].pk}/cheque-register")
    assert register.status_code == 200
    assert [r["id"] for r in register.json()] == [p.pk for p in world["cheques"]]
    assert (
        _api(world["caseworker"])
        .get(f"/api/payments/runs/{world['run'].pk}/cheque-register")
        .status_code
        == 403
    )
    stop = {"payment_id": cy.pk, "kind": "stop", "reason": "Lost in the mail"}
    key = uuid.uuid4().hex
    first = _post(finance, "/api/payments/cheque-actions", stop, key)
    assert first.status_code == 201, first.content
    assert _post(finance, "/api/payments/cheque-actions", stop, key).json() == first.json()
    assert _post(finance, "/api/payments/cheque-actions", stop).status_code == 422
    reissue = _post(
        finance,
        "/api/payments/cheque-actions",
        {"payment_id": cy.pk, "kind": "reissue", "reason": "Lost in the mail"},
    )
    assert reissue.status_code == 201, reissue.content
    assert reissue.json()["reissue_id"] == PaymentReissue.objects.get().pk
    assert ChequeAction.objects.count() == 2
    state = finance.get(f"/api/payments/runs/{world['run'].pk}/cheque-register").json()
    assert state[0]["stopped"] is True
    assert state[0]["reissued"] == "cheque"
    caseworker = _post(_api(world["caseworker"]), "/api/payments/cheque-actions", stop)
    assert caseworker.status_code == 403
