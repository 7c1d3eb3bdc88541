"""Replay safety (issue 12): every money-changing page and API route posted twice with the same
idempotency key records one effect and answers the second time with the first result; the same
key with another body is refused; a money route without a key records nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.core.models import IdempotencyKey
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload
from caseworks.payments.models import (
    BankDetailChange,
    CircumstancesChange,
    HealthAuthorization,
    IncomeReport,
    LedgerEntry,
    MemberCircumstancesChange,
    OneTimePayment,
    PaymentAction,
)
from caseworks.payments.runs import (
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import overpayment_record
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db
JAN = dt.date(2026, 1, 1)


@dataclass
class World:
    staff: dict[str, Any]
    unit: Any
    person_id: int


def _world(partner: Any) -> World:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    return World(staff=staff, unit=unit, person_id=unit.members.get().person_id)


def _paid_with_balance(partner: Any, world: World) -> None:
    """January released ($733) and a $100 overpayment on it (so a repayment can be taken)."""
    run = payment_run_prepare(
        acting_user=world.staff["caseworker"], delivery_partner=partner, benefit_month=JAN
    )
    run = payment_run_dry_run(acting_user=world.staff["caseworker"], run=run)
    from caseworks.payments.runs import payment_run_approve  # noqa: PLC0415

    run = payment_run_approve(acting_user=world.staff["supervisor"], run=run)
    run = payment_run_release(acting_user=world.staff["supervisor"], run=run)
    overpayment_record(
        acting_user=world.staff["supervisor"],
        payment=run.payments.get(),
        correct_amount_cents=63_300,
        reason="Synthetic overpayment",
    )


@dataclass(frozen=True)
class PageRoute:
    name: str
    url_name: str
    actor: str
    data: Callable[[World], dict[str, Any]]
    effect: Callable[[World], int]
    other: Callable[[World], dict[str, Any]]
    paid: bool = False


def _proof(world: World) -> int:
    """A void cheque uploaded to the case (once)."""
    existing = Document.objects.filter(benefit_unit=world.unit, title="Void cheque").first()
    if existing is not None:
        return int(existing.pk)
    return int(
        document_upload(
            acting_user=world.staff["caseworker"],
            benefit_unit=world.unit,
            title="Void cheque",
            filename="cheque.pdf",
            content=b"%PDF-1.4\n% synthetic void cheque\n",
        ).pk
    )


def _health_request(world: World, limit: str) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "member": world.person_id,
        "kind": "diabetic_surgical",
        "vendor_name": "Pharmacie Nord",
        "vendor_address": "12 rue Main",
        "starts_on": today,
        "ends_on": today,
        "limit": limit,
        "prescription_seen": "on",
        "reason": "Dressings",
        "method": "cheque",
    }


def _v(world: World) -> int:
    world.unit.refresh_from_db()
    return int(world.unit.version)


def _one_time(amount: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {
        "member": w.person_id,
        "kind": "full_time_employment",
        "amount": amount,
        "payee": "client",
        "method": "cheque",
        "reason": "Work boots",
    }


PAGE_ROUTES = [
    PageRoute(
        "one-time payment request",
        "payments:one_time_request",
        "caseworker",
        _one_time("100.00"),
        lambda w: OneTimePayment.objects.count(),
        _one_time("120.00"),
    ),
    PageRoute(
        "repayment by the client (the $15.00 attack)",
        "payments:ledger_entry",
        "supervisor",
        lambda w: {"ledger-kind": "repayment", "ledger-amount": "15.00", "ledger-reason": "Paid"},
        lambda w: LedgerEntry.objects.filter(kind="repayment").count(),
        lambda w: {"ledger-kind": "repayment", "ledger-amount": "16.00", "ledger-reason": "Paid"},
        paid=True,
    ),
    PageRoute(
        "write-off",
        "payments:ledger_entry",
        "supervisor",
        lambda w: {
            "ledger-kind": "write_off",
            "ledger-amount": "5.00",
            "ledger-reason": "Hardship",
        },
        lambda w: LedgerEntry.objects.filter(kind="write_off").count(),
        lambda w: {
            "ledger-kind": "write_off",
            "ledger-amount": "6.00",
            "ledger-reason": "Hardship",
        },
        paid=True,
    ),
    PageRoute(
        "overpayment",
        "payments:overpayment",
        "supervisor",
        lambda w: {
            "over-payment": w.unit.payments.get().pk,
            "over-correct_amount": "600.00",
            "over-reason": "Rent was lower (synthetic)",
        },
        lambda w: LedgerEntry.objects.filter(kind="overpayment").count(),
        lambda w: {
            "over-payment": w.unit.payments.get().pk,
            "over-correct_amount": "500.00",
            "over-reason": "Rent was lower (synthetic)",
        },
        paid=True,
    ),
    PageRoute(
        "hold",
        "payments:payment_action",
        "caseworker",
        lambda w: {
            "action-kind": "hold",
            "action-reason": "Address unknown",
            "action-effective_on": "2026-02-01",
            "action-expected_version": _v(w),
        },
        lambda w: PaymentAction.objects.count(),
        lambda w: {
            "action-kind": "hold",
            "action-reason": "Another reason",
            "action-effective_on": "2026-02-01",
            "action-expected_version": _v(w),
        },
    ),
    PageRoute(
        "bank account",
        "payments:bank_account",
        "caseworker",
        lambda w: {
            "bank-holder_name": "Ana Roy",
            "bank-institution": "004",
            "bank-transit": "12345",
            "bank-account": "1234567",
            "bank-proof": _proof(w),
        },
        lambda w: BankDetailChange.objects.count(),
        lambda w: {
            "bank-holder_name": "Ana Roy",
            "bank-institution": "004",
            "bank-transit": "12345",
            "bank-account": "7654321",
            "bank-proof": _proof(w),
        },
    ),
    PageRoute(
        "change of circumstances",
        "payments:circumstances",
        "caseworker",
        lambda w: {
            "effective_month": "2026-03",
            "shelter_type": "rent",
            "shelter_cost": "900.00",
            "reason": "Moved",
            "expected_version": _v(w),
        },
        lambda w: CircumstancesChange.objects.count(),
        lambda w: {
            "effective_month": "2026-03",
            "shelter_type": "rent",
            "shelter_cost": "950.00",
            "reason": "Moved",
            "expected_version": _v(w),
        },
    ),
    PageRoute(
        "member circumstances",
        "payments:member_circumstances",
        "caseworker",
        lambda w: {
            "member-person": w.person_id,
            "member-effective_month": "2026-03",
            "member-special_diet": "50.00",
            "member-reason": "Diet confirmed",
            "member-expected_version": _v(w),
        },
        lambda w: MemberCircumstancesChange.objects.count(),
        lambda w: {
            "member-person": w.person_id,
            "member-effective_month": "2026-03",
            "member-special_diet": "60.00",
            "member-reason": "Diet confirmed",
            "member-expected_version": _v(w),
        },
    ),
    PageRoute(
        "income report",
        "payments:income_report",
        "caseworker",
        lambda w: {
            "person": w.person_id,
            "income_month": "2026-03",
            "earnings": "100.00",
            "expected_version": _v(w),
        },
        lambda w: IncomeReport.objects.count(),
        lambda w: {
            "person": w.person_id,
            "income_month": "2026-03",
            "earnings": "200.00",
            "expected_version": _v(w),
        },
    ),
    PageRoute(
        "health benefit authorization request (issue 16)",
        "payments:health_authorizations",
        "caseworker",
        lambda w: _health_request(w, "123.45"),
        lambda w: HealthAuthorization.objects.count(),
        lambda w: _health_request(w, "123.46"),
    ),
]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=[r.name for r in PAGE_ROUTES])
def test_page_money_route_replayed_with_the_same_key_records_once(
    partner: Any, route: PageRoute
) -> None:
    world = _world(partner)
    if route.paid:
        _paid_with_balance(partner, world)
    client = Client()
    client.force_login(world.staff[route.actor])
    url = reverse(route.url_name, args=[world.unit.pk])
    key = uuid.uuid4().hex
    before = route.effect(world)
    data = {**route.data(world), "idempotency_key": key}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:1500]
    assert route.effect(world) == before + 1
    replay = client.post(url, data)  # the identical POST, as a double click or a re-post sends
    assert replay.status_code == 302
    assert replay["Location"] == first["Location"]
    assert route.effect(world) == before + 1
    page = client.get(replay["Location"]).content.decode()
    assert "Already recorded" in page
    other = client.post(url, {**route.other(world), "idempotency_key": key})
    assert other.status_code == 422
    assert "different request" in other.content.decode()
    assert route.effect(world) == before + 1
    missing = client.post(url, route.other(world))
    assert missing.status_code == 400
    assert route.effect(world) == before + 1


def test_a_refused_form_keeps_no_key_so_the_corrected_form_is_recorded(partner: Any) -> None:
    world = _world(partner)
    client = Client()
    client.force_login(world.staff["caseworker"])
    url = reverse("payments:bank_account", args=[world.unit.pk])
    key = uuid.uuid4().hex
    bad = {
        "bank-holder_name": "Ana Roy",
        "bank-institution": "04",
        "bank-transit": "12345",
        "bank-proof": _proof(world),
    }
    refused = client.post(url, {**bad, "bank-account": "1234567", "idempotency_key": key})
    assert refused.status_code == 200
    assert not IdempotencyKey.objects.exists()
    good = {**bad, "bank-institution": "004", "bank-account": "1234567", "idempotency_key": key}
    assert client.post(url, good).status_code == 302
    assert BankDetailChange.objects.count() == 1


def test_the_same_key_of_another_user_is_another_key(partner: Any) -> None:
    world = _world(partner)
    _paid_with_balance(partner, world)
    url = reverse("payments:ledger_entry", args=[world.unit.pk])
    data = {
        "ledger-kind": "repayment",
        "ledger-amount": "15.00",
        "ledger-reason": "Paid",
        "idempotency_key": "shared-key-0001",
    }
    for actor in ("supervisor", "supervisor2"):
        client = Client()
        client.force_login(world.staff[actor])
        assert client.post(url, data).status_code == 302
    assert LedgerEntry.objects.filter(kind="repayment").count() == 2


def test_prepare_approve_release_pages_replayed_record_once(partner: Any) -> None:
    from caseworks.payments.models import PaymentRun  # noqa: PLC0415

    world = _world(partner)
    client = Client()
    client.force_login(world.staff["caseworker"])
    month = dt.date.fromisoformat(f"{_this_month()}-01")
    data = {"benefit_month": month.strftime("%Y-%m"), "idempotency_key": uuid.uuid4().hex}
    first = client.post(reverse("payments:run_list"), data)
    assert first.status_code == 302, first.content.decode()[:1500]
    replay = client.post(reverse("payments:run_list"), data)
    assert replay.status_code == 302
    assert replay["Location"] == first["Location"]
    assert PaymentRun.objects.count() == 1


def _this_month() -> str:
    from django.utils import timezone  # noqa: PLC0415

    return timezone.localdate().strftime("%Y-%m")


# --- API --------------------------------------------------------------------------------------


def _api(user: Any) -> Client:
    from caseworks.accounts.services import api_token_create  # noqa: PLC0415

    _row, raw = api_token_create(
        acting_user=user, user=user, name="idempotency test", second_factor=True
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, path: str, body: Any, key: str | None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_api_income_report_replayed_returns_the_first_answer_and_records_once(
    partner: Any,
) -> None:
    world = _world(partner)
    api = _api(world.staff["caseworker"])
    path = f"/api/payments/cases/{world.unit.pk}/income-reports"
    body = {
        "person_id": world.person_id,
        "income_month": "2026-03",
        "amounts": {"earnings": "100.00"},
        "expected_version": _v(world),
    }
    key = str(uuid.uuid4())
    first = _post(api, path, body, key)
    assert first.status_code == 201, first.content
    replay = _post(api, path, body, key)
    assert replay.status_code == 201
    assert replay.content == first.content
    assert replay["Idempotent-Replayed"] == "true"
    assert IncomeReport.objects.count() == 1
    other = _post(api, path, {**body, "amounts": {"earnings": "200.00"}}, key)
    assert other.status_code == 422
    assert other.json()["detail"][0]["code"] == "idempotency_key_reused"
    missing = _post(api, path, body, None)
    assert missing.status_code == 400
    assert missing.json()["detail"][0] == {
        "field": "Idempotency-Key",
        "message": missing.json()["detail"][0]["message"],
        "code": "idempotency_key_required",
    }
    assert IncomeReport.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/payments/cases/{case}/income-reports",
        "/api/payments/cases/{case}/recalculations",
        "/api/payments/runs",
        "/api/payments/runs/{case}/approve",
        "/api/payments/runs/{case}/release",
    ],
)
def test_api_money_route_without_a_key_is_refused_before_anything_is_recorded(
    partner: Any, path: str
) -> None:
    world = _world(partner)
    api = _api(world.staff["supervisor"])
    response = _post(api, path.format(case=world.unit.pk), {}, None)
    # 400 for the missing key; an operation whose (empty) body is invalid answers 422 first.
    assert response.status_code in (400, 422)
    if path.endswith(("approve", "release")):
        assert response.json()["detail"][0]["code"] == "idempotency_key_required"
    assert not IdempotencyKey.objects.exists()


def test_openapi_shows_the_idempotency_key_header_on_money_posts(client: Any) -> None:
    from config.api import api  # noqa: PLC0415

    schema = api.get_openapi_schema()
    operation = schema["paths"]["/api/payments/cases/{benefit_unit_id}/income-reports"]["post"]
    headers = [p for p in operation["parameters"] if p["in"] == "header"]
    assert headers[0]["name"] == "Idempotency-Key"
    assert headers[0]["required"] is True
