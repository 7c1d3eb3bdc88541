"""Independent reference implementation (plain Python integers, no OpenFisca, no numpy).

Lives with the tests: the engine package never imports it (a test checks). Written separately
from the OpenFisca variables and with its own copy of the rate tables (typed in from ow-rules.md,
ow-benefits.md and the amending regulations), so the property tests compare two implementations
*and* two copies of the rates. Amounts are integer cents; the earnings exemption's 50 % uses
``decimal`` ROUND_HALF_UP, the overpayment deduction ROUND_DOWN, as documented in money.py.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple, TypeVar

from openfisca_ontario_works.validation import Unit

T = TypeVar("T")

# date -> (no dependants, dependants 0-17 only, 1 adult dep, 2 adult deps, 3 adult deps, +adult)
_BASIC = {
    False: [
        ("2016-10", (330, 347, 599, 750, 918, 168)),
        ("2017-10", (337, 354, 612, 767, 939, 172)),
        ("2018-10", (343, 360, 623, 781, 956, 175)),
    ],
    True: [
        ("2016-10", (476, 476, 627, 794, 962, 168)),
        ("2017-10", (486, 486, 641, 812, 984, 172)),
        ("2018-10", (494, 494, 652, 826, 1001, 175)),
    ],
}
_SHELTER = [
    ("2016-10", (376, 619, 672, 729, 786, 814)),
    ("2017-10", (384, 632, 686, 744, 802, 831)),
    ("2018-10", (390, 642, 697, 756, 815, 844)),
]
# date -> (adults, children) -> amount; then (+adult, +child) for additional dependants
# (2017-10: Cochrane DSSAB 2017 FAQ; 2018-10: Toronto / Cochrane DSB)
_BOARD = {
    False: [
        ("2017-10", (
            {(0, 0): 525, (0, 1): 654, (1, 0): 740, (0, 2): 725, (1, 1): 811, (2, 0): 859,
             (0, 3): 792, (1, 2): 878, (2, 1): 926, (3, 0): 964},
            (118, 67),
        )),
        ("2018-10", (
            {(0, 0): 533, (0, 1): 664, (1, 0): 752, (0, 2): 737, (1, 1): 825, (2, 0): 873,
             (0, 3): 806, (1, 2): 894, (2, 1): 942, (3, 0): 980},
            (120, 69),
        )),
    ],
    True: [
        ("2017-10", (
            {(0, 0): 677, (0, 1): 740, (1, 0): 777, (0, 2): 800, (1, 1): 837, (2, 0): 872,
             (0, 3): 860, (1, 2): 897, (2, 1): 932, (3, 0): 967},
            (98, 60),
        )),
        ("2018-10", (
            {(0, 0): 688, (0, 1): 752, (1, 0): 790, (0, 2): 813, (1, 1): 851, (2, 0): 887,
             (0, 3): 874, (1, 2): 912, (2, 1): 948, (3, 0): 984},
            (100, 61),
        )),
    ],
}  # fmt: skip
_RCA = {
    False: [("2016-10", (217, 348, 418, 493, 75)), ("2017-10", (267, 413, 503, 596, 97)),
            ("2018-10", (272, 420, 511, 605, 99))],
    True: [("2016-10", (322, 394, 468, 543, 75)), ("2017-10", (397, 477, 569, 662, 97)),
           ("2018-10", (403, 485, 578, 672, 99))],
}  # fmt: skip
_ADVANCED_AGE = [("2016-10", 42), ("2017-10", 43), ("2018-10", 44)]
_ASSET_LIMITS = [("2013-09", (2500, 5000, 500)), ("2017-09", (10000, 15000, 500))]
_EXEMPT_ASSETS = {"resp", "rdsp", "principal_residence", "locked_in_retirement"}
_ASSET_ORDER = (
    "cash", "bank_account", "rrsp", "tfsa", "resp", "rdsp", "principal_residence", "vehicle",
    "second_vehicle", "other", "locked_in_retirement",
)  # fmt: skip
_INCOME_ORDER = (
    "employment_insurance", "cpp", "spousal_support", "child_support", "canada_child_benefit",
    "ontario_child_benefit", "workers_compensation", "other", "cpp_childrens_benefit",
    "cpp_orphans_benefit",
)  # fmt: skip
SPECIAL_DIET_CAP = 25_000
PREGNANCY = 4_000
PREGNANCY_NON_DAIRY = 5_000
SPECIAL_BOARDER = 7_100
SECOND_VEHICLE_CAP = 1_500_000
MINIMUM_PAYMENT = 250
FLAT_EXEMPTION = 20_000
DEFAULT_RATE = Decimal("0.10")
FIRST_NATIONS_RATE = Decimal("0.05")


def _exempt_income(name: str, month: str) -> bool:
    if name in ("canada_child_benefit", "ontario_child_benefit"):
        return True
    if name == "child_support":
        return month >= "2017-02"  # clawback ended 1 February 2017
    if name == "cpp_childrens_benefit":
        return month >= "2017-10"  # O. Reg. 592/17; MCSS "starting in October 2017"
    return False


def _single_maximum(month: str) -> int:
    """Basic needs of a single person plus the shelter maximum for one person, in cents."""
    return (_dated(_BASIC[False], month)[0] + _dated(_SHELTER, month)[0]) * 100


class Result(NamedTuple):
    """Oracle outputs, integer cents."""

    eligible: bool
    reasons: tuple[str, ...]
    basic_needs: int
    shelter_allowance: int
    other_allowances: int
    budgetary_requirements: int
    chargeable_income: int
    entitlement: int
    overpayment_deduction: int
    payment: int


def _dated(table: list[tuple[str, T]], month: str) -> T:
    found = table[0][1]
    for start, value in table:
        if month >= start:
            found = value
    return found


def _half_up(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def calculate(unit: Unit) -> Result:
    """The monthly calculation of one validated unit."""
    month = unit.benefit_month
    # Directive 5.3: a dependant 18+ whose net income (earnings + non-exempt other income)
    # is above the single maximum is left out of the unit this month - needs and income.
    single_maximum = _single_maximum(month)
    members = [
        m
        for m in unit.members
        if not (
            m.role == 2
            and m.age >= 18
            and m.net_earnings
            + sum(
                a
                for n, a in zip(_INCOME_ORDER, m.unearned, strict=True)
                if not _exempt_income(n, month)
            )
            > single_maximum
        )
    ]
    spouse = any(m.role == 1 for m in members)
    dependants = [m for m in members if m.role == 2]
    adults = sum(1 for m in dependants if m.age >= 18)
    children = len(dependants) - adults
    size = len(members)
    boarder = unit.shelter_type == 2
    rents_or_owns = unit.shelter_type in (0, 1)

    # Table places: dependants 18+ first, then 0-17, three places.
    in_table_adults = min(adults, 3)
    in_table_children = min(children, 3 - in_table_adults)
    extra_adults = adults - in_table_adults
    extra_children = children - in_table_children

    basic = 0
    if not boarder:
        none, kids, one, two, three, add = _dated(_BASIC[spouse], month)
        if in_table_adults == 0:
            row = none if in_table_children == 0 else kids
        else:
            row = (one, two, three)[in_table_adults - 1]
        basic = (row + extra_adults * add) * 100  # children 0-17 add $0

    shelter = 0
    total_cost = unit.shelter_cost + unit.heat + unit.utilities
    if rents_or_owns:
        maximum = _dated(_SHELTER, month)[min(size, 6) - 1] * 100
        shelter = unit.heat if unit.heat > maximum else min(total_cost, maximum)
    elif boarder:
        cells, (add_adult, add_child) = _dated(_BOARD[spouse], month)
        maximum = (
            cells[(in_table_adults, in_table_children)]
            + extra_adults * add_adult
            + extra_children * add_child
        ) * 100
        shelter = min(total_cost, maximum)

    other = 0
    if unit.remote_community:
        row_values = _dated(_RCA[spouse], month)
        n = len(dependants)
        other += (row_values[min(n, 3)] + max(n - 3, 0) * row_values[4]) * 100
    advanced = _dated(_ADVANCED_AGE, month) * 100
    for member in members:
        other += min(member.special_diet, SPECIAL_DIET_CAP)
        if member.pregnant_or_breastfeeding and not boarder:
            other += PREGNANCY_NON_DAIRY if member.non_dairy else PREGNANCY
        if member.age >= 65:
            other += advanced
    if boarder:
        other += SPECIAL_BOARDER
    requirements = basic + shelter + other

    exemptions = unit.months_in_receipt >= 3
    chargeable_earnings = 0
    child_care = 0
    unearned = 0
    for member in members:
        child_care += member.child_care_costs
        not_counted = member.role == 2 and (member.age < 18 or member.full_time_student)
        earnings = 0 if not_counted else member.net_earnings
        if exemptions:
            flat = min(earnings, FLAT_EXEMPTION)
            exempt = flat + _half_up(Decimal(earnings - flat) / 2)
        else:
            exempt = 0
        chargeable_earnings += earnings - exempt
        for name, amount in zip(_INCOME_ORDER, member.unearned, strict=True):
            if not _exempt_income(name, month):
                unearned += amount
    income = chargeable_earnings - min(child_care, chargeable_earnings) + unearned

    counted_assets = 0
    for name, value in zip(_ASSET_ORDER, unit.assets, strict=True):
        if name == "vehicle":  # one vehicle exempt: the most valuable; the rest count
            counted_assets += value - unit.vehicle_largest
        elif name == "second_vehicle":  # one more up to $15,000; the rest count
            counted_assets += value - min(unit.second_vehicle_largest, SECOND_VEHICLE_CAP)
        elif name not in _EXEMPT_ASSETS:
            counted_assets += value
    single, couple, each = _dated(_ASSET_LIMITS, month)
    limit = ((couple if spouse else single) + each * len(dependants)) * 100

    reasons = []
    if counted_assets > limit:
        reasons.append("assets_over_limit")
    if income >= requirements:  # Act s.7(3)(b): requirements must EXCEED income
        reasons.append("income_exceeds_budgetary_requirements")
    if any(m.role == 0 and m.age < 16 for m in members):
        reasons.append("applicant_under_16")
    eligible = not reasons

    entitlement = max(requirements - income, 0) if eligible else 0
    deduction = 0
    if eligible and unit.overpayment_balance:
        if unit.overpayment_rate >= 0:
            rate = Decimal(unit.overpayment_rate) / 10_000
        else:
            rate = FIRST_NATIONS_RATE if unit.first_nations else DEFAULT_RATE
        deduction = min(
            int((requirements * rate).to_integral_value(rounding=ROUND_DOWN)),
            unit.overpayment_balance,
            max(entitlement - MINIMUM_PAYMENT, 0),
        )
    payment = max(entitlement - deduction, MINIMUM_PAYMENT) if eligible else 0
    return Result(
        eligible,
        tuple(reasons),
        basic,
        shelter,
        other,
        requirements,
        income,
        entitlement,
        deduction,
        payment,
    )
