"""The one rules-input builder: `rules_unit` and `case_month_facts`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from caseworks.core.money import format_cents

from ..constants import (
    IncomeKind,
    Residence,
)
from .types import (
    NO_MEMBER_FACTS,
    ROLE_TO_RULES,
    CaseMonthFacts,
    Member,
    MonthFacts,
    age_on,
    month_start,
    rate_text,
)

# --- The builder ------------------------------------------------------------------------------


def member_ids(members: list[Member]) -> dict[int, str]:
    """Person id → the member's id in the rules input. It appears in the explanation ("Net
    earnings of Marie"), so it is the first name, made unique within the unit."""
    ids: dict[int, str] = {}
    used: set[str] = set()
    for index, member in enumerate(members):
        member_id = member.first_name or f"member {index + 1}"
        if member_id in used:
            member_id = f"{member_id} ({member.date_of_birth:%Y-%m-%d})"
        used.add(member_id)
        ids[member.person_id] = member_id
    return ids


def stored_incomes(
    situation: dict[str, Any], members: list[Member]
) -> dict[int, list[tuple[str, int]]]:
    """Each member's income as a stored rules input had it (person id → [(kind, cents)])."""
    by_id = {m.get("id"): m for m in situation.get("members", [])}
    result: dict[int, list[tuple[str, int]]] = {}
    for person_id, member_id in member_ids(members).items():
        stored = by_id.get(member_id)
        if stored is None:
            continue
        rows = [(IncomeKind.EARNINGS.value, _cents(stored.get("net_earnings", "0")))]
        rows += [(i["type"], _cents(i["amount"])) for i in stored.get("unearned_income", [])]
        result[person_id] = [(kind, cents) for kind, cents in rows if cents]
    return result


def _cents(text: Any) -> int:
    amount = Decimal(str(text))
    return int(amount * 100)


def rules_unit(
    facts: MonthFacts, benefit_month: dt.date, *, with_recovery: bool = True
) -> tuple[dict[str, Any] | None, list[str]]:
    """The ow-calc input for one case-month, or what is missing. The only place it is made."""
    missing: list[str] = []
    month = month_start(benefit_month)
    rules_members: list[dict[str, Any]] = []
    ids = member_ids(facts.members)
    for member in facts.members:
        member_id = ids[member.person_id]
        extra = facts.member_facts.get(member.person_id, NO_MEMBER_FACTS)
        received = facts.incomes.get(member.person_id, [])
        rules_member: dict[str, Any] = {
            "id": member_id,
            "role": ROLE_TO_RULES[member.role],
            "age": age_on(member.date_of_birth, month),
            "net_earnings": format_cents(
                sum(cents for kind, cents in received if kind == IncomeKind.EARNINGS)
            ),
            "child_care_costs": format_cents(extra.child_care_costs_cents),
            "full_time_student": extra.full_time_student,
            "unearned_income": [
                {"type": kind, "amount": format_cents(cents)}
                for kind, cents in received
                if kind != IncomeKind.EARNINGS
            ],
            "special_diet": format_cents(extra.special_diet_cents),
            "pregnant_or_breastfeeding": extra.pregnant_or_breastfeeding,
        }
        # Optional fields (rules 1.1) only when they apply, so every input made before them
        # is made again exactly (the grant compares the input with the stored one).
        # The Transition Child Benefit stops at 18 (Directive 7.6: dependent children under 18).
        if (
            extra.no_child_benefits
            and rules_member["role"] == "dependant"
            and rules_member["age"] < 18
        ):
            rules_member["no_child_benefits"] = True
        rules_members.append(rules_member)
    if not any(m["role"] == "applicant" for m in rules_members):
        missing.append(_("the applicant (no applicant on the case on the 1st)"))
    if facts.case is None or not facts.case.shelter_type:
        missing.append(_("housing: type of housing and its monthly cost"))
    if missing:
        return None, missing
    assert facts.case is not None
    case = facts.case
    unit: dict[str, Any] = {
        "benefit_month": month.strftime("%Y-%m"),
        "months_in_receipt": facts.months_in_receipt,
        "members": rules_members,
        "shelter": {"type": "no_fixed_address"}
        if case.shelter_type == "no_fixed_address"
        else {
            "type": case.shelter_type,
            "cost": format_cents(case.shelter_cost_cents),
            "heat": format_cents(case.heat_cents),
            "utilities": format_cents(case.utilities_cents),
        },
        "assets": [{"type": kind, "value": format_cents(cents)} for kind, cents in case.assets],
        "remote_community": case.remote_community,
    }
    if case.residence != Residence.COMMUNITY:
        # No shelter cost is budgeted in a hostel or an institution (s.41(1) para 1, s.43(1)).
        unit["residence"] = case.residence
        unit["shelter"] = {"type": "no_fixed_address"}
    if with_recovery and facts.recovery_balance_cents > 0:
        unit["overpayment_recovery"] = {
            "balance": format_cents(facts.recovery_balance_cents),
            "rate": rate_text(facts.recovery_rate_bp),
        }
    return unit, []


def case_month_facts(
    benefit_unit_id: int,
    facts: MonthFacts,
    benefit_month: dt.date,
    *,
    payee_name: str = "",
    with_recovery: bool = True,
) -> CaseMonthFacts:
    result = CaseMonthFacts(
        benefit_unit_id=benefit_unit_id,
        unit=None,
        months_in_receipt=facts.months_in_receipt,
        recovery_rate_bp=facts.recovery_rate_bp,
        balance_cents=facts.recovery_balance_cents,
        payee_name=payee_name,
        income_basis=facts.income_basis,
    )
    if facts.income_basis == "missing":
        assert facts.income_month is not None
        result.exceptions.append(
            _(
                "No income report for %(month)s: this case had earnings and must report every "
                "month. Paid on the last known income; record the report (0 if nothing was "
                "received) and the difference is booked."
            )
            % {"month": facts.income_month.strftime("%Y-%m")}
        )
    result.unit, result.missing = rules_unit(facts, benefit_month, with_recovery=with_recovery)
    return result
