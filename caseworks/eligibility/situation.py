"""Translation from the case file to the rules engine's input (the ow-calc contract).

One function per section, as cla_backend's cfe_civil does. Money leaves here as exact decimal
strings made from integer cents; it never passes through a binary float. The result is
tri-state: a situation to calculate, or the list of what is missing (never a guess).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from caseworks.applications.constants import IncomeType, VerificationStatus
from caseworks.applications.models import Application, MemberCircumstances
from caseworks.core.money import format_cents


@dataclass
class SituationBuild:
    unit: dict[str, Any] | None
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.unit is not None and not self.missing


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return relativedelta(day, birth_date).years


def members_section(
    application: Application, benefit_month: dt.date
) -> tuple[list[dict[str, Any]], list[str]]:
    circumstances = list(
        MemberCircumstances.objects.filter(application=application)
        .select_related("person")
        .order_by("id")
    )
    current = set(
        application.benefit_unit.members.filter(end_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    incomes: dict[int, list[Any]] = {}
    for income in application.incomes.all().order_by("id"):
        incomes.setdefault(income.person_id, []).append(income)
    members: list[dict[str, Any]] = []
    missing: list[str] = []
    used_ids: set[str] = set()
    for item in circumstances:
        if item.person_id not in current:
            continue
        person_incomes = incomes.get(item.person_id, [])
        earnings = sum(
            i.monthly_amount_cents for i in person_incomes if i.income_type == IncomeType.EARNINGS
        )
        # The member id appears in the explanation ("Net earnings of Marie"), so it is the
        # first name, made unique within the unit.
        member_id = item.person.first_name or f"member {len(members) + 1}"
        if member_id in used_ids:
            member_id = f"{member_id} ({item.person.date_of_birth:%Y-%m-%d})"
        used_ids.add(member_id)
        members.append(
            {
                "id": member_id,
                "role": item.role,
                "age": age_on(item.person.date_of_birth, benefit_month),
                "net_earnings": format_cents(earnings),
                "child_care_costs": format_cents(item.child_care_costs_cents),
                "full_time_student": item.full_time_student,
                "unearned_income": [
                    {"type": i.income_type, "amount": format_cents(i.monthly_amount_cents)}
                    for i in person_incomes
                    if i.income_type != IncomeType.EARNINGS
                ],
                "special_diet": format_cents(item.special_diet_cents),
                "pregnant_or_breastfeeding": item.pregnant_or_breastfeeding,
            }
        )
    if not any(m["role"] == "applicant" for m in members):
        missing.append(_("the applicant"))
    return members, missing


def shelter_section(application: Application) -> tuple[dict[str, Any], list[str]]:
    if not application.shelter_type:
        return {}, [_("housing: type of housing and its monthly cost")]
    if application.shelter_type == "no_fixed_address":
        return {"type": "no_fixed_address"}, []
    return {
        "type": application.shelter_type,
        "cost": format_cents(application.shelter_cost_cents),
        "heat": format_cents(application.heat_cents),
        "utilities": format_cents(application.utilities_cents),
    }, []


def assets_section(application: Application) -> list[dict[str, Any]]:
    return [
        {"type": a.asset_type, "value": format_cents(a.value_cents)}
        for a in application.assets.all().order_by("id")
    ]


def verification_section(application: Application) -> list[str]:
    missing = []
    for item in application.verifications.select_related("person").order_by("kind", "id"):
        if item.status == VerificationStatus.PENDING:
            who = f" — {item.person.full_name}" if item.person else ""
            missing.append(
                _("proof not yet verified: %(item)s") % {"item": item.get_kind_display()} + who
            )
    if not application.consent_to_verification:
        missing.append(_("the applicant's consent to verification"))
    return missing


def build_situation(application: Application, benefit_month: dt.date) -> SituationBuild:
    """The rules input for `benefit_month`, or what must be collected first."""
    members, missing = members_section(application, benefit_month)
    shelter, shelter_missing = shelter_section(application)
    missing += shelter_missing + verification_section(application)
    unit: dict[str, Any] = {
        "benefit_month": benefit_month.strftime("%Y-%m"),
        "months_in_receipt": application.months_in_receipt,
        "members": members,
        "shelter": shelter or {"type": "no_fixed_address"},
        "assets": assets_section(application),
        "remote_community": application.remote_community,
    }
    return SituationBuild(unit=unit, missing=missing)
