from __future__ import annotations

from typing import Any

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_create
from caseworks.clients.tests.factories import PersonFactory


def make_case(*, partner: Any, caseworker: Any | None = None, **person_fields: Any) -> BenefitUnit:
    """A pending case with one applicant, opened through the real service."""
    actor = caseworker or UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    applicant = PersonFactory(delivery_partner=partner, **person_fields)
    return benefit_unit_create(acting_user=actor, applicant=applicant, caseworker=actor)
