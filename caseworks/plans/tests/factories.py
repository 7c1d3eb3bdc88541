from __future__ import annotations

import datetime as dt
from typing import Any

from caseworks.cases.models import BenefitUnit
from caseworks.plans.constants import GoalCategory
from caseworks.plans.models import ParticipationAgreement
from caseworks.plans.services import (
    participation_agreement_create,
    participation_agreement_sign,
    plan_goal_add,
)


def applicant_of(benefit_unit: BenefitUnit) -> Any:
    return benefit_unit.members.get(role="applicant", end_on__isnull=True).person


def make_signed_agreement(
    *, benefit_unit: BenefitUnit, user: Any, start_on: dt.date
) -> ParticipationAgreement:
    """A signed agreement with one employment goal, made through the real services."""
    agreement = participation_agreement_create(
        acting_user=user,
        benefit_unit=benefit_unit,
        person=applicant_of(benefit_unit),
        start_on=start_on,
    )
    plan_goal_add(
        acting_user=user,
        agreement=agreement,
        category=GoalCategory.EMPLOYMENT,
        description="Find work in retail",
    )
    return participation_agreement_sign(
        acting_user=user, agreement=agreement, signed_on=start_on, signed_by="Client"
    )
