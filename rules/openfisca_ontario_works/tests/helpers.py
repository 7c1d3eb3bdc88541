"""Shared helpers for the rules tests."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from openfisca_ontario_works.cli import run_single

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "openfisca_ontario_works.cli"]


def single(**overrides: Any) -> dict[str, Any]:
    """The contract's example unit, with overrides."""
    unit: dict[str, Any] = {
        "benefit_month": "2026-01",
        "months_in_receipt": 4,
        "members": [
            {
                "id": "a",
                "role": "applicant",
                "age": 35,
                "net_earnings": 300.00,
                "child_care_costs": 0,
                "full_time_student": False,
                "unearned_income": [{"type": "employment_insurance", "amount": 0}],
                "special_diet": 0,
                "pregnant_or_breastfeeding": False,
            }
        ],
        "shelter": {"type": "rent", "cost": 800.00, "heat": 0, "utilities": 0},
        "assets": [{"type": "bank_account", "value": 500.00}],
        "remote_community": False,
        "overpayment_recovery": {"balance": 0, "rate": 0.10},
    }
    unit.update(overrides)
    return unit


def run_cli(stdin: str | bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([*CLI, *args], input=data, capture_output=True, check=False, timeout=120)


def run_in_process(stdin: str) -> tuple[int, bytes, str]:
    """``ow-calc`` single mode in this process (same code path as the console script's main):
    exit status, stdout bytes, stderr text. Used for the long tables of invalid inputs."""
    out = io.BytesIO()
    err = io.StringIO()
    status = run_single(stdin.encode(), out, err)
    return status, out.getvalue(), err.getvalue()


def cents(amount: str) -> int:
    """ "683.00" -> 68300, checking the two-decimal format."""
    whole, _, fraction = amount.partition(".")
    assert len(fraction) == 2, amount
    value = int(whole.lstrip("-")) * 100 + int(fraction)
    return -value if amount.startswith("-") else value


def dumps(value: Any) -> str:
    return json.dumps(value)
