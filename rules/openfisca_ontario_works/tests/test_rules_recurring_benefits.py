"""The 1.1 recurring-benefit extensions: emergency hostel, institutions (personal-needs
allowance), Transition Child Benefit - inputs, output keys, explanation lines, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

import openfisca_ontario_works as ow
from openfisca_ontario_works.tests.helpers import run_in_process


def unit(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "benefit_month": "2026-01",
        "members": [{"id": "Ana", "role": "applicant", "age": 35}],
    }
    data.update(overrides)
    return data


def items(result: dict[str, Any]) -> list[str]:
    return [line["item"] for line in result["explanation"]]


def test_defaults_keep_the_previous_output_keys() -> None:
    result = ow.calculate(unit())
    assert "personal_needs_allowance" not in result
    assert "transition_child_benefit" not in result
    assert ow.calculate(unit(residence="community")) == result


def test_emergency_hostel_basic_needs_without_shelter_and_says_why() -> None:
    result = ow.calculate(unit(residence="emergency_hostel"))
    assert (result["basic_needs"], result["shelter_allowance"]) == ("343.00", "0.00")
    assert result["payment"] == "343.00"
    shelter = next(i for i in result["explanation"] if i["item"] == "shelter_allowance")
    assert shelter["figures"]["residence"] == "emergency_hostel"
    assert "Directive 6.16" in shelter["citation"]


@pytest.mark.parametrize("residence", ["long_term_care", "correctional_community_residence"])
def test_institution_pays_personal_needs_instead_of_basic_needs(residence: str) -> None:
    members = [
        {"id": "Ana", "role": "applicant", "age": 70, "special_diet": 100},
        {"id": "Ben", "role": "spouse", "age": 72},
    ]
    result = ow.calculate(unit(residence=residence, members=members))
    assert result["personal_needs_allowance"] == "298.00"
    assert result["basic_needs"] == result["shelter_allowance"] == "0.00"
    assert result["other_allowances"] == "0.00"  # no special diet or advanced age in the home
    assert result["budgetary_requirements"] == result["payment"] == "298.00"
    assert items(result)[0] == "personal_needs_allowance"
    assert "basic_needs" not in items(result)
    assert "special_diet_allowance" not in items(result)
    line = result["explanation"][0]
    assert line["figures"]["each"] == "149.00"
    assert line["figures"]["members"] == "2"
    assert line["figures"]["unverified_value"] == "false"


def test_institution_october_2017_value_is_marked_unverified_on_the_line() -> None:
    result = ow.calculate(unit(benefit_month="2018-03", residence="long_term_care"))
    line = result["explanation"][0]
    assert line["amount"] == "146.00"
    assert line["figures"]["unverified_value"] == "true"
    assert "$147" in line["rule"]
    assert "O. Reg. 282/17" in line["citation"]


def test_institution_income_is_still_deducted() -> None:
    members = [
        {
            "id": "Ana",
            "role": "applicant",
            "age": 70,
            "unearned_income": [{"type": "cpp", "amount": 100}],
        }
    ]
    result = ow.calculate(unit(residence="long_term_care", members=members))
    assert result["entitlement"] == "49.00"


def test_transition_child_benefit_added_to_the_payment_with_its_line() -> None:
    members = [
        {"id": "Ana", "role": "applicant", "age": 30},
        {"id": "Bo", "role": "dependant", "age": 0, "no_child_benefits": True},
        {"id": "Cy", "role": "dependant", "age": 4},
    ]
    result = ow.calculate(unit(members=members))
    assert result["transition_child_benefit"] == "230.00"
    assert result["entitlement"] == "360.00"
    assert result["payment"] == "590.00"
    line = next(i for i in result["explanation"] if i["item"] == "transition_child_benefit")
    assert line["figures"] == {"member": "Bo", "maximum": "230.00", "rate_date": "2016-10"}
    assert "$207" in line["rule"]
    assert "Directive 7.6" in line["citation"]
    assert items(result)[-1] == "payment"


def test_transition_child_benefit_none_when_ineligible() -> None:
    members = [
        {
            "id": "Ana",
            "role": "applicant",
            "age": 30,
            "unearned_income": [{"type": "employment_insurance", "amount": 5000}],
        },
        {"id": "Bo", "role": "dependant", "age": 0, "no_child_benefits": True},
    ]
    result = ow.calculate(unit(members=members))
    assert result["eligible"] is False
    assert result["transition_child_benefit"] == "0.00"
    assert result["payment"] == "0.00"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (
            unit(residence="hotel"),
            "residence: must be one of community, emergency_hostel, long_term_care, "
            "correctional_community_residence",
        ),
        (
            unit(residence="long_term_care", shelter={"type": "rent", "cost": 500}),
            "shelter.type: must be no_fixed_address when residence is long_term_care (no "
            "shelter cost is budgeted: O. Reg. 134/98 s. 41(1) para 1, s. 43(1))",
        ),
        (
            unit(
                members=[{"id": "Ana", "role": "applicant", "age": 35, "no_child_benefits": True}]
            ),
            "members[0].no_child_benefits: only for a dependant under 18 (Transition Child "
            "Benefit, OW Directive 7.6)",
        ),
        (
            unit(members=[{"id": "Ana", "role": "applicant", "age": 35, "no_child_benefits": 1}]),
            "members[0].no_child_benefits: must be true or false",
        ),
    ],
)
def test_invalid_new_fields_name_the_path_and_the_rule(raw: dict[str, Any], error: str) -> None:
    status, out, err = run_in_process(json.dumps(raw))
    assert status == 2
    assert out == b""
    assert error in err.splitlines()
