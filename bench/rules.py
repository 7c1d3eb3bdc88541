"""Benchmark of the Ontario Works rules (``make bench``).

Figures printed:
  1. ``ow-calc --batch`` end to end as a subprocess (JSON Lines in and out, process start
     included) for 100,000 and 1,000,000 seeded benefit units;
  2. single-unit in-process latency of ``openfisca_ontario_works.calculate`` (median over N);
  3. the same batch computed by a per-unit loop of ``calculate`` on a smaller sample,
     extrapolated (and labelled so) for comparison.

Goals: >= 50,000 units/s end to end for --batch; < 10 ms per single unit in process.
Usage: .venv/bin/python bench/rules.py [--sizes 100000 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from openfisca_ontario_works import calculate, calculate_batch

OW_CALC = Path(sys.executable).with_name("ow-calc")
MONTHS = ["2026-01"] * 8 + ["2025-12", "2018-05"]


def make_unit(rng: random.Random) -> dict[str, Any]:
    """A plausible benefit unit: mostly singles, some couples and families."""
    members: list[dict[str, Any]] = [{"id": "a", "role": "applicant", "age": rng.randint(18, 70)}]
    if rng.random() < 0.25:
        members.append({"id": "s", "role": "spouse", "age": rng.randint(18, 70)})
    for index in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
        members.append({"id": f"d{index}", "role": "dependant", "age": rng.randint(0, 22)})
    for member in members:
        if member["role"] != "dependant" and rng.random() < 0.3:
            member["net_earnings"] = round(rng.uniform(0, 1500), 2)
        if rng.random() < 0.15:
            member["unearned_income"] = [
                {
                    "type": rng.choice(("employment_insurance", "cpp", "canada_child_benefit")),
                    "amount": rng.randint(50, 900),
                }
            ]
    unit: dict[str, Any] = {
        "benefit_month": rng.choice(MONTHS),
        "months_in_receipt": rng.randint(0, 24),
        "members": members,
    }
    kind = rng.choice(("rent", "rent", "rent", "own", "no_fixed_address"))
    if kind != "no_fixed_address":
        unit["shelter"] = {
            "type": kind,
            "cost": rng.randint(300, 1600),
            "heat": rng.randint(0, 120),
        }
    if rng.random() < 0.5:
        unit["assets"] = [{"type": "bank_account", "value": rng.randint(0, 12000)}]
    if rng.random() < 0.05:
        unit["overpayment_recovery"] = {"balance": rng.randint(10, 3000)}
    return unit


def write_units(path: Path, count: int, seed: int) -> float:
    rng = random.Random(seed)
    with path.open("w") as handle:
        for start in range(0, count, 10_000):
            block = [make_unit(rng) for _ in range(min(10_000, count - start))]
            handle.write("".join(json.dumps(u, separators=(",", ":")) + "\n" for u in block))
    return path.stat().st_size / count


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_batch(path: Path, out_path: Path) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (ow-calc and its workers) of one --batch run."""
    with path.open("rb") as source, out_path.open("wb") as sink:
        cpu_before = _children_cpu()
        started = time.perf_counter()
        result = subprocess.run([str(OW_CALC), "--batch"], stdin=source, stdout=sink, check=False)
        elapsed = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
    if result.returncode != 0:
        raise SystemExit(f"ow-calc --batch exited with {result.returncode}")
    return elapsed, cpu


def check_sample(path: Path, out_path: Path, count: int, seed: int) -> None:
    """Spot-check: output line count and 200 random lines equal the in-process API."""
    rng = random.Random(seed + 1)
    picks = set(rng.sample(range(count), min(200, count)))
    inputs: dict[int, Any] = {}
    outputs: dict[int, Any] = {}
    with path.open() as source, out_path.open() as sink:
        lines = 0
        for index, (unit_line, out_line) in enumerate(zip(source, sink, strict=True)):
            lines += 1
            if index in picks:
                inputs[index] = json.loads(unit_line)
                outputs[index] = json.loads(out_line)
    assert lines == count, (lines, count)
    order = sorted(picks)
    expected = calculate_batch([inputs[i] for i in order])
    assert expected == [outputs[i] for i in order], "batch output differs from calculate()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--single-runs", type=int, default=300)
    parser.add_argument("--loop-sample", type=int, default=2_000)
    args = parser.parse_args()

    print(
        f"Ontario Works rules benchmark — {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}"
    )
    print(f"ow-calc: {OW_CALC}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="ow-bench-") as tmp:
        for size in args.sizes:
            source = Path(tmp) / f"units-{size}.jsonl"
            target = Path(tmp) / f"results-{size}.jsonl"
            per_unit = write_units(source, size, args.seed)
            elapsed, cpu = time_batch(source, target)
            out_bytes = target.stat().st_size
            check_sample(source, target, size, args.seed)
            rows.append((size, elapsed, per_unit, out_bytes / size))
            print(
                f"  --batch {size:>9,} units: {elapsed:7.2f} s end to end = "
                f"{size / elapsed:9,.0f} units/s  (input {per_unit:.0f} B/unit, "
                f"output {out_bytes / size:.0f} B/unit; 200 sampled lines == calculate())"
            )
            print(
                f"      CPU {cpu:.2f} s (ow-calc + workers) = {size / cpu:,.0f} units per "
                f"CPU-second; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)"
            )
            source.unlink()
            target.unlink()

    rng = random.Random(args.seed + 7)
    sample = [make_unit(rng) for _ in range(max(args.single_runs, args.loop_sample))]
    calculate(sample[0])  # warm up: load parameters and variables once
    timings = []
    cpu_timings = []
    for unit in sample[: args.single_runs]:
        started, cpu_started = time.perf_counter(), time.process_time()
        calculate(unit)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    median_ms = statistics.median(timings) * 1000
    p95_ms = sorted(timings)[int(len(timings) * 0.95)] * 1000
    cpu_ms = statistics.median(cpu_timings) * 1000
    print(
        f"  single unit in process (calculate): median {median_ms:.2f} ms wall "
        f"(CPU {cpu_ms:.2f} ms), p95 {p95_ms:.2f} ms wall over {args.single_runs} units"
    )

    loop_units = sample[: args.loop_sample]
    started, cpu_started = time.perf_counter(), time.process_time()
    for unit in loop_units:
        calculate(unit)
    loop_elapsed = time.perf_counter() - started
    loop_cpu = time.process_time() - cpu_started
    loop_rate = len(loop_units) / loop_elapsed
    print(
        f"  per-unit loop of calculate() on {len(loop_units):,} units: {loop_rate:,.0f} units/s "
        f"wall, {len(loop_units) / loop_cpu:,.0f} units per CPU-second (in process, no JSON I/O)"
    )
    for size, elapsed, _, _ in rows:
        print(
            f"    extrapolated to {size:,} units: {size / loop_rate:,.0f} s "
            f"(vs {elapsed:.1f} s for --batch, x{(size / loop_rate) / elapsed:.0f})"
        )
    goal_batch = all(size / elapsed >= 50_000 for size, elapsed, _, _ in rows)
    print(f"  goal >= 50,000 units/s for --batch: {'met' if goal_batch else 'NOT met'}")
    print(
        f"  goal < 10 ms single unit: {'met' if median_ms < 10 else 'NOT met'} (wall); "
        f"{'met' if cpu_ms < 10 else 'NOT met'} (CPU)"
    )


if __name__ == "__main__":
    main()
