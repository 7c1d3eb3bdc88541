"""Rules corrected or added in the December 2026 review, each named after its rule.

Every expected amount is worked out by hand from the regulation / directive tables in the
docstring (never copied from the engine's output).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openfisca_ontario_works import calculate

DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def _unit(month: str, members: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"benefit_month": month, "members": members, **extra}


def _items(out: dict[str, Any]) -> list[str]:
    return [line["item"] for line in out["explanation"]]


# --------------------------------------------------------------- Act s.7(3)(b), reg s.57.1, s.63


def test_act_7_3_b_income_equal_to_budgetary_requirements_is_ineligible() -> None:
    """Single, 12 months in receipt, net earnings $1,666, rent $800, January 2026.

    Budgetary requirements: basic needs $343 + shelter min(800, 390) = $733.
    Earnings exemption: $200 + 50 % x (1,666 - 200) = 200 + 733 = $933; chargeable 1,666 - 933
    = $733. Income equals requirements, which do not EXCEED it (Act s.7(3)(b); s.57.1 "exceeds
    or is equal to"): ineligible, payment $0.00 - not the $2.50 minimum payment.
    """
    out = calculate(
        _unit(
            "2026-01",
            [{"id": "a", "role": "applicant", "age": 35, "net_earnings": 1666}],
            months_in_receipt=12,
            shelter={"type": "rent", "cost": 800},
        )
    )
    assert out["budgetary_requirements"] == "733.00"
    assert out["chargeable_income"] == "733.00"
    assert out["eligible"] is False
    assert [r["code"] for r in out["ineligibility_reasons"]] == [
        "income_exceeds_budgetary_requirements"
    ]
    assert "s. 7(3)(b)" in out["ineligibility_reasons"][0]["citation"]
    assert (out["entitlement"], out["payment"]) == ("0.00", "0.00")
    assert "minimum_payment" not in _items(out)


def test_reg_63_minimum_payment_for_entitlement_between_1_cent_and_2_49() -> None:
    """Same unit with net earnings $1,665: exemption 200 + 732.50, chargeable $732.50,
    entitlement $0.50 -> paid $2.50. Net earnings $1,661.02: exemption 200 + 730.51 (half of
    1,461.02), chargeable $730.51, entitlement $2.49 -> paid $2.50."""
    for earnings, entitlement, top_up in (("1665", "0.50", "2.00"), ("1661.02", "2.49", "0.01")):
        out = calculate(
            _unit(
                "2026-01",
                [{"id": "a", "role": "applicant", "age": 35, "net_earnings": earnings}],
                months_in_receipt=12,
                shelter={"type": "rent", "cost": 800},
            )
        )
        assert out["eligible"] is True
        assert out["entitlement"] == entitlement
        assert out["payment"] == "2.50"
        line = next(x for x in out["explanation"] if x["item"] == "minimum_payment")
        assert line["amount"] == top_up
        assert line["figures"] == {"minimum": "2.50"}


# --------------------------------------------------------------------------- Directive 5.3


def test_directive_5_3_dependent_adult_above_single_maximum_is_left_out() -> None:
    """Lone parent (applicant, 35), child 10, dependant 19 with net earnings $2,000, rent
    $1,000, 6 months in receipt, January 2026.

    Single maximum = basic needs $343 + shelter maximum for 1 person $390 = $733; $2,000 > $733,
    so the dependant is removed from the unit for the month (needs and income left out).
    Remaining unit: recipient + 1 dependant 0-17: basic needs $360 (s.41(1) table, no spouse,
    0 adults, 1 child); benefit unit size 2 -> shelter maximum $642, rent $1,000 -> $642.
    Requirements 360 + 642 = $1,002; no income left -> payment $1,002.00. (With the dependant
    kept: 623 + 697 = 1,320 - chargeable 900 (2,000 - 200 - 900) = $420, the old figure.)
    """
    out = calculate(
        _unit(
            "2026-01",
            [
                {"id": "p", "role": "applicant", "age": 35},
                {"id": "c", "role": "dependant", "age": 10},
                {"id": "d", "role": "dependant", "age": 19, "net_earnings": 2000},
            ],
            months_in_receipt=6,
            shelter={"type": "rent", "cost": 1000},
        )
    )
    assert (out["basic_needs"], out["shelter_allowance"]) == ("360.00", "642.00")
    assert out["chargeable_income"] == "0.00"
    assert out["payment"] == "1002.00"
    left = out["explanation"][0]
    assert left["item"] == "dependant_left_out"
    assert left["amount"] == "2000.00"
    assert "Directive 5.3" in left["citation"]
    assert left["figures"] == {"member": "d", "net_income": "2000.00", "single_maximum": "733.00"}
    assert "net_earnings" not in _items(out)


def test_directive_5_3_dependent_adult_at_single_maximum_stays() -> None:
    """Net earnings exactly $733 are not MORE than the single maximum: the dependant stays
    (basic needs 1 adult + 1 child = $623, size 3 -> shelter $697)."""
    out = calculate(
        _unit(
            "2026-01",
            [
                {"id": "p", "role": "applicant", "age": 35},
                {"id": "c", "role": "dependant", "age": 10},
                {"id": "d", "role": "dependant", "age": 19, "net_earnings": 733},
            ],
            months_in_receipt=6,
            shelter={"type": "rent", "cost": 1000},
        )
    )
    assert (out["basic_needs"], out["shelter_allowance"]) == ("623.00", "697.00")
    assert "dependant_left_out" not in _items(out)


# --------------------------------------------------------------------- assets and income types


def _assets_test(assets: list[dict[str, Any]]) -> dict[str, Any]:
    return calculate(_unit("2026-01", [{"id": "a", "role": "applicant", "age": 35}], assets=assets))


def test_directive_4_5_only_one_vehicle_is_exempt() -> None:
    """Single, limit $10,000. Vehicles $8,000 and $5,000 + cash $6,000: one vehicle exempt
    (the $8,000), the other counts: 5,000 + 6,000 = $11,000 > $10,000 -> ineligible. With only
    the $8,000 vehicle: $6,000 counts, eligible."""
    two = _assets_test(
        [
            {"type": "vehicle", "value": 8000},
            {"type": "vehicle", "value": 5000},
            {"type": "cash", "value": 6000},
        ]
    )
    assert two["eligible"] is False
    assert next(x for x in two["explanation"] if x["item"] == "assets")["amount"] == "11000.00"
    one = _assets_test([{"type": "vehicle", "value": 8000}, {"type": "cash", "value": 6000}])
    assert one["eligible"] is True


def test_second_vehicle_only_one_partly_exempt_up_to_15000() -> None:
    """vehicle $9,000 (exempt); second vehicles $16,000 and $3,000: the larger is exempt up to
    $15,000 ($1,000 counts), the other counts in full: 1,000 + 3,000 = $4,000."""
    out = _assets_test(
        [
            {"type": "vehicle", "value": 9000},
            {"type": "second_vehicle", "value": 16000},
            {"type": "second_vehicle", "value": 3000},
        ]
    )
    assert next(x for x in out["explanation"] if x["item"] == "assets")["amount"] == "4000.00"


def test_directive_4_7_locked_in_retirement_exempt_rrsp_counted() -> None:
    """Locked-in retirement savings $50,000 exempt; an accessible RRSP of $10,000.01 counts and
    is over the $10,000 single limit."""
    assert _assets_test([{"type": "locked_in_retirement", "value": 50000}])["eligible"] is True
    out = _assets_test([{"type": "rrsp", "value": "10000.01"}])
    assert [r["code"] for r in out["ineligibility_reasons"]] == ["assets_over_limit"]


def test_reg_53_para_4_2_cpp_childrens_benefit_exempt_from_october_2017() -> None:
    """Single, no fixed address. 2017-09: basic needs $330 (O. Reg. 228/16) - $100 CPP
    disabled contributor's child's benefit = $230. 2017-10: basic needs $337 (O. Reg. 282/17),
    benefit exempt -> $337. The orphan's benefit has no exemption found: $337 - $100 = $237."""

    def pay(month: str, kind: str) -> str:
        member = {
            "id": "a",
            "role": "applicant",
            "age": 40,
            "unearned_income": [{"type": kind, "amount": 100}],
        }
        return str(calculate(_unit(month, [member]))["payment"])

    assert pay("2017-09", "cpp_childrens_benefit") == "230.00"
    assert pay("2017-10", "cpp_childrens_benefit") == "337.00"
    assert pay("2017-10", "cpp_orphans_benefit") == "237.00"


# ------------------------------------------------------------------ rates before October 2018


def test_reg_44_1_board_and_lodging_october_2017_table() -> None:
    """Single boarder paying $600, January 2018: table maximum $525 (2017 table) + Special
    Boarder Allowance $71 (uncertain for 2017, see parameter) = $596. Sole support parent with
    one child, paying $700: maximum $654 + $71 = $725."""
    single = calculate(
        _unit(
            "2018-01",
            [{"id": "a", "role": "applicant", "age": 30}],
            shelter={"type": "board_and_lodging", "cost": 600},
        )
    )
    assert single["payment"] == "596.00"
    parent = calculate(
        _unit(
            "2018-01",
            [
                {"id": "a", "role": "applicant", "age": 30},
                {"id": "c", "role": "dependant", "age": 4},
            ],
            shelter={"type": "board_and_lodging", "cost": 700},
        )
    )
    assert parent["payment"] == "725.00"
    line = parent["explanation"][0]
    assert line["figures"]["rate_date"] == "2017-10"
    assert line["figures"]["maximum"] == "654.00"


def test_reg_41_1_para_5_advanced_age_allowance_october_2017_is_43() -> None:
    """Single, 66, no fixed address, 2018-09: basic needs $337 + advanced age $43 = $380."""
    out = calculate(_unit("2018-09", [{"id": "a", "role": "applicant", "age": 66}]))
    assert out["payment"] == "380.00"


def test_reg_41_1_pregnancy_allowance_non_dairy_is_50() -> None:
    """Single, no fixed address, January 2026, pregnant: $343 + $40; with a confirmed non-dairy
    diet $343 + $50 = $393."""
    member = {"id": "a", "role": "applicant", "age": 30, "pregnant_or_breastfeeding": True}
    assert calculate(_unit("2026-01", [member]))["payment"] == "383.00"
    member["pregnancy_allowance_non_dairy"] = True
    out = calculate(_unit("2026-01", [member]))
    assert out["payment"] == "393.00"
    line = next(x for x in out["explanation"] if x["item"] == "pregnancy_breastfeeding_allowance")
    assert line["figures"]["non_dairy"] == "true"


# ------------------------------------------------------------------- overpayment recovery


def test_directive_9_3_first_nations_default_rate_5_percent() -> None:
    """Contract example (requirements $733, entitlement $683), balance $1,000, First Nations:
    5 % of $733 = $36.65 -> payment $646.35. An explicit case rate wins: 10 % -> $73.30."""
    unit = {
        "benefit_month": "2026-01",
        "months_in_receipt": 4,
        "members": [{"id": "a", "role": "applicant", "age": 35, "net_earnings": 300}],
        "shelter": {"type": "rent", "cost": 800},
        "overpayment_recovery": {"balance": 1000, "first_nations": True},
    }
    out = calculate(unit)
    assert (out["overpayment_deduction"], out["payment"]) == ("36.65", "646.35")
    line = next(x for x in out["explanation"] if x["item"] == "overpayment_deduction")
    assert line["figures"]["percent"] == "5"
    assert line["figures"]["base"] == "733.00"
    unit["overpayment_recovery"] = {"balance": 1000, "first_nations": True, "rate": "0.10"}
    assert calculate(unit)["overpayment_deduction"] == "73.30"


def test_directive_9_3_deduction_rounded_down_to_the_cent() -> None:
    """Rate 3.33 % of $733.00 = $24.4089 -> $24.40 (never rounded up against the recipient)."""
    unit = {
        "benefit_month": "2026-01",
        "members": [{"id": "a", "role": "applicant", "age": 35}],
        "shelter": {"type": "rent", "cost": 800},
        "overpayment_recovery": {"balance": 1000, "rate": "0.0333"},
    }
    assert calculate(unit)["overpayment_deduction"] == "24.40"


# ---------------------------------------------------------------------- structured figures


def _documented_items() -> set[str]:
    """Item codes listed in the figures table of docs/rules.md."""
    text = DOCS.read_text()
    table = text[text.index("### Explanation figures") :]
    return set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE))


def test_every_explanation_item_has_string_figures_documented_in_docs() -> None:
    """A unit that produces most items; every item has the four contract keys plus ``figures``
    (strings only), and every item code is in the docs table."""
    unit = {
        "benefit_month": "2026-01",
        "months_in_receipt": 1,
        "members": [
            {
                "id": "Marie",
                "role": "applicant",
                "age": 66,
                "net_earnings": 300,
                "child_care_costs": 50,
                "special_diet": 20,
                "unearned_income": [{"type": "employment_insurance", "amount": 10}],
            },
            {"id": "Paul", "role": "spouse", "age": 30, "pregnant_or_breastfeeding": True},
            {"id": "Kid", "role": "dependant", "age": 10, "net_earnings": 20},
            {"id": "Big", "role": "dependant", "age": 20, "net_earnings": 5000},
        ],
        "shelter": {"type": "rent", "cost": 500, "heat": 1000},
        "assets": [{"type": "cash", "value": 10}],
        "remote_community": True,
        "overpayment_recovery": {"balance": 5},
    }
    out = calculate(unit)
    documented = _documented_items()
    for line in out["explanation"]:
        assert set(line) == {"item", "amount", "rule", "citation", "figures"}, line
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in line["figures"].items())
        assert line["item"] in documented, line["item"]
    by_item = {line["item"]: line["figures"] for line in out["explanation"]}
    assert by_item["basic_needs"] == {
        "spouse": "true",
        "count_adults": "0",
        "count_children": "1",
        "rate_date": "2018-10",
    }
    assert by_item["employment_insurance"] == {
        "member": "Marie",
        "income_type": "employment_insurance",
        "exempt": "false",
    }
    assert by_item["shelter_allowance"]["heat_exceeds_maximum"] == "true"
    assert by_item["earnings_exemption"]["applies"] == "false"
