"""One-time benefit maxima (issue 16) against the published amounts: the Full-Time Employment
Benefit's $500 per person in any 12 months (O. Reg. 134/98 s. 55(1) para 5.1, O. Reg. 360/05;
Directive 7.4) and advance child care's $600 per child for unlicensed care (s. 55(1) para 7 with
s. 49(1), quoted by the City of Toronto)."""

from __future__ import annotations

import pytest

from openfisca_ontario_works import tax_benefit_system


@pytest.mark.parametrize("day", ["2005-10-01", "2016-12-01", "2026-12-07"])
def test_full_time_employment_benefit_is_500(day: str) -> None:
    one_time = tax_benefit_system().parameters(day).ontario_works.one_time
    assert one_time.full_time_employment_benefit == 500
    assert one_time.child_care_advance_unlicensed_per_child == 600


def test_not_in_force_before_o_reg_360_05() -> None:
    params = tax_benefit_system().parameters("2005-09-01").ontario_works.one_time
    with pytest.raises(Exception):  # noqa: B017, PT011  # openfisca: no value at that date
        _ = params.full_time_employment_benefit + 0
