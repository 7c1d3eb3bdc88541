from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner, Office


class DeliveryPartnerFactory(DjangoModelFactory[DeliveryPartner]):
    class Meta:
        model = DeliveryPartner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-partner-{n}")
    name = factory.Sequence(lambda n: f"Test Service Manager {n}")
    kind = PartnerKind.CMSM
    is_demo = True


class OfficeFactory(DjangoModelFactory[Office]):
    class Meta:
        model = Office

    delivery_partner = factory.SubFactory(DeliveryPartnerFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    city = "Toronto"
