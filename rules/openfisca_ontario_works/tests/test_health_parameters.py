"""Health-benefit parameters (issue 16) against the published amounts: medical transportation
paid only from $15 in a month (O. Reg. 134/98 s. 55(1) para 1 iii.1, O. Reg. 491/01), the
mileage rates of 40 cents a kilometre and 41 cents in the North and Northeast from 1 October
2016 (ministry bulletin, January 2017), the ADP consumer share of 25 % (ow-benefits.md s. 2a),
the routine eye examination of $39.15 once in 24 months for members 20 to 64 (s. 55(1) para 1.1
and s. 55(1.0.0.1), O. Reg. 137/05) and children's vision items under 18 (s. 55(1) para 1 ii)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openfisca_ontario_works import tax_benefit_system


def _health(day: str) -> object:
    return tax_benefit_system().parameters(day).ontario_works.health


@pytest.mark.parametrize("day", ["2016-10-01", "2020-06-15", "2026-12-07"])
def test_health_amounts_in_force(day: str) -> None:
    health = _health(day)
    assert Decimal(str(health.medical_transportation_monthly_minimum)) == Decimal("15")  # type: ignore[attr-defined]
    assert Decimal(str(health.medical_transportation_mileage_rate)) == Decimal("0.40")  # type: ignore[attr-defined]
    assert Decimal(str(health.medical_transportation_mileage_rate_north)) == Decimal("0.41")  # type: ignore[attr-defined]
    assert Decimal(str(health.adp_consumer_share)) == Decimal("0.25")  # type: ignore[attr-defined]
    assert Decimal(str(health.adult_eye_exam_amount)) == Decimal("39.15")  # type: ignore[attr-defined]
    assert health.adult_eye_exam_interval_months == 24  # type: ignore[attr-defined]
    assert health.adult_eye_exam_minimum_age == 20  # type: ignore[attr-defined]
    assert health.adult_eye_exam_maximum_age == 64  # type: ignore[attr-defined]
    assert health.child_vision_age_limit == 18  # type: ignore[attr-defined]


def test_eye_exam_in_force_from_o_reg_137_05_and_fifteen_dollars_from_o_reg_491_01() -> None:
    health = _health("2010-01-01")
    assert Decimal(str(health.adult_eye_exam_amount)) == Decimal("39.15")  # type: ignore[attr-defined]
    assert Decimal(str(health.medical_transportation_monthly_minimum)) == Decimal("15")  # type: ignore[attr-defined]


def test_mileage_rates_not_claimed_before_october_2016() -> None:
    health = _health("2016-09-30")
    with pytest.raises(Exception):  # noqa: B017, PT011  # openfisca: no value at that date
        _ = health.medical_transportation_mileage_rate + 0  # type: ignore[attr-defined]
