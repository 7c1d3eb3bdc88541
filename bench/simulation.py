"""Benchmark of the policy simulation (``make bench``): 300,000 generated cases.

What it does, as the oversight page does for the real caseload:
  1. generates 300,000 synthetic benefit units (ow-calc input, seeded; labelled synthetic);
  2. parses them once, then runs the rules' vectorised batch twice: as the law stands and with
     changed parameters (earnings exemption $200 → $300 and 50% → 60%, single basic needs +$50),
     and summarises the cost change, gainers/losers and the split by family type;
  3. checks per-case results against ``ow-calc --batch`` (the CLI) for a sample: the baseline
     payments must equal ow-calc's, and the reformed fast path must equal the full reformed
     calculation (``calculate_batch_with_parameters``) for the same sample.

Goal: steps 2 (parse + both runs + summary) in under 30 s on the 2-core machine.
Usage: .venv/bin/python bench/simulation.py [--cases 300000] [--sample 500] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")  # no database is used
django.setup()

from openfisca_ontario_works.simulation import (  # noqa: E402
    calculate_batch_with_parameters,
    parse_units,
    payments_with_parameters,
)

from caseworks.reporting.services import simulate_situations  # noqa: E402

OW_CALC = Path(sys.executable).with_name("ow-calc")
MONTH = "2026-11"
OVERRIDES = {
    "ontario_works.earnings.flat_exemption": Decimal("300"),
    "ontario_works.earnings.percentage_exemption": Decimal("0.6"),
    "ontario_works.basic_needs.recipient_alone.adults_0_children_0": Decimal("783"),
}


def make_unit(rng: random.Random) -> dict[str, Any]:
    """A synthetic active case: mostly singles, some couples and families, some earnings."""
    members: list[dict[str, Any]] = [{"id": "a", "role": "applicant", "age": rng.randint(18, 70)}]
    if rng.random() < 0.2:
        members.append({"id": "s", "role": "spouse", "age": rng.randint(18, 70)})
    for index in range(rng.choice((0, 0, 0, 0, 1, 1, 2, 3))):
        members.append({"id": f"c{index}", "role": "dependant", "age": rng.randint(0, 17)})
    for member in members:
        if member["role"] != "dependant" and rng.random() < 0.15:
            member["net_earnings"] = f"{rng.randint(50, 1500)}.{rng.randint(0, 99):02d}"
    shelter_type = rng.choice(
        ("rent", "rent", "rent", "own", "no_fixed_address", "board_and_lodging")
    )
    shelter: dict[str, Any] = {"type": shelter_type}
    if shelter_type in ("rent", "own"):
        shelter.update(cost=f"{rng.randint(300, 1600)}.00", heat=rng.choice((0, 0, 80)))
    elif shelter_type == "board_and_lodging":
        shelter.update(cost=f"{rng.randint(300, 900)}.00")
    unit: dict[str, Any] = {
        "benefit_month": MONTH,
        "months_in_receipt": rng.randint(0, 60),
        "members": members,
        "shelter": shelter,
    }
    if rng.random() < 0.3:
        unit["assets"] = [{"type": "bank_account", "value": f"{rng.randint(0, 15000)}.00"}]
    return unit


def ow_calc(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = "".join(json.dumps(unit) + "\n" for unit in units)
    done = subprocess.run(
        [str(OW_CALC), "--batch"], input=text, capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    raw = [make_unit(rng) for _ in range(args.cases)]
    generated = time.perf_counter() - started
    print(f"policy simulation: {args.cases:,} synthetic cases generated in {generated:.1f} s")

    workers = max(1, min(2, os.cpu_count() or 1))
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = sum(u.ru_utime + u.ru_stime for u in before)
    started = time.perf_counter()
    summary, simulated, skipped = simulate_situations(
        raw, OVERRIDES, benefit_month=dt.date(2026, 11, 1), workers=workers
    )
    total = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(u.ru_utime + u.ru_stime for u in usage) - cpu_before
    print(
        f"  TOTAL {total:.1f} s wall for {simulated:,} cases ({skipped} skipped, {workers} worker "
        f"processes; parse + law as it stands + changed parameters + summary; goal < 30 s): "
        f"{'OK' if total < 30 else 'TOO SLOW'}; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"  CPU time of the simulation (all processes): {cpu:.1f} s")
    print(
        f"  monthly cost ${summary['baseline_monthly_cents'] / 100:,.2f} → "
        f"${summary['reform_monthly_cents'] / 100:,.2f} "
        f"(change ${summary['monthly_change_cents'] / 100:,.2f} a month, "
        f"${summary['annual_change_cents'] / 100:,.2f} a year); "
        f"{summary['gaining']:,} gaining, {summary['losing']:,} losing"
    )

    # Per-case check against the CLI on a sample (same code path: parse + vectorised batch).
    sample = sorted(rng.sample(range(args.cases), min(args.sample, args.cases)))
    sample_units = [raw[i] for i in sample]
    parsed = parse_units(sample_units)
    baseline, eligible_before = payments_with_parameters(parsed, {})
    reform, _eligible_after = payments_with_parameters(parsed, OVERRIDES)
    cli = ow_calc(sample_units)
    mismatches = [
        i
        for i, out in enumerate(cli)
        if cents(out["payment"]) != baseline[i] or out["eligible"] != eligible_before[i]
    ]
    full_reform = calculate_batch_with_parameters(sample_units, OVERRIDES)
    reform_mismatches = [
        i for i, out in enumerate(full_reform) if cents(out["payment"]) != reform[i]
    ]
    print(
        f"  ow-calc check on {len(sample)} cases: {len(mismatches)} baseline mismatches, "
        f"{len(reform_mismatches)} reform mismatches (fast path vs full calculation)"
    )
    ok = total < 30 and not mismatches and not reform_mismatches
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
