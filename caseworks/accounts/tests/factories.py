from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.partners.tests.factories import DeliveryPartnerFactory

TEST_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Worker{n}")
    role = Role.CASEWORKER
    delivery_partner = factory.SubFactory(DeliveryPartnerFactory)
    password = factory.django.Password(TEST_PASSWORD)
