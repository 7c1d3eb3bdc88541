"""The ow-calc contract (shared/contracts/ow-calc.md), through the real command."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from openfisca_ontario_works import RULES_VERSION
from openfisca_ontario_works.tests.helpers import dumps, run_cli, run_in_process, single

OUTPUT_KEYS = [
    "benefit_month",
    "eligible",
    "ineligibility_reasons",
    "basic_needs",
    "shelter_allowance",
    "other_allowances",
    "budgetary_requirements",
    "chargeable_income",
    "entitlement",
    "overpayment_deduction",
    "payment",
    "explanation",
    "rules_version",
]
AMOUNT = re.compile(r"-?\d+\.\d{2}")


def _no_floats(value: Any) -> None:
    assert not isinstance(value, float), value
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list):
        for item in value:
            _no_floats(item)


def test_contract_example_output_exactly() -> None:
    result = run_cli(dumps(single()))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    out = json.loads(result.stdout)
    assert list(out) == OUTPUT_KEYS
    assert out["benefit_month"] == "2026-01"
    assert out["eligible"] is True
    assert out["ineligibility_reasons"] == []
    assert (out["basic_needs"], out["shelter_allowance"], out["other_allowances"]) == (
        "343.00",
        "390.00",
        "0.00",
    )
    assert out["budgetary_requirements"] == "733.00"
    assert out["chargeable_income"] == "50.00"
    assert out["entitlement"] == "683.00"
    assert out["overpayment_deduction"] == "0.00"
    assert out["payment"] == "683.00"
    assert out["rules_version"] == RULES_VERSION == "1.1.0"
    first = out["explanation"][0]
    assert first["item"] == "basic_needs"
    assert first["amount"] == "343.00"
    assert first["rule"] == "Basic needs, single, no dependants"
    assert first["citation"].startswith("O. Reg. 134/98, s. 41(1)")
    for line in out["explanation"]:
        # the contract's four keys, plus the compatible "figures" extension
        assert set(line) == {"item", "amount", "rule", "citation", "figures"}
        assert AMOUNT.fullmatch(line["amount"])
        assert line["citation"]
        assert isinstance(line["figures"], dict)
        assert all(isinstance(v, str) for v in line["figures"].values())
    assert [line["item"] for line in out["explanation"]][-1] == "payment"
    _no_floats(out)
    for key in OUTPUT_KEYS[3:11]:
        assert AMOUNT.fullmatch(out[key]), key


def test_output_is_one_json_line() -> None:
    result = run_cli(dumps(single()))
    assert result.stdout.count(b"\n") == 1
    assert result.stdout.endswith(b"\n")


def test_defaults_only_required_fields() -> None:
    unit = {"benefit_month": "2026-01", "members": [{"role": "applicant", "age": 30}]}
    result = run_cli(dumps(unit))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # defaults: no fixed address (basic needs only), months_in_receipt 0, no assets, no recovery
    assert out["basic_needs"] == "343.00"
    assert out["shelter_allowance"] == "0.00"
    assert out["payment"] == "343.00"
    assert out["overpayment_deduction"] == "0.00"


def test_amounts_as_strings_and_numbers_are_equivalent() -> None:
    as_numbers = run_cli(dumps(single()))
    unit = single(shelter={"type": "rent", "cost": "800.00", "heat": "0", "utilities": "0.0"})
    unit["members"][0]["net_earnings"] = "300"
    as_strings = run_cli(dumps(unit))
    assert as_numbers.stdout == as_strings.stdout


def test_months_in_receipt_decides_exemptions() -> None:
    out = json.loads(run_cli(dumps(single(months_in_receipt=0))).stdout)
    assert out["chargeable_income"] == "300.00"
    assert out["payment"] == "433.00"


def test_overpayment_default_rate_is_ten_percent_of_budgetary_requirements() -> None:
    """Directive 9.3 / s.62: 10 % of the budgetary requirements $733.00 = $73.30 (not 10 % of
    the $683.00 entitlement); payment 683.00 - 73.30 = 609.70."""
    out = json.loads(run_cli(dumps(single(overpayment_recovery={"balance": 1000}))).stdout)
    assert out["overpayment_deduction"] == "73.30"
    assert out["payment"] == "609.70"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"benefit_month": "2026-13"}, "benefit_month: must be a month written YYYY-MM"),
        ({"benefit_month": "2016-09"}, "benefit_month: must be from 2016-10 to 2099-12"),
        ({"benefit_month": 202601}, "benefit_month: must be a month written YYYY-MM"),
        ({"months_in_receipt": -1}, "months_in_receipt: must be an integer from 0 to 1200"),
        ({"months_in_receipt": 1.5}, "months_in_receipt: must be an integer from 0 to 1200"),
        ({"remote_community": "yes"}, "remote_community: must be true or false"),
        ({"surprise": 1}, "surprise: unknown field"),
        ({"shelter": {"type": "tent"}}, "shelter.type: must be one of rent, own,"),
        ({"shelter": {"type": "rent", "cost": -5}}, "shelter.cost: must not be negative"),
        (
            {"shelter": {"type": "rent", "cost": "1.234"}},
            "shelter.cost: must have at most 2 decimals",
        ),
        (
            {"shelter": {"type": "rent", "cost": 1.234}},
            "shelter.cost: must have at most 2 decimals",
        ),
        ({"shelter": {"type": "rent", "cost": True}}, "shelter.cost: must be an amount in dollars"),
        ({"shelter": {"type": "rent", "rent": 5}}, "shelter.rent: unknown field"),
        (
            {"shelter": {"type": "board_and_lodging"}, "benefit_month": "2017-09"},
            "shelter.type: board_and_lodging is supported from 2017-10",
        ),
        ({"assets": [{"type": "gold", "value": 5}]}, "assets[0].type: must be one of cash,"),
        ({"assets": [{"type": "cash", "value": "-1"}]}, "assets[0].value: must not be negative"),
        ({"assets": {"type": "cash"}}, "assets: must be a list"),
        (
            {"overpayment_recovery": {"balance": 10, "rate": 1.5}},
            "overpayment_recovery.rate: must be a number from 0 to 1",
        ),
        (
            {"overpayment_recovery": {"balance": 10, "rate": -0.1}},
            "overpayment_recovery.rate: must be a number from 0 to 1",
        ),
        ({"members": []}, "members: must be a non-empty list"),
        ({"members": [{"role": "spouse", "age": 30}]}, "members: must have exactly one applicant"),
    ],
)
def test_invalid_input_exit_2_nothing_on_stdout(change: dict[str, Any], expected: str) -> None:
    status, stdout, stderr = run_in_process(dumps(single(**change)))
    assert status == 2
    assert stdout == b""
    lines = stderr.splitlines()
    assert any(line.startswith(expected) for line in lines), lines


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ({"role": "applicant", "age": 131}, "members[1].age: must be an integer from 0 to 130"),
        ({"role": "dependant", "age": -1}, "members[1].age: must be an integer from 0 to 130"),
        ({"role": "dependant", "age": "4"}, "members[1].age: must be an integer from 0 to 130"),
        ({"role": "dependant"}, "members[1].age: is required"),
        (
            {"role": "cousin", "age": 4},
            "members[1].role: must be one of applicant, spouse, dependant",
        ),
        ({"age": 4}, "members[1].role: is required"),
        ({"role": "applicant", "age": 40}, "members: must have exactly one applicant (found 2)"),
        ({"role": "dependant", "age": 4, "shoe_size": 3}, "members[1].shoe_size: unknown field"),
        ({"role": "dependant", "age": 4, "id": "a"}, "members[1].id: duplicate id 'a'"),
        ({"role": "dependant", "age": 4, "id": 7}, "members[1].id: must be a non-empty string"),
        (
            {"role": "dependant", "age": 4, "full_time_student": 1},
            "members[1].full_time_student: must be true or false",
        ),
        (
            {"role": "dependant", "age": 4, "net_earnings": "12,00"},
            "members[1].net_earnings: must be an amount",
        ),
        (
            {"role": "dependant", "age": 4, "special_diet": 1000000.01},
            "members[1].special_diet: must be at most 1000000.00",
        ),
        (
            {"role": "dependant", "age": 4, "unearned_income": [{"type": "lottery", "amount": 1}]},
            "members[1].unearned_income[0].type: must be one of employment_insurance",
        ),
        (
            {"role": "dependant", "age": 4, "unearned_income": [{"type": "cpp", "amount": -1}]},
            "members[1].unearned_income[0].amount: must not be negative",
        ),
    ],
)
def test_member_errors_name_the_path(member: dict[str, Any], expected: str) -> None:
    unit = single()
    unit["members"].append(member)
    status, stdout, stderr = run_in_process(dumps(unit))
    assert status == 2
    assert stdout == b""
    lines = stderr.splitlines()
    assert any(line.startswith(expected) for line in lines), lines


def test_two_spouses_and_every_problem_on_its_own_line() -> None:
    unit = single()
    unit["members"] += [{"role": "spouse", "age": 30}, {"role": "spouse", "age": 31, "age2": 1}]
    unit["benefit_month"] = "nope"
    result = run_cli(dumps(unit))
    lines = result.stderr.decode().splitlines()
    assert "benefit_month: must be a month written YYYY-MM" in lines
    assert "members: must have at most one spouse (found 2)" in lines
    assert "members[2].age2: unknown field" in lines


@pytest.mark.parametrize("payload", ["", "{", "[1, 2]", "null", '"x"'])
def test_not_a_json_object(payload: str) -> None:
    status, stdout, stderr = run_in_process(payload)
    assert status == 2
    assert stdout == b""
    assert stderr.startswith("$: ")


def test_invalid_input_through_the_real_command() -> None:
    unit = single()
    unit["members"].append({"role": "dependant", "age": 131})
    result = run_cli(dumps(unit))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        "members[1].age: must be an integer from 0 to 130"
    ]


def test_batch_same_order_invalid_lines_reported_exit_1() -> None:
    units = [
        single(),
        single(benefit_month="2016-10"),
        {"benefit_month": "2026-01", "members": [{"role": "applicant", "age": 200}]},
        single(benefit_month="2018-10", shelter={"type": "board_and_lodging", "cost": 600}),
    ]
    text = "\n".join([*(dumps(u) for u in units[:3]), "not json", dumps(units[3]), ""]) + "\n"
    result = run_cli(text, "--batch")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(lines) == 6
    assert lines[0]["payment"] == "683.00"
    assert lines[1]["benefit_month"] == "2016-10"
    assert lines[1]["budgetary_requirements"] == "706.00"
    assert lines[2] == {"line": 3, "errors": ["members[0].age: must be an integer from 0 to 130"]}
    assert lines[3]["line"] == 4
    assert lines[3]["errors"][0].startswith("$: invalid JSON")
    assert lines[4]["shelter_allowance"] == "533.00"
    assert lines[5]["line"] == 6  # an empty line is an invalid line, never silently skipped


def test_batch_all_valid_exit_0_matches_single_mode() -> None:
    units = [single(), single(months_in_receipt=0), single(benefit_month="2017-10")]
    result = run_cli("".join(dumps(u) + "\n" for u in units), "--batch")
    assert result.returncode == 0
    for unit, line in zip(units, result.stdout.decode().splitlines(), strict=True):
        assert line.encode() + b"\n" == run_cli(dumps(unit)).stdout


def test_batch_chunks_and_workers_keep_order() -> None:
    units = [single(months_in_receipt=i % 5) for i in range(30)]
    text = "".join(dumps(u) + "\n" for u in units)
    one = run_cli(text, "--batch", "--workers", "1")
    two = run_cli(text, "--batch", "--workers", "2", "--chunk-size", "4")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 30


def test_batch_empty_input() -> None:
    result = run_cli("", "--batch")
    assert result.returncode == 0
    assert result.stdout == b""
