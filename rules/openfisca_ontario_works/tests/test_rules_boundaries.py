"""Boundaries: month before/after each dated change, asset limit +/- 1 cent, multi-member units."""

from __future__ import annotations

from typing import Any

import pytest

from openfisca_ontario_works import calculate


def unit(month: str, members: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "benefit_month": month,
        "members": members or [{"id": "a", "role": "applicant", "age": 40}],
        "shelter": {"type": "rent", "cost": 2000},
        **extra,
    }


@pytest.mark.parametrize(
    ("month", "basic", "shelter"),
    [
        ("2016-10", "330.00", "376.00"),
        ("2017-09", "330.00", "376.00"),
        ("2017-10", "337.00", "384.00"),
        ("2018-09", "337.00", "384.00"),
        ("2018-10", "343.00", "390.00"),
        ("2026-11", "343.00", "390.00"),
    ],
)
def test_single_rates_either_side_of_each_change(month: str, basic: str, shelter: str) -> None:
    out = calculate(unit(month))
    assert (out["basic_needs"], out["shelter_allowance"]) == (basic, shelter)


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2017-09", "1413.00"),
        ("2017-10", "1443.00"),
        ("2018-09", "1443.00"),
        ("2018-10", "1467.00"),
    ],
)
def test_family_of_five_either_side_of_rate_changes(month: str, expected: str) -> None:
    members = [
        {"id": "a", "role": "applicant", "age": 40},
        {"id": "s", "role": "spouse", "age": 38},
        {"id": "d1", "role": "dependant", "age": 19},
        {"id": "d2", "role": "dependant", "age": 12},
        {"id": "d3", "role": "dependant", "age": 3},
    ]
    out = calculate(unit(month, members))
    # couple + 1 dependant 18+ (basic needs row) + shelter maximum for 5 people, plus RCA none
    assert out["budgetary_requirements"] == expected


@pytest.mark.parametrize(
    ("month", "value", "eligible"),
    [
        ("2017-08", "2500.00", True),
        ("2017-08", "2500.01", False),
        ("2017-09", "2500.01", True),
        ("2017-09", "10000.00", True),
        ("2017-09", "10000.01", False),
        ("2026-01", "10000.01", False),
    ],
)
def test_asset_limit_one_cent(month: str, value: str, eligible: bool) -> None:
    out = calculate(unit(month, assets=[{"type": "bank_account", "value": value}]))
    assert out["eligible"] is eligible
    if not eligible:
        assert out["ineligibility_reasons"][0]["code"] == "assets_over_limit"
        assert out["payment"] == "0.00"


def test_couple_with_two_dependants_asset_limit_and_exempt_assets() -> None:
    members = [
        {"id": "a", "role": "applicant", "age": 40},
        {"id": "s", "role": "spouse", "age": 38},
        {"id": "d1", "role": "dependant", "age": 5},
        {"id": "d2", "role": "dependant", "age": 7},
    ]
    assets: list[dict[str, Any]] = [
        {"type": "bank_account", "value": "16000.00"},
        {"type": "principal_residence", "value": 300000},
        {"type": "vehicle", "value": 20000},
        {"type": "resp", "value": 5000},
        {"type": "rdsp", "value": 5000},
    ]
    assert calculate(unit("2026-01", members, assets=assets))["eligible"] is True
    assets[0]["value"] = "16000.01"
    assert calculate(unit("2026-01", members, assets=assets))["eligible"] is False


def test_child_support_before_and_after_february_2017() -> None:
    members = [
        {
            "id": "a",
            "role": "applicant",
            "age": 30,
            "unearned_income": [{"type": "child_support", "amount": 100}],
        },
        {"id": "c", "role": "dependant", "age": 2},
    ]
    assert calculate(unit("2017-01", members))["chargeable_income"] == "100.00"
    assert calculate(unit("2017-02", members))["chargeable_income"] == "0.00"


def test_third_and_fourth_month_earnings() -> None:
    members = [{"id": "a", "role": "applicant", "age": 30, "net_earnings": 500}]
    assert calculate(unit("2026-01", members, months_in_receipt=2))["chargeable_income"] == "500.00"
    assert calculate(unit("2026-01", members, months_in_receipt=3))["chargeable_income"] == "150.00"


def test_income_equal_to_requirements_is_ineligible_and_one_cent_below_gets_minimum() -> None:
    """Act s.7(3)(b): eligible only if budgetary requirements EXCEED income; O. Reg. 134/98
    s.57.1 calls income "equal to or" above requirements the ineligible case. Single, no
    address, 2026-01: requirements = basic needs $343."""

    def with_cpp(amount: str) -> dict[str, Any]:
        members = [
            {
                "id": "a",
                "role": "applicant",
                "age": 40,
                "unearned_income": [{"type": "cpp", "amount": amount}],
            }
        ]
        return calculate(unit("2026-01", members))

    below = with_cpp("732.99")
    assert below["eligible"] is True
    assert below["entitlement"] == "0.01"
    assert below["payment"] == "2.50"  # s.63 minimum payment
    at = with_cpp("733.00")
    assert at["eligible"] is False
    assert at["ineligibility_reasons"][0]["code"] == "income_exceeds_budgetary_requirements"
    assert at["payment"] == "0.00"
    over = with_cpp("733.01")
    assert over["eligible"] is False
    assert over["ineligibility_reasons"][0]["code"] == "income_exceeds_budgetary_requirements"
    assert over["payment"] == "0.00"


def test_no_fixed_address_gets_basic_needs_only() -> None:
    out = calculate(unit("2026-01", shelter={"type": "no_fixed_address"}))
    assert out["shelter_allowance"] == "0.00"
    assert out["payment"] == "343.00"


def test_recovery_never_below_minimum_payment() -> None:
    members = [
        {
            "id": "a",
            "role": "applicant",
            "age": 40,
            "unearned_income": [{"type": "employment_insurance", "amount": "730.00"}],
        }
    ]
    out = calculate(unit("2026-01", members, overpayment_recovery={"balance": 5000, "rate": 1}))
    assert out["entitlement"] == "3.00"
    assert out["overpayment_deduction"] == "0.50"
    assert out["payment"] == "2.50"
