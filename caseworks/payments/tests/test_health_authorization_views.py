"""The health benefit authorization pages (issue 16): the list and request form (every error at
once, in English and French), the decision by a second person with a second factor, the
invoice, the letters, replay safety, and other partners."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.clients.models import ClientFileAccess
from caseworks.payments.constants import HealthAuthorizationStatus, OneTimeStatus
from caseworks.payments.models import (
    HealthAuthorization,
    HealthAuthorizationInvoice,
    OneTimePayment,
)
from caseworks.payments.services.authorizations import (
    health_authorization_decide,
    health_authorization_request,
)
from caseworks.payments.tests.builders import active_case, payment_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partner: Any) -> dict[str, Any]:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy", children=1
    )
    return {**staff, "unit": unit}


def _key() -> str:
    return uuid.uuid4().hex


def _list_url(world: dict[str, Any]) -> str:
    return reverse("payments:health_authorizations", args=[world["unit"].pk])


def _applicant(world: dict[str, Any]) -> int:
    return int(world["unit"].members.get(role=MemberRole.APPLICANT).person_id)


def _form(world: dict[str, Any], **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "idempotency_key": _key(),
        "member": _applicant(world),
        "kind": "diabetic_surgical",
        "vendor_name": "Pharmacie Nord",
        "vendor_address": "12 rue Main",
        "starts_on": today.isoformat(),
        "ends_on": today.isoformat(),
        "limit": "123.45",
        "prescription_seen": "on",
        "reason": "Dressings",
        "method": "cheque",
        **extra,
    }


def _requested(world: dict[str, Any], limit_cents: int = 12_345) -> HealthAuthorization:
    today = timezone.localdate()
    return health_authorization_request(
        acting_user=world["caseworker"],
        benefit_unit=world["unit"],
        member_id=_applicant(world),
        kind="diabetic_surgical",
        vendor_name="Pharmacie Nord",
        vendor_address="12 rue Main",
        starts_on=today,
        ends_on=today,
        reason="Dressings",
        method="cheque",
        limit_cents=limit_cents,
        prescription_seen=True,
    )


def _detail_url(world: dict[str, Any], auth: Any, action: str = "") -> str:
    name = f"payments:health_authorization{'_' + action if action else ''}"
    return reverse(name, args=[world["unit"].pk, auth.pk])


def test_list_shows_the_authorizations_and_logs_the_file_view(world: Any, client: Any) -> None:
    auth = _requested(world)
    client.force_login(world["supervisor"])
    response = client.get(_list_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert "$123.45" in content
    assert reverse("payments:health_authorization", args=[world["unit"].pk, auth.pk]) in content
    assert ClientFileAccess.objects.filter(view_name="payments:health_authorizations").exists()


def test_request_form_creates_with_the_amount_typed_and_redirects(world: Any, client: Any) -> None:
    client.force_login(world["caseworker"])
    response = client.post(_list_url(world), _form(world, limit="1,234.56"))
    assert response.status_code == 302
    auth = HealthAuthorization.objects.get()
    assert auth.limit_cents == 123_456
    assert response["Location"] == _detail_url(world, auth)


def test_request_form_shows_every_error_at_once_in_french(world: Any, client: Any) -> None:
    client.force_login(world["caseworker"])
    response = client.post(
        _list_url(world),
        _form(world, limit="12,50", prescription_seen=""),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert HealthAuthorization.objects.count() == 0
    content = response.content.decode()
    assert "ordonnance" in content  # the service's rule, in French
    response = client.post(
        _list_url(world),
        _form(world, limit="", prescription_seen="", ends_on="2000-01-01"),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    content = response.content.decode()
    # The service's refusals, all at once, each beside its field.
    assert "La période se termine avant de commencer" in content
    assert "Indiquez une limite supérieure à 0" in content
    assert "exigent une ordonnance" in content


def test_request_form_every_service_error_beside_its_field(world: Any, client: Any) -> None:
    client.force_login(world["caseworker"])
    response = client.post(_list_url(world), _form(world, limit="", prescription_seen=""))
    content = response.content.decode()
    assert response.status_code == 200
    assert "need a prescription" in content
    assert "Give a limit above $0" in content
    assert HealthAuthorization.objects.count() == 0


def test_request_replayed_is_recorded_once(world: Any, client: Any) -> None:
    client.force_login(world["caseworker"])
    data = _form(world)
    first = client.post(_list_url(world), data)
    again = client.post(_list_url(world), data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert HealthAuthorization.objects.count() == 1


def test_decision_page_hides_the_form_from_the_requester(world: Any, client: Any) -> None:
    auth = _requested(world)
    client.force_login(world["caseworker"])
    content = client.get(_detail_url(world, auth)).content.decode()
    assert 'id="decide-form"' not in content
    assert "another person must decide it" in content
    response = client.post(
        _detail_url(world, auth, "decide"),
        {"idempotency_key": _key(), "decision-decision": "approve"},
    )
    assert response.status_code == 200
    assert "another person must decide it" in response.content.decode()
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.REQUESTED


def test_approval_by_a_second_person_stores_the_letters(world: Any, client: Any) -> None:
    auth = _requested(world)
    client.force_login(world["supervisor"])
    data = {"idempotency_key": _key(), "decision-decision": "approve"}
    response = client.post(_detail_url(world, auth, "decide"), data)
    assert response.status_code == 302
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.APPROVED
    assert auth.notice_en_id is not None
    assert auth.notice_fr_id is not None
    page = client.get(_detail_url(world, auth)).content.decode()
    assert reverse("documents:download", args=[auth.notice_fr_id]) in page
    # The same form sent again changes nothing (replay).
    again = client.post(_detail_url(world, auth, "decide"), data)
    assert again.status_code == 302


@pytest.mark.unverified_session
def test_approval_needs_the_second_factor(world: Any, client: Any) -> None:
    auth = _requested(world)
    client.force_login(world["supervisor"])
    response = client.post(
        _detail_url(world, auth, "decide"),
        {"idempotency_key": _key(), "decision-decision": "approve"},
    )
    assert response.status_code in (302, 403)
    assert "/second-factor/" in response.get("Location", "/second-factor/")
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.REQUESTED


def test_invoice_form_pays_the_vendor_and_refuses_over_the_limit(world: Any, client: Any) -> None:
    auth = health_authorization_decide(
        acting_user=world["supervisor"], authorization=_requested(world), approve=True
    )
    client.force_login(world["caseworker"])
    today = timezone.localdate().isoformat()
    over = client.post(
        _detail_url(world, auth, "invoice"),
        {
            "idempotency_key": _key(),
            "invoice-invoice_number": "A-1",
            "invoice-service_on": today,
            "invoice-amount": "123.46",
        },
    )
    assert over.status_code == 200
    assert "only $123.45 of the $123.45 authorized remains" in over.content.decode()
    ok = client.post(
        _detail_url(world, auth, "invoice"),
        {
            "idempotency_key": _key(),
            "invoice-invoice_number": "A-1",
            "invoice-service_on": today,
            "invoice-amount": "100.00",
        },
    )
    assert ok.status_code == 302
    invoice = HealthAuthorizationInvoice.objects.get()
    assert invoice.amount_cents == invoice.one_time_payment.amount_cents == 10_000
    assert invoice.one_time_payment.status == OneTimeStatus.APPROVED
    page = client.get(_detail_url(world, auth)).content.decode()
    assert "$100.00" in page  # invoiced
    assert "$23.45" in page  # remaining


def test_cancel_form_needs_a_reason(world: Any, client: Any) -> None:
    auth = _requested(world)
    client.force_login(world["caseworker"])
    empty = client.post(_detail_url(world, auth, "cancel"), {"idempotency_key": _key()})
    assert empty.status_code == 200
    done = client.post(
        _detail_url(world, auth, "cancel"),
        {"idempotency_key": _key(), "cancel-cancel_reason": "Not needed"},
    )
    assert done.status_code == 302
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.CANCELLED


def test_other_partner_gets_404(world: Any, client: Any, other_partner: Any) -> None:
    auth = _requested(world)
    stranger = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    client.force_login(stranger)
    assert client.get(_list_url(world)).status_code == 404
    assert client.get(_detail_url(world, auth)).status_code == 404
    response = client.post(
        _detail_url(world, auth, "decide"),
        {"idempotency_key": _key(), "decision-decision": "approve"},
    )
    assert response.status_code == 404
    auth.refresh_from_db()
    assert auth.status == HealthAuthorizationStatus.REQUESTED


def test_auditor_reads_but_cannot_request(world: Any, client: Any) -> None:
    auditor = UserFactory(role=Role.AUDITOR, delivery_partner=world["unit"].delivery_partner)
    client.force_login(auditor)
    page = client.get(_list_url(world))
    assert page.status_code == 200
    assert 'id="request-form"' not in page.content.decode()
    assert client.post(_list_url(world), _form(world)).status_code == 403


def test_invoice_replayed_with_the_same_key_pays_the_vendor_once(world: Any, client: Any) -> None:
    auth = health_authorization_decide(
        acting_user=world["supervisor"], authorization=_requested(world), approve=True
    )
    client.force_login(world["caseworker"])
    data = {
        "idempotency_key": _key(),
        "invoice-invoice_number": "A-9",
        "invoice-service_on": timezone.localdate().isoformat(),
        "invoice-amount": "50.00",
    }
    first = client.post(_detail_url(world, auth, "invoice"), data)
    replay = client.post(_detail_url(world, auth, "invoice"), data)
    assert first.status_code == replay.status_code == 302
    assert HealthAuthorizationInvoice.objects.count() == 1
    assert OneTimePayment.objects.count() == 1
    other = client.post(_detail_url(world, auth, "invoice"), {**data, "invoice-amount": "60.00"})
    assert other.status_code == 422
    assert OneTimePayment.objects.count() == 1
