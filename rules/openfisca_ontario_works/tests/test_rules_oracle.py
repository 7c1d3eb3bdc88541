"""Property tests: every output equals the independent integer-cent oracle (tests/oracle.py)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_ontario_works import calculate, calculate_batch
from openfisca_ontario_works.constants import (
    ASSET_TYPES,
    FIRST_BOARD_AND_LODGING_MONTH,
    UNEARNED_INCOME_TYPES,
)
from openfisca_ontario_works.tests import oracle
from openfisca_ontario_works.tests.helpers import cents
from openfisca_ontario_works.validation import parse_unit

AMOUNT = re.compile(r"\d+\.\d{2}")
MONTHS = [
    f"{y}-{m:02d}" for y in range(2016, 2027) for m in range(1, 13) if f"{y}-{m:02d}" >= "2016-10"
]


def _money(draw: Any, high: int) -> Any:
    """An amount in one of the accepted spellings, drawn as integer cents."""
    value = draw(st.integers(0, high))
    style = draw(st.sampled_from(["int", "str", "decimal", "float"]))
    if style == "int":
        return value // 100
    text = f"{value // 100}.{value % 100:02d}"
    if style == "str":
        return text
    if style == "decimal":
        return Decimal(text)
    return float(text)  # Python callers may pass floats; read through their shortest repr


@st.composite
def units(draw: Any) -> dict[str, Any]:
    month = draw(st.sampled_from(MONTHS))
    members: list[dict[str, Any]] = []
    roles = ["applicant"]
    if draw(st.booleans()):
        roles.append("spouse")
    roles += ["dependant"] * draw(st.integers(0, 7))
    for index, role in enumerate(roles):
        member: dict[str, Any] = {"id": f"m{index}", "role": role}
        member["age"] = draw(st.integers(14, 90) if role != "dependant" else st.integers(0, 30))
        if draw(st.booleans()):
            member["net_earnings"] = _money(draw, 300_000)
        if draw(st.integers(0, 4)) == 0:
            member["child_care_costs"] = _money(draw, 80_000)
        if draw(st.integers(0, 4)) == 0:
            member["full_time_student"] = draw(st.booleans())
        if draw(st.integers(0, 4)) == 0:
            member["special_diet"] = _money(draw, 40_000)
        if draw(st.integers(0, 5)) == 0:
            member["pregnant_or_breastfeeding"] = True
        if draw(st.integers(0, 5)) == 0:
            member["pregnancy_allowance_non_dairy"] = draw(st.booleans())
        incomes = draw(st.lists(st.sampled_from(UNEARNED_INCOME_TYPES), max_size=3))
        if incomes:
            member["unearned_income"] = [
                {"type": t, "amount": _money(draw, 150_000)} for t in incomes
            ]
        members.append(member)
    kinds = ["rent", "own", "no_fixed_address"] + (
        ["board_and_lodging"] if month >= FIRST_BOARD_AND_LODGING_MONTH else []
    )
    unit: dict[str, Any] = {"benefit_month": month, "members": members}
    if draw(st.booleans()):
        unit["months_in_receipt"] = draw(st.integers(0, 12))
    if draw(st.integers(0, 5)):
        shelter = {"type": draw(st.sampled_from(kinds)), "cost": _money(draw, 200_000)}
        if draw(st.booleans()):
            shelter["heat"] = _money(draw, 100_000)
        if draw(st.booleans()):
            shelter["utilities"] = _money(draw, 30_000)
        unit["shelter"] = shelter
    # duplicates allowed: two vehicles, two second vehicles (only one of each is exempt)
    assets = draw(st.lists(st.sampled_from(ASSET_TYPES), max_size=5))
    if assets:
        unit["assets"] = [{"type": t, "value": _money(draw, 3_000_000)} for t in assets]
    if draw(st.integers(0, 3)) == 0:
        unit["remote_community"] = True
    if draw(st.integers(0, 2)) == 0:
        recovery: dict[str, Any] = {"balance": _money(draw, 200_000)}
        if draw(st.booleans()):
            recovery["rate"] = str(Decimal(draw(st.integers(0, 10_000))) / 10_000)
        if draw(st.booleans()):
            recovery["first_nations"] = draw(st.booleans())
        unit["overpayment_recovery"] = recovery
    return unit


def _assert_matches_oracle(raw: dict[str, Any], out: dict[str, Any]) -> None:
    errors, unit = parse_unit(raw)
    assert not errors
    assert unit is not None
    expected = oracle.calculate(unit)
    assert out["eligible"] is expected.eligible
    assert tuple(r["code"] for r in out["ineligibility_reasons"]) == expected.reasons
    for key in (
        "basic_needs",
        "shelter_allowance",
        "other_allowances",
        "budgetary_requirements",
        "chargeable_income",
        "entitlement",
        "overpayment_deduction",
        "payment",
    ):
        assert isinstance(out[key], str), (key, out[key])
        assert AMOUNT.fullmatch(out[key]), (key, out[key])
        assert cents(out[key]) == getattr(expected, key), (key, raw)
    for line in out["explanation"]:
        assert isinstance(line["amount"], str)
        assert AMOUNT.fullmatch(line["amount"])


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units())
def test_single_unit_equals_oracle(raw: dict[str, Any]) -> None:
    _assert_matches_oracle(raw, calculate(raw))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(units(), min_size=20, max_size=100))
def test_batch_equals_oracle_and_single(raws: list[dict[str, Any]]) -> None:
    outs = calculate_batch(raws)
    assert len(outs) == len(raws)
    for raw, out in zip(raws, outs, strict=True):
        _assert_matches_oracle(raw, out)


def test_ten_thousand_seeded_units_vectorised_equal_oracle() -> None:
    """One large batch through the vectorised path (many months, all shelter types)."""
    rng = random.Random(20261123)
    raws = [_seeded_unit(rng) for _ in range(10_000)]
    for raw, out in zip(raws, calculate_batch(raws), strict=True):
        _assert_matches_oracle(raw, out)


def _seeded_unit(rng: random.Random) -> dict[str, Any]:
    month = rng.choice(MONTHS)
    members = [{"id": "a", "role": "applicant", "age": rng.randint(16, 80)}]
    if rng.random() < 0.4:
        members.append({"id": "s", "role": "spouse", "age": rng.randint(16, 80)})
    for index in range(rng.choice([0, 0, 1, 2, 3, 4, 5])):
        members.append({"id": f"d{index}", "role": "dependant", "age": rng.randint(0, 25)})
    for member in members:
        if rng.random() < 0.4:
            member["net_earnings"] = f"{rng.randint(0, 300_000) / 100:.2f}"
        if rng.random() < 0.2:
            member["unearned_income"] = [
                {"type": rng.choice(UNEARNED_INCOME_TYPES), "amount": rng.randint(0, 1500)}
            ]
        if rng.random() < 0.1:
            member["child_care_costs"] = rng.randint(0, 800)
        if rng.random() < 0.1:
            member["special_diet"] = rng.randint(0, 400)
        if rng.random() < 0.1:
            member["pregnant_or_breastfeeding"] = True
            member["pregnancy_allowance_non_dairy"] = rng.random() < 0.5
    kinds = ["rent", "own", "no_fixed_address"] + (
        ["board_and_lodging"] if month >= FIRST_BOARD_AND_LODGING_MONTH else []
    )
    return {
        "benefit_month": month,
        "months_in_receipt": rng.randint(0, 8),
        "members": members,
        "shelter": {
            "type": rng.choice(kinds),
            "cost": rng.randint(0, 2000),
            "heat": rng.randint(0, 500),
        },
        "assets": [
            {"type": rng.choice(ASSET_TYPES), "value": rng.randint(0, 30_000)}
            for _ in range(rng.choice([1, 1, 2, 3]))
        ],
        "remote_community": rng.random() < 0.2,
        "overpayment_recovery": {
            "balance": rng.randint(0, 500),
            **({"rate": rng.choice([0.05, 0.1, 1])} if rng.random() < 0.5 else {}),
            "first_nations": rng.random() < 0.2,
        },
    }


def test_engine_package_never_imports_the_oracle() -> None:
    """The oracle stays independent: importing and running the engine loads no oracle module,
    and the oracle does not import the engine's formulas."""
    code = (
        "import sys, openfisca_ontario_works as ow\n"
        "from openfisca_ontario_works.tests.helpers import single\n"
        "ow.calculate(single())\n"
        "import openfisca_ontario_works.cli, openfisca_ontario_works.simulation\n"
        "bad = [m for m in sys.modules if 'oracle' in m]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    source = (Path(oracle.__file__)).read_text()
    for engine_module in ("engine", "variables", "tax_benefit_system", "openfisca_core", "numpy"):
        assert f"import {engine_module}" not in source
        assert f".{engine_module} import" not in source
