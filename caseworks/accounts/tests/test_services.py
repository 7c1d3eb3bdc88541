"""Staff account and API token services: who may do it, what is refused, what is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caseworks.accounts.models import ApiToken
from caseworks.accounts.services import api_token_create, api_token_revoke
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "a-long-and-unusual-passphrase-7"


def test_api_token_create_returns_raw_token_and_audits_when_for_own_account(
    caseworker: Any,
) -> None:
    token, raw = api_token_create(acting_user=caseworker, user=caseworker, name="export")
    assert raw.startswith("cw_")
    assert token.token_hash == ApiToken.hash_token(raw)
    assert token.prefix == raw[:8]
    event = AuditEvent.objects.get()
    assert (event.event_type, event.acting_user, event.subject_id) == (
        "api_token_created",
        caseworker,
        str(token.pk),
    )
    assert raw not in str(event.extra_data)


def test_api_token_create_allows_partner_admin_for_own_staff_only(
    users: dict[str, Any], other_caseworker: Any
) -> None:
    admin = users["partner_admin"]
    api_token_create(acting_user=admin, user=users["caseworker"], name="integration")
    with pytest.raises(PermissionDeniedError):
        api_token_create(acting_user=admin, user=other_caseworker, name="integration")
    assert ApiToken.objects.count() == 1


def test_api_token_create_refuses_when_for_a_colleague_without_staff_manage(
    users: dict[str, Any],
) -> None:
    with pytest.raises(PermissionDeniedError):
        api_token_create(acting_user=users["supervisor"], user=users["caseworker"], name="x")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("name", "expires_in", "field"),
    [("  ", None, "name"), ("x" * 101, None, "name"), ("ok", dt.timedelta(hours=-1), "expires_at")],
)
def test_api_token_create_names_the_field_when_input_invalid(
    caseworker: Any, name: str, expires_in: dt.timedelta | None, field: str
) -> None:
    expires_at = timezone.now() + expires_in if expires_in else None
    with pytest.raises(ApplicationError) as excinfo:
        api_token_create(acting_user=caseworker, user=caseworker, name=name, expires_at=expires_at)
    assert excinfo.value.field == field
    assert not ApiToken.objects.exists()


def test_api_token_revoke_marks_revoked_and_audits_and_refuses_twice(caseworker: Any) -> None:
    token, _ = api_token_create(acting_user=caseworker, user=caseworker, name="x")
    revoked = api_token_revoke(acting_user=caseworker, token=token)
    assert revoked.revoked_at is not None
    assert not revoked.is_usable
    assert AuditEvent.objects.filter(event_type="api_token_revoked").count() == 1
    with pytest.raises(ApplicationError):
        api_token_revoke(acting_user=caseworker, token=token)
