from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from caseworks.clients.models import Person
from caseworks.core.text import name_key
from caseworks.partners.tests.factories import DeliveryPartnerFactory


class PersonFactory(DjangoModelFactory[Person]):
    """A synthetic client. Built directly (not through person_create) for test set-up only."""

    class Meta:
        model = Person

    delivery_partner = factory.SubFactory(DeliveryPartnerFactory)
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = factory.Sequence(lambda n: f"Tremblay{n}")
    date_of_birth = dt.date(1990, 5, 17)
    first_name_key = factory.LazyAttribute(lambda o: name_key(o.first_name))
    last_name_key = factory.LazyAttribute(lambda o: name_key(o.last_name))
    sin = ""
    sin_last3 = factory.LazyAttribute(lambda o: o.sin[-3:])
