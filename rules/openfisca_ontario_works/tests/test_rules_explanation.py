"""The explanation of three households, item by item: amounts, rule texts, citations, figures.

Pins the rendered output (`render` in engine.py) so that how it is produced can change without
the text changing. Every amount is the published one, from shared/reference/ow-rules.md:
basic needs (§1a: $343 single, $494 recipient and spouse with one child under 18), maximum
shelter (§1b: $390 for 1 person, $697 for 3), the Advanced Age Allowance (§1e: $44), the
non-dairy Pregnancy/Breast-feeding Nutritional Allowance (§1e: $50), the earnings exemption
(§3: $200 plus 50 % of the rest, none in the first 3 months), child support (§3: fully exempt)
and the single asset limit (§2a: $10,000).
"""

from __future__ import annotations

from typing import Any

from openfisca_ontario_works import calculate

CALCULATION = "O. Reg. 134/98, s. 40(1); OW Policy Directive 6.1 Calculating assistance"
CHARGEABLE = "O. Reg. 134/98, s. 48-54; OW Policy Directive 6.1 Calculating assistance"
BASIC_NEEDS = "O. Reg. 134/98, s. 41(1) para 1 (Table), October 2018 rates"
SHELTER = "O. Reg. 134/98, s. 42(2) para 2 (Table); OW Policy Directive 6.3 Shelter (October 2018)"
EARNINGS = "O. Reg. 134/98, s. 49; OW Policy Directive 5.3 Earnings exemptions"
REQUIREMENTS = "Budgetary requirements: basic needs, shelter and allowances added together"
CHARGEABLE_RULE = (
    "Chargeable income: earnings after exemptions and child care, plus income that is not exempt"
)
ENTITLEMENT_RULE = "Entitlement: budgetary requirements minus chargeable income (not below 0)"


def item(name: str, amount: str, rule: str, citation: str, **figures: str) -> dict[str, Any]:
    return {"item": name, "amount": amount, "rule": rule, "citation": citation, "figures": figures}


def family(spouse: str, adults: str, children: str) -> dict[str, str]:
    return {"spouse": spouse, "count_adults": adults, "count_children": children}


def single_basic_needs() -> dict[str, Any]:
    return item(
        "basic_needs",
        "343.00",
        "Basic needs, single, no dependants",
        BASIC_NEEDS,
        **family("false", "0", "0"),
        rate_date="2018-10",
    )


def test_single_renter_with_earnings_after_three_months() -> None:
    out = calculate(
        {
            "benefit_month": "2026-01",
            "months_in_receipt": 6,
            "members": [{"id": "a", "role": "applicant", "age": 35, "net_earnings": 300}],
            "shelter": {"type": "rent", "cost": 900},
        }
    )
    # 343 + 390 = 733; 300 - (200 + 50 % of 100) = 50 counted; 733 - 50 = 683.
    assert out["explanation"] == [
        single_basic_needs(),
        item(
            "shelter_allowance",
            "390.00",
            "Shelter: actual cost $900.00 (including heat and utilities), up to the maximum "
            "$390.00 for 1 person",
            SHELTER,
            shelter_type="rent",
            cost="900.00",
            maximum="390.00",
            unit_size="1",
            rate_date="2018-10",
        ),
        item("budgetary_requirements", "733.00", REQUIREMENTS, CALCULATION),
        item("net_earnings", "300.00", "Net earnings of member a", EARNINGS, member="a"),
        item(
            "earnings_exemption",
            "250.00",
            "Earnings exemption for member a: the first $200.00 plus 50% of the rest is not "
            "counted",
            EARNINGS,
            member="a",
            applies="true",
            flat="200.00",
            percent="50",
            waiting_months="3",
        ),
        item("chargeable_income", "50.00", CHARGEABLE_RULE, CHARGEABLE),
        item("entitlement", "683.00", ENTITLEMENT_RULE, CALCULATION, eligible="true"),
        item("payment", "683.00", "Payment for the month", CALCULATION),
    ]
    assert (out["budgetary_requirements"], out["payment"]) == ("733.00", "683.00")


def test_couple_with_child_owner_in_first_months_with_a_member_over_65() -> None:
    out = calculate(
        {
            "benefit_month": "2026-01",
            "months_in_receipt": 2,
            "members": [
                {"id": "a", "role": "applicant", "age": 40, "net_earnings": 400},
                {"id": "b", "role": "spouse", "age": 66},
                {"id": "c", "role": "dependant", "age": 4},
            ],
            "shelter": {"type": "own", "cost": 600, "heat": 100},
        }
    )
    # 494 + min(700, 697) + 44 = 1235; no exemption before 3 months: 1235 - 400 = 835.
    assert out["explanation"] == [
        item(
            "basic_needs",
            "494.00",
            "Basic needs, recipient and spouse, 1 dependant under 18",
            BASIC_NEEDS,
            **family("true", "0", "1"),
            rate_date="2018-10",
        ),
        item(
            "shelter_allowance",
            "697.00",
            "Shelter: actual cost $700.00 (including heat and utilities), up to the maximum "
            "$697.00 for 3 people",
            SHELTER,
            shelter_type="own",
            cost="700.00",
            maximum="697.00",
            unit_size="3",
            rate_date="2018-10",
        ),
        item(
            "advanced_age_allowance",
            "44.00",
            "Advanced Age Allowance for member b (65 or older)",
            "O. Reg. 134/98, s. 44(1) para 4 (quoted by City of Toronto, Board and lodging)",
            member="b",
            age_minimum="65",
            rate_date="2018-10",
        ),
        item("budgetary_requirements", "1235.00", REQUIREMENTS, CALCULATION),
        item("net_earnings", "400.00", "Net earnings of member a", EARNINGS, member="a"),
        item(
            "earnings_exemption",
            "0.00",
            "No earnings exemption for member a: fewer than 3 consecutive months on assistance (2)",
            "OW Policy Directive 5.3 Earnings exemptions",
            member="a",
            applies="false",
            waiting_months="3",
            months_in_receipt="2",
        ),
        item("chargeable_income", "400.00", CHARGEABLE_RULE, CHARGEABLE),
        item("entitlement", "835.00", ENTITLEMENT_RULE, CALCULATION, eligible="true"),
        item("payment", "835.00", "Payment for the month", CALCULATION),
    ]


def test_single_without_address_pregnant_over_the_asset_limit() -> None:
    out = calculate(
        {
            "benefit_month": "2026-01",
            "months_in_receipt": 6,
            "members": [
                {
                    "id": "a",
                    "role": "applicant",
                    "age": 28,
                    "pregnant_or_breastfeeding": True,
                    "pregnancy_allowance_non_dairy": True,
                    "unearned_income": [{"type": "child_support", "amount": 300}],
                }
            ],
            "shelter": {"type": "no_fixed_address"},
            "assets": [{"type": "bank_account", "value": 12000}],
        }
    )
    asset_limit = "O. Reg. 134/98, s. 38(1)(a)-(d), as substituted by O. Reg. 282/17, s. 1"
    assert out["ineligibility_reasons"] == [{"code": "assets_over_limit", "citation": asset_limit}]
    # 343 + 0 shelter + 50 = 393; child support exempt; $12,000 > $10,000: not eligible.
    assert out["explanation"] == [
        single_basic_needs(),
        item(
            "shelter_allowance",
            "0.00",
            "No fixed address: no shelter costs, so no shelter allowance",
            "O. Reg. 134/98, s. 41(1) and s. 42; OW Policy Directive 6.3 Shelter (basic needs "
            "are paid whether or not the unit has an address)",
            shelter_type="no_fixed_address",
        ),
        item(
            "pregnancy_breastfeeding_allowance",
            "50.00",
            "Pregnancy/Breast-feeding Nutritional Allowance for member a (non-dairy diet)",
            "O. Reg. 134/98, s. 41(1); City of Toronto, Ontario Works child-related benefits",
            member="a",
            non_dairy="true",
            rate_date="2016-10",
        ),
        item("budgetary_requirements", "393.00", REQUIREMENTS, CALCULATION),
        item(
            "child_support",
            "300.00",
            "Child support of member a: exempt, not deducted",
            "OW Policy Directive 5.5 Family support (child support fully exempt from 1 February "
            "2017)",
            member="a",
            income_type="child_support",
            exempt="true",
        ),
        item("chargeable_income", "0.00", CHARGEABLE_RULE, CHARGEABLE),
        item(
            "assets",
            "12000.00",
            "Assets that count (exempt assets left out): over the limit of $10000.00 for this "
            "benefit unit",
            asset_limit,
            limit="10000.00",
            over_limit="true",
        ),
        item(
            "entitlement",
            "0.00",
            "Not eligible this month, so no entitlement (see ineligibility reasons; income equal "
            "to or above the budgetary requirements is not eligible)",
            "Ontario Works Act, 1997, s. 7(3)(b) (budgetary requirements must exceed income); "
            "O. Reg. 134/98, s. 57.1 (income equal to or above budgetary requirements); OW "
            "Policy Directive 6.1 Calculating assistance",
            eligible="false",
        ),
        item("payment", "0.00", "Payment for the month", CALCULATION),
    ]
