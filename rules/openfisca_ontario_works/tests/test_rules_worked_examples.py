"""Published worked examples, each with its source, reproduced by the rules."""

from __future__ import annotations

from typing import Any

from openfisca_ontario_works import calculate


def single(month: str, **member: Any) -> dict[str, Any]:
    return {
        "benefit_month": month,
        "months_in_receipt": 6,
        "members": [{"id": "a", "role": "applicant", "age": 35, **member}],
        "shelter": {"type": "rent", "cost": 900},
    }


def test_toronto_2016_single_person_706() -> None:
    # City of Toronto, "Ontario Works - Food and shelter amounts" (2016-17 page,
    # http://www1.toronto.ca/wps/portal/contentonly?vgnextoid=2179707b1a280410VgnVCM10000071d60f89RCRD):
    # "$330 Basic Needs Allowance + $376 Shelter Allowance = $706".
    out = calculate(single("2016-10"))
    assert (out["basic_needs"], out["shelter_allowance"], out["payment"]) == (
        "330.00",
        "376.00",
        "706.00",
    )


def test_2017_single_person_721() -> None:
    # O. Reg. 282/17 (https://www.ontario.ca/laws/regulation/r17282) and Ottawa Sun, Aug 2018:
    # a single person receives up to $721 ($337 + $384).
    assert calculate(single("2018-01"))["payment"] == "721.00"


def test_toronto_current_single_person_733() -> None:
    # City of Toronto, "Ontario Works rates": basic needs $343; Directive 6.3: shelter max $390.
    assert calculate(single("2026-01"))["budgetary_requirements"] == "733.00"


def test_steps_to_justice_300_net_earnings_reduce_by_50() -> None:
    # Steps to Justice, "3. Learn how earning money affects your OW":
    # $300 net earnings - $200 = $100, / 2 = $50 taken off.
    out = calculate(single("2026-01", net_earnings=300))
    assert out["chargeable_income"] == "50.00"
    assert out["payment"] == "683.00"


def test_cleo_260_take_home_reduce_by_30() -> None:
    # CLEO, "Earnings exemption of $200 after 3 months": $260 take-home pay -> OW takes $30.
    assert calculate(single("2026-01", net_earnings=260))["chargeable_income"] == "30.00"


def test_dnssab_500_earnings_150_deducted() -> None:
    # DNSSAB, "Employment earnings while on Ontario Works": $500 earned, $150 deducted.
    assert calculate(single("2026-01", net_earnings=500))["chargeable_income"] == "150.00"


def test_ministry_priya_example_child_care_after_exemption() -> None:
    # MCSS, "Recent changes to Ontario Works and you" (2013): Priya, sole support parent, net
    # earnings $585, child care $240 -> $192.50 chargeable before child care, $0 after, so her
    # payment is her full OW amount (rates of today used for the amount itself).
    unit = single("2026-01", net_earnings=585, child_care_costs=240)
    unit["members"].append({"id": "child", "role": "dependant", "age": 4})
    out = calculate(unit)
    lines = {line["item"]: line["amount"] for line in out["explanation"]}
    assert lines["earnings_exemption"] == "392.50"  # $200 + 50% of $385
    assert lines["child_care_deduction"] == "192.50"  # capped at chargeable earnings
    assert out["chargeable_income"] == "0.00"
    assert out["payment"] == out["budgetary_requirements"] == "1002.00"  # $360 + $642


def test_no_first_three_months_exemption() -> None:
    # CLEO / Directive 5.3: no earnings exemption at application or in the first 3 months.
    unit = single("2026-01", net_earnings=300)
    unit["months_in_receipt"] = 0
    assert calculate(unit)["chargeable_income"] == "300.00"
