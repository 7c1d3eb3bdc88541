"""Fixtures shared by every app's tests: two delivery partners and a user per role in each."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseworks.accounts.constants import PROVINCIAL_ROLES, Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.partners.tests.factories import DeliveryPartnerFactory


@pytest.fixture(autouse=True)
def _second_factor_on_force_login(request: pytest.FixtureRequest, monkeypatch: Any) -> None:
    """Every staff session passes a second factor (caseworks.accounts.second_factor). Tests
    that sign in with `force_login` stand for a person who has done so: their session is
    verified with an authenticator device. Tests of the second factor itself sign in through
    the real pages, or mark themselves `unverified_session` to get a password-only session."""
    if request.node.get_closest_marker("unverified_session"):
        return
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test authenticator")
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _language_reset_after_test() -> Any:
    """A French request activates French in the test's thread (LocaleMiddleware) and nothing
    switches it back: without this, the next test would render in French."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def partner(db: Any) -> Any:
    return DeliveryPartnerFactory(code="partner-a", name="Partner A")


@pytest.fixture
def other_partner(db: Any) -> Any:
    return DeliveryPartnerFactory(code="partner-b", name="Partner B")


@pytest.fixture
def users(partner: Any) -> dict[str, Any]:
    """One user per role in `partner`; provincial roles also have a no-partner variant."""
    made = {role.value: UserFactory(role=role, delivery_partner=partner) for role in Role}
    for role in PROVINCIAL_ROLES:
        made[f"provincial_{role.value}"] = UserFactory(role=role, delivery_partner=None)
    return made


@pytest.fixture
def caseworker(users: dict[str, Any]) -> Any:
    return users[Role.CASEWORKER]


@pytest.fixture
def other_caseworker(other_partner: Any) -> Any:
    return UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
