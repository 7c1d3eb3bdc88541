"""Citations read from parameter metadata (by benefit month), plus fixed citations for rules
that have no parameter of their own."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from openfisca_ontario_works.tax_benefit_system import tax_benefit_system

CALCULATION = "O. Reg. 134/98, s. 40(1); OW Policy Directive 6.1 Calculating assistance"
ELIGIBILITY_INCOME = (
    "Ontario Works Act, 1997, s. 7(3)(b) (budgetary requirements must exceed income); "
    "O. Reg. 134/98, s. 57.1 (income equal to or above budgetary requirements); "
    "OW Policy Directive 6.1 Calculating assistance"
)
DEPENDANT_LEFT_OUT = (
    "OW Policy Directive 5.3 Earnings exemptions (a dependent adult whose net income is more "
    "than the maximum assistance for a single person is removed from the benefit unit for the "
    "month); O. Reg. 134/98, s. 2(2)(c)(i) (same income test)"
)
NO_FIXED_ADDRESS = (
    "O. Reg. 134/98, s. 41(1) and s. 42; OW Policy Directive 6.3 Shelter "
    "(basic needs are paid whether or not the unit has an address)"
)
EMERGENCY_HOSTEL = (
    "O. Reg. 134/98, s. 41(1) para 1; OW Policy Directive 6.16 Emergency hostels and shelters "
    "(shelter funded by the municipal Homelessness Prevention Program since January 2013, not "
    "by Ontario Works)"
)
EARNINGS_NOT_COUNTED = (
    "O. Reg. 134/98, s. 49; OW Policy Directive 5.3 (earnings of dependent children and of "
    "dependants in full-time school are not counted, as summarised by CLEO)"
)
CHILD_CARE = "O. Reg. 134/98, s. 49(1) para 2; OW Policy Directive 5.4 Child care deductions"
UNDER_16 = "OW Policy Directive 3.5 Applicants and participants under 18"
CHARGEABLE_INCOME = "O. Reg. 134/98, s. 48-54; OW Policy Directive 6.1 Calculating assistance"


def _parameter(path: str) -> Any:
    node: Any = tax_benefit_system().parameters
    for part in path.split("."):
        node = node.children[part]
    return node


@cache
def citation(path: str, month: str) -> str:
    """Title of the primary reference in force for ``path`` in ``month`` (YYYY-MM).

    The first reference listed for a date is the legal source; further entries (delivery-agent
    pages that reproduce a table) stay in the parameter metadata.
    """
    references: dict[Any, Any] = _parameter(path).metadata.get("reference", {})
    first_day = date.fromisoformat(f"{month}-01")
    chosen: list[dict[str, str]] = []
    best: date | None = None
    for key, items in references.items():
        when = key if isinstance(key, date) else date.fromisoformat(str(key))
        if when <= first_day and (best is None or when > best):
            best, chosen = when, items
    if not chosen and references:  # value dated before its first reference: use the earliest
        chosen = references[min(references, key=str)]
    return str(chosen[0]["title"]) if chosen else ""


@cache
def rate_date(path: str, month: str) -> str:
    """``YYYY-MM`` of the parameter value in force in ``month`` (when that rate started)."""
    first_day = f"{month}-01"
    starts = [str(at.instant_str) for at in _parameter(path).values_list]
    return max((s for s in starts if s <= first_day), default=min(starts))[:7]


@cache
def label(path: str) -> str:
    """The parameter's ``metadata.label``."""
    return str(_parameter(path).metadata["label"])
