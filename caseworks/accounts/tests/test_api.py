"""API authentication (session with CSRF, or bearer token), /me, tokens and staff accounts."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseworks.accounts.models import ApiToken, StaffInvitation, User
from caseworks.accounts.services import api_token_create
from caseworks.cases.tests.factories import make_case
from caseworks.core.models import AuditEvent
from caseworks.partners.tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "a-long-and-unusual-passphrase-7"


def _session(user: Any, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def _token(user: Any, **kwargs: Any) -> str:
    _, raw = api_token_create(acting_user=user, user=user, name="script", **kwargs)
    return raw


def test_me_returns_401_in_the_error_shape_when_anonymous(db: Any) -> None:
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"][0]["code"] == "not_authenticated"


def test_me_returns_role_and_capabilities_when_logged_in(caseworker: Any) -> None:
    response = _session(caseworker).get("/api/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["role"]) == (caseworker.pk, "caseworker")
    assert "client_view" in body["capabilities"]


def test_bearer_token_authenticates_and_records_last_use_when_valid(caseworker: Any) -> None:
    raw = _token(caseworker)
    response = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["id"] == caseworker.pk
    assert ApiToken.objects.get().last_used_at is not None


def test_bearer_token_is_stored_only_as_a_hash(caseworker: Any) -> None:
    raw = _token(caseworker)
    token = ApiToken.objects.get()
    assert token.token_hash == ApiToken.hash_token(raw)
    assert raw not in (token.token_hash, token.prefix, token.name)


@pytest.mark.parametrize("state", ["revoked", "expired", "inactive_user", "wrong"])
def test_bearer_token_returns_401_when_not_usable(caseworker: Any, state: str) -> None:
    raw = _token(caseworker)
    token = ApiToken.objects.get()
    if state == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    elif state == "expired":
        token.expires_at = timezone.now() - dt.timedelta(seconds=1)
        token.save()
    elif state == "inactive_user":
        User.objects.filter(pk=caseworker.pk).update(is_active=False)
    else:
        raw = raw + "x"
    response = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_bearer_token_write_needs_no_csrf_token(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/cases/{case.pk}/notes",
        {"body": "By script"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {_token(caseworker)}"},
    )
    assert response.status_code == 201


def test_session_write_returns_403_when_csrf_token_missing(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    client = _session(caseworker, enforce_csrf=True)
    refused = client.post(
        f"/api/cases/{case.pk}/notes", {"body": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert not case.notes.exists()

    secret = secrets.token_hex(16)  # a 32-character CSRF secret, as Django's cookie holds
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        f"/api/cases/{case.pk}/notes",
        {"body": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert accepted.status_code == 201


def test_my_token_create_returns_raw_token_once_and_it_works(caseworker: Any) -> None:
    response = _session(caseworker).post(
        "/api/me/tokens", {"name": "nightly export"}, content_type="application/json"
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    assert AuditEvent.objects.filter(event_type="api_token_created").count() == 1
    listed = _session(caseworker).get("/api/me/tokens").json()
    assert [t["name"] for t in listed] == ["nightly export"]
    assert "token" not in listed[0]
    me = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200


def test_my_token_revoke_stops_the_token_and_returns_404_for_someone_elses(
    caseworker: Any, users: dict[str, Any]
) -> None:
    raw = _token(caseworker)
    token = ApiToken.objects.get()
    other = _session(users["supervisor"]).post(f"/api/me/tokens/{token.pk}/revoke")
    assert other.status_code == 404
    mine = _session(caseworker).post(f"/api/me/tokens/{token.pk}/revoke")
    assert mine.status_code == 200
    assert mine.json()["revoked_at"] is not None
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_staff_create_invites_and_nobody_chooses_the_password(
    partner: Any, users: dict[str, Any], mailoutbox: Any
) -> None:
    office = OfficeFactory(delivery_partner=partner)
    response = _session(users["partner_admin"]).post(
        "/api/staff",
        {
            "username": "new.clerk",
            "email": "new.clerk@example.org",
            "password": STRONG_PASSWORD,  # ignored: the person chooses it from the link
            "role": "intake_clerk",
            "office_id": office.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "sent"
    assert not User.objects.filter(username="new.clerk").exists()
    invitation = StaffInvitation.objects.get(username="new.clerk")
    assert (invitation.delivery_partner, invitation.office) == (partner, office)
    assert [m.to for m in mailoutbox] == [["new.clerk@example.org"]]


def test_staff_create_of_a_money_role_waits_for_a_second_approver(
    users: dict[str, Any], mailoutbox: Any
) -> None:
    response = _session(users["partner_admin"]).post(
        "/api/staff",
        {"username": "new.sup", "email": "s@example.org", "role": "supervisor"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "awaiting_approval"
    assert mailoutbox == []


def test_staff_create_returns_422_naming_office_when_office_is_another_partners(
    other_partner: Any, users: dict[str, Any]
) -> None:
    office = OfficeFactory(delivery_partner=other_partner)
    response = _session(users["partner_admin"]).post(
        "/api/staff",
        {
            "username": "new.worker",
            "email": "w@example.org",
            "role": "caseworker",
            "office_id": office.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "office"
    assert not StaffInvitation.objects.exists()


def test_staff_create_returns_403_when_caseworker_tries(caseworker: Any) -> None:
    response = _session(caseworker).post(
        "/api/staff",
        {"username": "x", "email": "x@example.org", "role": "caseworker"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_openapi_schema_is_for_signed_in_users_and_never_exposes_the_full_sin(
    caseworker: Any,
) -> None:
    assert _session(caseworker).get("/api/docs").status_code == 200
    response = _session(caseworker).get("/api/openapi.json")
    assert response.status_code == 200
    assert "bearer" in str(response.json()["components"]["securitySchemes"]).lower()
    schemas = response.json()["components"]["schemas"]
    assert "sin_last3" in schemas["PersonOut"]["properties"]
    for name, schema in schemas.items():
        if name.endswith("Out"):
            assert "sin" not in schema.get("properties", {}), name
