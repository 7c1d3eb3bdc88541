"""Synthetic active cases built through the real services (test set-up; labelled synthetic)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    case_status_change,
)
from caseworks.clients.tests.factories import PersonFactory
from caseworks.payments.services import bank_account_record, circumstances_change_record

OPENED = dt.date(2025, 10, 6)


def payment_staff(partner: Any) -> dict[str, Any]:
    """A caseworker (prepares runs) and two supervisors (approve; never their own run)."""
    return {
        "caseworker": UserFactory(role=Role.CASEWORKER, delivery_partner=partner),
        "supervisor": UserFactory(role=Role.SUPERVISOR, delivery_partner=partner),
        "supervisor2": UserFactory(role=Role.SUPERVISOR, delivery_partner=partner),
    }


def active_case(
    *,
    partner: Any,
    actor: Any,
    first_name: str,
    last_name: str,
    born: dt.date = dt.date(1985, 3, 14),
    rent_cents: int = 80_000,
    shelter_type: str = "rent",
    children: int = 0,
    bank: tuple[str, str, str] | None = None,
    opened_on: dt.date = OPENED,
) -> BenefitUnit:
    """An ACTIVE case with its shelter facts from the month it opened (and a bank account)."""
    applicant = PersonFactory(
        delivery_partner=partner, first_name=first_name, last_name=last_name, date_of_birth=born
    )
    unit = benefit_unit_create(
        acting_user=actor, applicant=applicant, caseworker=actor, opened_on=opened_on
    )
    for index in range(children):
        child = PersonFactory(
            delivery_partner=partner,
            first_name=f"{first_name}child{index}",
            last_name=last_name,
            date_of_birth=dt.date(2018, 1, 1 + index),
        )
        benefit_unit_member_add(
            acting_user=actor,
            benefit_unit=unit,
            person=child,
            role=MemberRole.DEPENDANT_CHILD,
            start_on=opened_on,
        )
    unit = case_status_change(
        acting_user=actor,
        benefit_unit=unit,
        to_status=CaseStatus.ACTIVE,
        reason="Granted (synthetic test case)",
        effective_on=opened_on,
    )
    circumstances_change_record(
        acting_user=actor,
        benefit_unit=unit,
        effective_month=opened_on.replace(day=1),
        shelter_type=shelter_type,
        shelter_cost_cents=rent_cents,
        reason="Shelter at grant (synthetic)",
    )
    if bank:
        bank_account_record(
            acting_user=actor,
            benefit_unit=unit,
            holder_name=f"{first_name} {last_name}",
            institution=bank[0],
            transit=bank[1],
            account=bank[2],
            start_on=opened_on,
        )
    unit.refresh_from_db()
    return unit
