"""Pre-screening and inquiries: the first contact, before an application."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.calculation import engine
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import own_partner_id

from ..constants import (
    PrescreenResult,
)
from ..models import (
    Inquiry,
)
from ._common import MAX_ASSET_CENTS, _check_cents, _require_own

# --- Screening ------------------------------------------------------------------------------


def prescreen_unit(
    *,
    adults: int,
    children: int,
    has_spouse: bool,
    monthly_income_cents: int,
    shelter_cost_cents: int,
    assets_cents: int,
    benefit_month: dt.date,
) -> dict[str, Any]:
    """A rough benefit unit for a phone pre-screen, made by the one rules-input builder."""
    from caseworks.payments.facts import prescreen_facts, rules_unit  # noqa: PLC0415  # app order

    unit, _missing = rules_unit(
        prescreen_facts(
            adults=adults,
            children=children,
            has_spouse=has_spouse,
            monthly_income_cents=monthly_income_cents,
            shelter_cost_cents=shelter_cost_cents,
            assets_cents=assets_cents,
            benefit_month=benefit_month,
        ),
        benefit_month,
    )
    assert unit is not None  # a pre-screen household always has an applicant and housing
    return unit


@transaction.atomic
def inquiry_record(
    *,
    acting_user: User,
    caller_name: str,
    phone: str = "",
    adults: int = 1,
    children: int = 0,
    has_spouse: bool = False,
    monthly_income_cents: int = 0,
    shelter_cost_cents: int = 0,
    assets_cents: int = 0,
    person: Person | None = None,
) -> Inquiry:
    """Record a caller and pre-screen them with the rules engine (likely eligible or not, why)."""
    require_capability(acting_user, Capability.INQUIRY_RECORD)
    if not caller_name.strip():
        raise ApplicationError(_("Enter the caller's name."), field="caller_name")
    if not 1 <= adults <= 20:
        raise ApplicationError(_("Adults must be between 1 and 20."), field="adults")
    if not 0 <= children <= 20:
        raise ApplicationError(_("Children must be between 0 and 20."), field="children")
    if has_spouse and adults < 2:
        raise ApplicationError(_("A spouse counts as a second adult."), field="adults")
    for name, value in (
        ("monthly_income_cents", monthly_income_cents),
        ("shelter_cost_cents", shelter_cost_cents),
    ):
        _check_cents(value, name)
    _check_cents(assets_cents, "assets_cents", MAX_ASSET_CENTS)
    if person is not None:
        _require_own(acting_user, person.delivery_partner_id)
    unit = prescreen_unit(
        adults=adults,
        children=children,
        has_spouse=has_spouse,
        monthly_income_cents=monthly_income_cents,
        shelter_cost_cents=shelter_cost_cents,
        assets_cents=assets_cents,
        benefit_month=timezone.localdate().replace(day=1),
    )
    result = engine.calculate(unit)
    inquiry = Inquiry(
        delivery_partner_id=own_partner_id(acting_user),
        recorded_by=acting_user,
        person=person,
        caller_name=caller_name.strip(),
        phone=phone.strip(),
        adults=adults,
        children=children,
        has_spouse=has_spouse,
        monthly_income_cents=monthly_income_cents,
        shelter_cost_cents=shelter_cost_cents,
        assets_cents=assets_cents,
        prescreen_result=PrescreenResult.LIKELY_ELIGIBLE
        if result["eligible"]
        else PrescreenResult.LIKELY_INELIGIBLE,
        prescreen_snapshot={"input": unit, "output": result},
        rules_version=result["rules_version"],
    )
    inquiry._history_user = acting_user  # type: ignore[attr-defined]
    inquiry.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INQUIRY_RECORDED,
        subject=inquiry,
        delivery_partner_id=inquiry.delivery_partner_id,
        person_id=person.pk if person else None,
        extra_data={"prescreen_result": inquiry.prescreen_result},
    )
    return inquiry
