"""One-time payments through the pages and the API (issue 16): the request with every error at
once (the limit named with its rule, in English and in French), four eyes, the second factor,
another partner's staff (404), the between-run batch with its own file number, its letters and
its place in the reconciliation, and replays that record nothing twice."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.clients.models import ClientFileAccess
from caseworks.core.models import AuditEvent
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.payments.constants import OneTimeStatus, PaymentFileKind
from caseworks.payments.models import OneTimeBatch, OneTimePayment, PaymentFile
from caseworks.payments.services.onetime import (
    one_time_batch_file,
    one_time_payment_decide,
    one_time_payment_request,
)
from caseworks.payments.tests.test_returns import world as world  # noqa: PLC0414  # the fixture

pytestmark = pytest.mark.django_db

FTEB = "full_time_employment"


def _unit(world: dict[str, Any], index: int = 0) -> Any:
    return world["eft"][index].benefit_unit


def _applicant(unit: Any) -> int:
    return int(unit.members.get(role=MemberRole.APPLICANT).person_id)


def _signed_in(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # a session verified by a second factor (caseworks/conftest.py)
    return client


def _form(unit: Any, **values: Any) -> dict[str, Any]:
    return {
        "member": _applicant(unit),
        "kind": FTEB,
        "amount": "300.00",
        "payee": "client",
        "method": "eft",
        "reason": "Work boots and a bus pass",
        "idempotency_key": uuid.uuid4().hex,
        **values,
    }


def _request(world: dict[str, Any], cents: int, unit: Any = None) -> OneTimePayment:
    unit = unit or _unit(world)
    return one_time_payment_request(
        acting_user=world["caseworker"],
        benefit_unit=unit,
        member_id=_applicant(unit),
        kind=FTEB,
        amount_cents=cents,
        reason="Work boots",
        payee="client",
        method="eft",
    )


# --- The request page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "amount", "limit", "rule", "digits"),
    [
        ("en", "600.00", "$500.00", "O. Reg. 134/98, s. 55(1) para 5.1", "institution number"),
        ("fr", "600,00", "500,00\xa0$", "Règl. de l'Ont. 134/98, art. 55(1)", "numéro d"),
    ],
)
def test_request_page_shows_every_error_at_once_with_the_limit_and_its_rule(
    world: dict[str, Any], language: str, amount: str, limit: str, rule: str, digits: str
) -> None:
    unit = _unit(world)
    client = _signed_in(world["caseworker"], language)
    url = reverse("payments:one_time_request", args=[unit.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert limit in page.content.decode()  # the limits table, in the page's language
    # Over the FTEB's $500 AND a vendor's account with bad digits: both refused at once.
    answer = client.post(
        url,
        _form(
            unit,
            amount=amount,
            payee="vendor",
            vendor_name="Work Wear Ltd",
            institution="1",
            transit="12345",
            account="1234567",
        ),
    )
    assert answer.status_code == 200
    text = answer.content.decode().replace("&#x27;", "'").replace("&nbsp;", "\xa0")
    assert limit in text
    assert rule in text
    assert digits in text
    assert 'id="id_amount_error"' in text
    assert 'id="id_institution_error"' in text
    assert not OneTimePayment.objects.exists()


def test_request_page_records_once_and_the_money_tab_lists_it(world: dict[str, Any]) -> None:
    unit = _unit(world)
    client = _signed_in(world["caseworker"])
    url = reverse("payments:one_time_request", args=[unit.pk])
    data = _form(unit)
    first = client.post(url, data)
    assert first.status_code == 302
    assert first["Location"].endswith("#one-time")
    replay = client.post(url, data)
    assert replay["Location"] == first["Location"]
    payment = OneTimePayment.objects.get()
    assert (payment.amount_cents, payment.status) == (30_000, OneTimeStatus.REQUESTED)
    money = client.get(reverse("payments:case_money", args=[unit.pk])).content.decode()
    assert "Full-Time Employment Benefit" in money
    assert "$300.00" in money
    assert ClientFileAccess.objects.filter(view_name="payments:one_time_request").exists()


def test_another_partners_staff_get_404_on_every_one_time_page(world: dict[str, Any]) -> None:
    payment = _request(world, 10_000)
    elsewhere = DeliveryPartnerFactory(code="elsewhere", name="Elsewhere")
    stranger = UserFactory(role=Role.SUPERVISOR, delivery_partner=elsewhere)
    client = _signed_in(stranger)
    unit = payment.benefit_unit
    assert client.get(reverse("payments:one_time_request", args=[unit.pk])).status_code == 404
    decide = client.post(
        reverse("payments:one_time_decide", args=[payment.pk]),
        {f"decide-{payment.pk}-decision": "approve", "idempotency_key": uuid.uuid4().hex},
    )
    assert decide.status_code == 404
    queue = client.get(reverse("payments:one_time_queue"))
    assert queue.status_code == 200
    assert unit.case_number not in queue.content.decode()
    payment.refresh_from_db()
    assert payment.status == OneTimeStatus.REQUESTED


# --- The queue and the decision --------------------------------------------------------------


def test_queue_never_lets_the_requester_decide(world: dict[str, Any]) -> None:
    payment = _request(world, 10_000)
    client = _signed_in(world["caseworker"])
    queue = client.get(reverse("payments:one_time_queue")).content.decode()
    assert "You asked for this payment: another person must decide it." in queue
    assert reverse("payments:one_time_decide", args=[payment.pk]) not in queue
    # Posted all the same (a crafted request): refused, named, nothing decided.
    answer = client.post(
        reverse("payments:one_time_decide", args=[payment.pk]),
        {f"decide-{payment.pk}-decision": "approve", "idempotency_key": uuid.uuid4().hex},
    )
    assert answer.status_code == 200
    assert "another person must decide it" in answer.content.decode()
    payment.refresh_from_db()
    assert payment.status == OneTimeStatus.REQUESTED
    assert payment.decided_by_id is None


@pytest.mark.unverified_session
def test_decision_needs_the_second_factor(world: dict[str, Any]) -> None:
    payment = _request(world, 10_000)
    client = Client()
    client.force_login(world["supervisor"])  # a password-only session
    answer = client.post(
        reverse("payments:one_time_decide", args=[payment.pk]),
        {f"decide-{payment.pk}-decision": "approve", "idempotency_key": uuid.uuid4().hex},
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith("/second-factor/")
    payment.refresh_from_db()
    assert payment.status == OneTimeStatus.REQUESTED


def test_supervisor_approves_once_with_the_notice_and_a_refusal_needs_its_reason(
    world: dict[str, Any],
) -> None:
    payment = _request(world, 45_067)
    other = _request(world, 4_000, unit=_unit(world, 1))
    client = _signed_in(world["supervisor"])
    url = reverse("payments:one_time_decide", args=[payment.pk])
    data = {f"decide-{payment.pk}-decision": "approve", "idempotency_key": uuid.uuid4().hex}
    first = client.post(url, data)
    assert first.status_code == 302
    assert client.post(url, data)["Location"] == first["Location"]  # replay
    payment.refresh_from_db()
    assert (payment.status, payment.decided_by) == (OneTimeStatus.APPROVED, world["supervisor"])
    assert payment.notice_en_id
    assert payment.notice_fr_id
    decided = AuditEvent.objects.filter(event_type="one_time_payment_decided")
    assert decided.count() == 1
    refuse = client.post(
        reverse("payments:one_time_decide", args=[other.pk]),
        {f"decide-{other.pk}-decision": "refuse", "idempotency_key": uuid.uuid4().hex},
    )
    assert refuse.status_code == 200
    assert "Give the reason for the refusal." in refuse.content.decode()
    other.refresh_from_db()
    assert other.status == OneTimeStatus.REQUESTED


# --- Issuing between runs ------------------------------------------------------------------


def test_finance_issues_the_batch_once_with_its_own_file_number_letters_and_reconciliation(
    world: dict[str, Any],
) -> None:
    payment = _request(world, 45_067)
    one_time_payment_decide(acting_user=world["supervisor"], payment=payment, approve=True)
    files_before = set(PaymentFile.objects.values_list("file_creation_number", flat=True))
    caseworker = _signed_in(world["caseworker"])
    refused = caseworker.post(
        reverse("payments:one_time_batches"), {"idempotency_key": uuid.uuid4().hex}
    )
    assert refused.status_code == 403
    client = _signed_in(world["supervisor2"])
    waiting = client.get(reverse("payments:one_time_batches")).content.decode()
    assert "$450.67" in waiting
    data = {"idempotency_key": uuid.uuid4().hex}
    first = client.post(reverse("payments:one_time_batches"), data)
    assert first.status_code == 302
    assert client.post(reverse("payments:one_time_batches"), data)["Location"] == first["Location"]
    batch = OneTimeBatch.objects.get()
    record = batch.payment_file
    assert record.kind == PaymentFileKind.ONE_TIME
    assert record.file_creation_number not in files_before
    page = client.get(first["Location"]).content.decode()
    assert f"{record.file_creation_number:04d}" in page
    payment.refresh_from_db()
    assert reverse("documents:download", args=[payment.notice_fr_id]) in page
    assert "$450.67" in page
    download = client.get(reverse("payments:one_time_batch_cpa005", args=[batch.pk]))
    assert download.status_code == 200
    assert download.content == one_time_batch_file(batch)
    assert b"0000045067" in download.content  # the letter's amount, in cents
    reconciliation = client.get(
        reverse("payments:run_reconciliation", args=[world["run"].pk])
    ).content.decode()
    assert reverse("payments:one_time_batch", args=[batch.pk]) in reconciliation
    assert f"file creation number {record.file_creation_number:04d}" in reconciliation


# --- API ---------------------------------------------------------------------------------------


def _api(user: Any, *, second_factor: bool = True, language: str = "en") -> Client:
    _row, raw = api_token_create(
        acting_user=user, user=user, name="one-time test", second_factor=second_factor
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE=language)


def _post(client: Client, path: str, body: Any, key: str | None = None) -> Any:
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
    )


def _body(unit: Any, **values: Any) -> dict[str, Any]:
    return {
        "member_id": _applicant(unit),
        "kind": FTEB,
        "amount": "500.00",
        "reason": "Work boots",
        "payee": "client",
        "method": "eft",
        **values,
    }


@pytest.mark.parametrize(
    ("language", "limit"), [("en", "the limit is $500.00"), ("fr", "la limite est de 500,00")]
)
def test_api_request_refuses_over_the_limit_naming_field_and_rule(
    world: dict[str, Any], language: str, limit: str
) -> None:
    unit = _unit(world)
    api = _api(world["caseworker"], language=language)
    path = f"/api/payments/cases/{unit.pk}/one-time-payments"
    refused = _post(api, path, _body(unit, amount="500.01", vendor_institution="9"))
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail[0]["field"] == "amount"
    assert detail[0]["code"] == "limit_exceeded"
    assert limit in detail[0]["message"]
    assert "134/98" in detail[0]["message"]
    bad_amount = _post(api, path, _body(unit, amount="1,00"))
    assert bad_amount.status_code == 422
    assert bad_amount.json()["detail"][0]["field"] == "amount"
    assert not OneTimePayment.objects.exists()


def test_api_request_decide_list_and_batch_with_four_eyes_second_factor_and_replay(
    world: dict[str, Any],
) -> None:
    unit = _unit(world)
    worker = _api(world["caseworker"])
    path = f"/api/payments/cases/{unit.pk}/one-time-payments"
    key = uuid.uuid4().hex
    made = _post(worker, path, _body(unit), key)
    assert made.status_code == 201, made.content
    replay = _post(worker, path, _body(unit), key)
    assert replay.content == made.content
    assert replay["Idempotent-Replayed"] == "true"
    assert OneTimePayment.objects.count() == 1
    payment_id = made.json()["id"]
    assert made.json()["amount"] == "500.00"
    decision = f"/api/payments/one-time-payments/{payment_id}/decision"
    own = _post(worker, decision, {"approve": True})
    assert own.status_code == 422
    assert own.json()["detail"][0]["code"] == "four_eyes"
    no_factor = _post(_api(world["supervisor"], second_factor=False), decision, {"approve": True})
    assert no_factor.status_code == 403
    stranger = UserFactory(
        role=Role.SUPERVISOR,
        delivery_partner=DeliveryPartnerFactory(code="api-else", name="API Elsewhere"),
    )
    assert _post(_api(stranger), decision, {"approve": True}).status_code == 404
    supervisor = _api(world["supervisor"])
    waiting = supervisor.get("/api/payments/one-time-payments?status=requested")
    assert [p["id"] for p in waiting.json()] == [payment_id]
    approved = _post(supervisor, decision, {"approve": True})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["notice_fr_id"]
    finance = _api(world["supervisor2"])
    batch_key = uuid.uuid4().hex
    issued = _post(finance, "/api/payments/one-time-batches", {}, batch_key)
    assert issued.status_code == 201, issued.content
    body = issued.json()
    batch = OneTimeBatch.objects.get()
    assert body["file_creation_number"] == batch.payment_file.file_creation_number
    assert base64.b64decode(body["cpa005_base64"]) == one_time_batch_file(batch)
    assert body["total"] == "500.00"
    again = _post(finance, "/api/payments/one-time-batches", {}, batch_key)
    assert again.content == issued.content
    assert OneTimeBatch.objects.count() == 1
    nothing = _post(finance, "/api/payments/one-time-batches", {})
    assert nothing.status_code == 422
    assert nothing.json()["detail"][0]["code"] == "nothing_to_send"
    assert worker.get("/api/payments/one-time-payments?status=unknown").status_code == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1e5"}, "amount"),
        ({"amount": "99999999999999.99"}, "amount"),
        ({"kind": "lottery"}, "kind"),
        ({"member_id": 2**62}, "member_id"),
        ({"payee": "neighbour"}, "payee"),
        ({"method": "cash"}, "method"),
        ({"reason": "   "}, "reason"),
        ({"payee": "vendor", "vendor_name": "  ", "method": "cheque"}, "vendor_name"),
        ({"payee": "vendor", "vendor_name": "Shop\r\nX"}, "vendor_name"),
        ({"payee": "vendor", "vendor_name": "Shop", "vendor_account": "12"}, "vendor_institution"),
    ],
)
def test_api_bad_request_is_a_422_naming_the_field_never_a_500(
    world: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    unit = _unit(world)
    response = _post(
        _api(world["caseworker"]),
        f"/api/payments/cases/{unit.pk}/one-time-payments",
        _body(unit, **change),
    )
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]], response.json()
    assert not OneTimePayment.objects.exists()
