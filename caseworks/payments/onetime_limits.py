"""The limit on each one-time benefit (issue 16): what may be paid for one person or one case
in a 12-month window, with the rule it comes from. Mandatory benefits (O. Reg. 134/98 s. 55(1))
read their maximum from the rules package's dated parameters; employment-related expenses and
the discretionary benefits (s. 59) use the amounts the delivery partner sets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from openfisca_ontario_works import tax_benefit_system

from .constants import OneTimeBenefitKind
from .models import OneTimePolicy

WINDOW_DAYS = 365  # "in any 12-month period" (s. 55(1) para 5.1; s. 49 via para 7)


@dataclasses.dataclass(frozen=True)
class OneTimeLimit:
    """At most `cents` for this kind in the 12 months before a request, counted per member
    (`per_member`) or per case; `citation` names the rule and who set the amount."""

    cents: int
    per_member: bool
    citation: str


def _provincial_cents(name: str, on: dt.date) -> int:
    value = getattr(tax_benefit_system().parameters(on.isoformat()).ontario_works.one_time, name)
    return int(Decimal(str(value)) * 100)


CITATIONS: dict[str, str] = {
    OneTimeBenefitKind.FULL_TIME_EMPLOYMENT: (
        "O. Reg. 134/98, s. 55(1) para 5.1 (O. Reg. 360/05); OW Policy Directive 7.4"
    ),
    OneTimeBenefitKind.CHILD_CARE_ADVANCE: "O. Reg. 134/98, s. 55(1) para 7 and s. 49(1)",
    OneTimeBenefitKind.EMPLOYMENT_EXPENSES: (
        "OW Policy Directive 7.4 (employment and participation benefits; amount set locally)"
    ),
    OneTimeBenefitKind.ADULT_DENTAL: "O. Reg. 134/98, s. 59(2) para 1",
    OneTimeBenefitKind.EYEGLASSES: "O. Reg. 134/98, s. 59(2) para 3",
    OneTimeBenefitKind.FUNERAL_BURIAL: "O. Reg. 134/98, s. 59(2) para 6",
    OneTimeBenefitKind.HEALTH_AUTHORIZATION: "O. Reg. 134/98, s. 55(1) paras 1 and 1.1",
    OneTimeBenefitKind.MOVING: "O. Reg. 134/98, s. 59(2)",
    OneTimeBenefitKind.NEWBORN_ITEMS: "O. Reg. 134/98, s. 59(2)",
}


def one_time_limit(
    *, kind: str, policy: OneTimePolicy, on: dt.date, dependant_children: int
) -> OneTimeLimit:
    """The limit in force on `on`. Advance child care: the unlicensed-care cap per child times
    the case's dependent children (licensed care at actual cost is not modelled: a request above
    the cap is refused and the office pays it outside Caseworks)."""
    citation = CITATIONS[kind]
    if kind == OneTimeBenefitKind.FULL_TIME_EMPLOYMENT:
        return OneTimeLimit(
            _provincial_cents("full_time_employment_benefit", on),
            per_member=True,
            citation=citation,
        )
    if kind == OneTimeBenefitKind.CHILD_CARE_ADVANCE:
        per_child = _provincial_cents("child_care_advance_unlicensed_per_child", on)
        return OneTimeLimit(
            per_child * dependant_children, per_member=False, citation=citation + " (unlicensed)"
        )
    if kind == OneTimeBenefitKind.EMPLOYMENT_EXPENSES:
        return OneTimeLimit(
            policy.employment_expenses_annual_limit_cents,
            per_member=True,
            citation=citation + "; limit set by the delivery partner",
        )
    return OneTimeLimit(
        policy.discretionary_annual_limit_cents,
        per_member=False,
        citation=citation + "; amount set by the delivery partner (s. 59(1))",
    )
