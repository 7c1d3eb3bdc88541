"""The records the facts loaders fill, and small date and rate helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from caseworks.cases.constants import MemberRole
from caseworks.partners.models import DeliveryPartner

from ..constants import (
    DEFAULT_RECOVERY_RATE_BP,
    FIRST_NATION_RECOVERY_RATE_BP,
    INCOME_REPORTING_LAG_MONTHS,
)

ROLE_TO_RULES: dict[str, str] = {
    MemberRole.APPLICANT: "applicant",
    MemberRole.SPOUSE: "spouse",
    MemberRole.DEPENDANT_ADULT: "dependant",
    MemberRole.DEPENDANT_CHILD: "dependant",
}
# Directive 5.3: the earnings exemptions apply at once to a person who returns within 6 months
# of leaving assistance with earnings after at least 3 consecutive months of receipt
# (ow-rules.md §3 "3-month rule waiver").
EXEMPTION_WAIVER_MONTHS = 6
EXEMPTION_QUALIFYING_MONTHS = 3
EXEMPTION_WAIVER_CITATION = "OW Policy Directive 5.3 (earnings exemptions: return within 6 months)"
MUST_REPORT_CITATION = (
    "ontario.ca “Working and earning while on Ontario Works”: report earnings every month, "
    "even if zero; OW Act, 1997, s. 14; O. Reg. 134/98, s. 14"
)


@dataclass(frozen=True)
class CaseFacts:
    """The case's own facts in force (one `CircumstancesChange` version)."""

    shelter_type: str
    shelter_cost_cents: int = 0
    heat_cents: int = 0
    utilities_cents: int = 0
    remote_community: bool = False
    assets: tuple[tuple[str, int], ...] = ()
    residence: str = "community"


@dataclass(frozen=True)
class MemberFacts:
    """One member's own facts in force (one `MemberCircumstancesChange` version)."""

    full_time_student: bool = False
    pregnant_or_breastfeeding: bool = False
    special_diet_cents: int = 0
    child_care_costs_cents: int = 0
    no_child_benefits: bool = False


NO_MEMBER_FACTS = MemberFacts()


@dataclass(frozen=True)
class Member:
    person_id: int
    first_name: str
    last_name: str
    date_of_birth: dt.date
    role: str


@dataclass
class MonthFacts:
    """Everything one case-month is calculated from, before it becomes the rules input."""

    members: list[Member]
    case: CaseFacts | None
    member_facts: dict[int, MemberFacts]
    # person id → [(kind, cents)] received in the income month
    incomes: dict[int, list[tuple[str, int]]]
    months_in_receipt: int
    # What the income is: "reported" for the income month, "carried" from an earlier month,
    # "application" (declared), or "missing" (a case that must report has not).
    income_basis: str = "reported"
    income_month: dt.date | None = None
    recovery_balance_cents: int = 0
    recovery_rate_bp: int = DEFAULT_RECOVERY_RATE_BP


@dataclass
class CaseMonthFacts:
    """What one case's month is calculated from (kept with the determination)."""

    benefit_unit_id: int
    unit: dict[str, Any] | None
    missing: list[str] = field(default_factory=list)
    # Calculated, but needing a person's attention (an income report is missing).
    exceptions: list[str] = field(default_factory=list)
    months_in_receipt: int = 0
    recovery_rate_bp: int = DEFAULT_RECOVERY_RATE_BP
    balance_cents: int = 0
    payee_name: str = ""
    income_basis: str = "reported"


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def rate_text(rate_bp: int) -> str:
    return str((Decimal(rate_bp) / Decimal(10000)).quantize(Decimal("0.0001")))


def default_rate_bp(partner: DeliveryPartner) -> int:
    return FIRST_NATION_RECOVERY_RATE_BP if partner.is_first_nation else DEFAULT_RECOVERY_RATE_BP


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years on `on` (the same as relativedelta(on, birth).years, 20x cheaper)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def income_month_for(benefit_month: dt.date) -> dt.date:
    return month_start(benefit_month) - relativedelta(months=INCOME_REPORTING_LAG_MONTHS)
