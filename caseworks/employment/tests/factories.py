from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.employment.constants import ProviderKind
from caseworks.employment.models import ProviderAccount, ServiceProvider


class ServiceProviderFactory(DjangoModelFactory[ServiceProvider]):
    """A synthetic provider (test set-up only)."""

    class Meta:
        model = ServiceProvider

    name = factory.Sequence(lambda n: f"Test Employment Agency {n}")
    kind = ProviderKind.EMPLOYMENT_ONTARIO
    catchment = "Test catchment"
    services = "Job search workshops"


def make_provider_user(*, provider: ServiceProvider, partner: Any) -> Any:
    """A provider-role login linked to `provider` (set up directly; the service is tested)."""
    user = UserFactory(role=Role.PROVIDER, delivery_partner=partner)
    ProviderAccount.objects.create(user=user, provider=provider, created_by=user)
    return user
