"""Application loader (one pending application) and the phone pre-screen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from dateutil.relativedelta import relativedelta

from caseworks.cases.constants import MemberRole

from ..constants import (
    IncomeKind,
)
from .builder import case_month_facts
from .loader import members_in_force, months_in_receipt_by_case
from .types import (
    CaseFacts,
    CaseMonthFacts,
    Member,
    MemberFacts,
    MonthFacts,
    income_month_for,
    month_start,
)

# --- Application loader (one pending application) ------------------------------------------


def application_facts(
    application: Any,
) -> tuple[CaseFacts, dict[int, MemberFacts], dict[int, list[tuple[str, int]]]]:
    """The application's facts as the builder's records: housing and assets, each member's
    circumstances, and declared monthly income by member and kind (summed per kind)."""
    case = CaseFacts(
        shelter_type=application.shelter_type or "",
        shelter_cost_cents=application.shelter_cost_cents,
        heat_cents=application.heat_cents,
        utilities_cents=application.utilities_cents,
        remote_community=application.remote_community,
        assets=tuple(
            (a.asset_type, a.value_cents) for a in application.assets.all().order_by("id")
        ),
    )
    member_facts = {
        c.person_id: MemberFacts(
            c.full_time_student,
            c.pregnant_or_breastfeeding,
            c.special_diet_cents,
            c.child_care_costs_cents,
        )
        for c in application.member_circumstances.all()
    }
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for income in application.incomes.all().order_by("id"):
        totals[income.person_id][income.income_type] += income.monthly_amount_cents
    incomes = {person_id: sorted(by_kind.items()) for person_id, by_kind in totals.items()}
    return case, member_facts, incomes


def application_month_facts(application: Any, benefit_month: dt.date) -> CaseMonthFacts:
    """The rules input of a pending application's month, through the same builder."""
    month = month_start(benefit_month)
    unit = application.benefit_unit
    members = members_in_force([unit.pk], month, {unit.pk: {"opened_on": unit.opened_on}})
    in_force = {m.person_id for m in members.get(unit.pk, [])}
    case, member_facts, incomes = application_facts(application)
    facts = MonthFacts(
        members=members.get(unit.pk, []),
        case=case,
        member_facts={p: f for p, f in member_facts.items() if p in in_force},
        incomes={p: rows for p, rows in incomes.items() if p in in_force},
        months_in_receipt=months_in_receipt_by_case(
            [unit.pk], month, {unit.pk: application.months_in_receipt}
        )[unit.pk],
        income_basis="application",
        income_month=income_month_for(month),
    )
    return case_month_facts(unit.pk, facts, month, with_recovery=False)


def prescreen_facts(
    *,
    adults: int,
    children: int,
    has_spouse: bool,
    monthly_income_cents: int,
    shelter_cost_cents: int,
    assets_cents: int,
    benefit_month: dt.date,
) -> MonthFacts:
    """A rough household for a phone pre-screen, as the builder's records. At application no
    earnings exemption applies (3-month rule, Directive 5.3), so income is counted in full."""
    birth_adult = month_start(benefit_month) - relativedelta(years=30)
    birth_dependant_adult = month_start(benefit_month) - relativedelta(years=19)
    birth_child = month_start(benefit_month) - relativedelta(years=8)
    members = [Member(0, "applicant", "", birth_adult, MemberRole.APPLICANT)]
    if has_spouse:
        members.append(Member(-1, "spouse", "", birth_adult, MemberRole.SPOUSE))
    other_adults = max(0, adults - 1 - int(has_spouse))
    members += [
        Member(-10 - i, f"adult{i}", "", birth_dependant_adult, MemberRole.DEPENDANT_ADULT)
        for i in range(other_adults)
    ]
    members += [
        Member(-100 - i, f"child{i}", "", birth_child, MemberRole.DEPENDANT_CHILD)
        for i in range(children)
    ]
    return MonthFacts(
        members=members,
        case=CaseFacts(
            shelter_type="rent" if shelter_cost_cents else "no_fixed_address",
            shelter_cost_cents=shelter_cost_cents,
            assets=(("bank_account", assets_cents),),
        ),
        member_facts={},
        incomes={0: [(IncomeKind.OTHER.value, monthly_income_cents)]},
        months_in_receipt=0,
        income_basis="application",
    )
