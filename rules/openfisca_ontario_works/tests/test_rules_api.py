"""Public Python API used by the Django app (in process)."""

from __future__ import annotations

import json
import tomllib
from importlib.metadata import version

import pytest

import openfisca_ontario_works as ow
from openfisca_ontario_works.tests.helpers import PACKAGE_DIR, dumps, run_cli, single


def test_rules_version_matches_package() -> None:
    pyproject = tomllib.loads((PACKAGE_DIR.parent / "pyproject.toml").read_text())
    assert ow.RULES_VERSION == pyproject["project"]["version"] == version("openfisca-ontario-works")


def test_calculate_same_dict_as_cli() -> None:
    unit = single(months_in_receipt=1)
    assert ow.calculate(unit) == json.loads(run_cli(dumps(unit)).stdout)


def test_calculate_batch_equals_per_unit_calls() -> None:
    units = [
        single(months_in_receipt=i, benefit_month=m)
        for i, m in enumerate(["2016-11", "2026-01", "2018-03", "2026-01"])
    ]
    assert ow.calculate_batch(units) == [ow.calculate(u) for u in units]


def test_validate_lists_path_messages() -> None:
    assert ow.validate(single()) == []
    assert ow.validate({"benefit_month": "2026-01"}) == ["members: is required (a non-empty list)"]
    assert ow.validate([]) == ["$: must be a JSON object"]


def test_invalid_unit_carries_errors() -> None:
    with pytest.raises(ow.InvalidUnit) as raised:
        ow.calculate(single(benefit_month="2015-01"))
    assert raised.value.errors == [
        "benefit_month: must be from 2016-10 to 2099-12 (rules are encoded from October 2016)"
    ]
    with pytest.raises(ow.InvalidUnit) as raised:
        ow.calculate_batch([single(), single(remote_community=1)])
    assert raised.value.errors == ["units[1].remote_community: must be true or false"]


def test_package_does_not_import_django() -> None:
    for path in PACKAGE_DIR.rglob("*.py"):
        assert "django" not in path.read_text().lower() or path.parent.name == "tests", path


@pytest.mark.parametrize(
    ("name", "payment"),
    [
        ("single_with_earnings.json", "683.00"),
        ("sole_support_parent_child_care.json", "1002.00"),
        # 486 + 632 + 43 (advanced age, Oct 2017 rate) = 1161; - EI 300 = 861;
        # recovery 10 % of 1161 = 116.10; 861 - 116.10 = 744.90
        ("couple_2018_overpayment.json", "744.90"),
        ("boarder_remote_2026.json", "951.00"),
    ],
)
def test_situation_examples_compute(name: str, payment: str) -> None:
    unit = json.loads((PACKAGE_DIR / "situation_examples" / name).read_text())
    assert ow.calculate(unit)["payment"] == payment
