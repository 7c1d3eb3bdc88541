"""Fixtures shared by every app's tests: two delivery partners and a user per role in each."""

from __future__ import annotations

from typing import Any

import pytest

from caseworks.accounts.constants import PROVINCIAL_ROLES, Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.partners.tests.factories import DeliveryPartnerFactory


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
