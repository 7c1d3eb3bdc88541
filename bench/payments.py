# ruff: noqa: PLC0415, T201  # Django models load after bench_database(); a benchmark prints
"""The whole province's monthly payment run: `make bench`, or
`tools/with-test-postgres.sh .venv/bin/python bench/payments.py [--cases N] [--keep]`.

Builds a fresh PostgreSQL database with the SYNTHETIC caseload of bench/dataset.py, makes every
case active (the benchmark wants N active cases, not the mix of statuses of dataset.py), adds the
monthly facts with COPY (shelter for every case, earnings reported last month for ~15 %, a
direct-deposit account for ~80 %, an overpayment balance for ~3 %), then for every delivery
partner runs the real services: prepare, dry run (one vectorised rules call per chunk of 20,000
cases, bulk inserts), approve (another supervisor), release (chunks with ignore_conflicts and a
checkpoint), and builds the CPA-005 file. Prints total time, cases/s for dry run and release,
and the payment file sizes. Goal: under 2 minutes for the month on this 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from typing import Any

from dataset import DEFAULT_CASES, _copy, _reset_sequence, bench_database, generate_caseload

GOAL_SECONDS = 120.0
MONTH = dt.date(2026, 1, 1)


def _monthly_facts(seed: int) -> dict[str, int]:
    """Every case active, with shelter, income reports, bank accounts and some overpayments."""
    from django.db import connection, transaction
    from django.utils import timezone

    from caseworks.cases.models import BenefitUnit, BenefitUnitMember
    from caseworks.payments.constants import LedgerEntryKind
    from caseworks.payments.models import BankAccount, CircumstancesChange, IncomeReport, LedgerEntry

    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{BenefitUnit._meta.db_table}" SET status = %s, closed_on = NULL, '
            "opened_on = LEAST(opened_on, %s), status_changed_on = LEAST(opened_on, %s)",
            ["active", dt.date(2025, 11, 1), dt.date(2025, 11, 1)],
        )
        cursor.execute(
            f'UPDATE "{BenefitUnitMember._meta.db_table}" SET end_on = NULL, '
            "start_on = LEAST(start_on, %s)",
            [dt.date(2025, 11, 1)],
        )
    units = list(BenefitUnit.objects.values_list("pk", "caseworker_id").order_by("pk"))
    applicants = dict(
        BenefitUnitMember.objects.filter(role="applicant").values_list("benefit_unit_id", "person_id")
    )
    circumstances, incomes, banks, ledger = [], [], [], []
    for unit_id, worker in units:
        kind = rng.choices(["rent", "own", "board_and_lodging", "no_fixed_address"],
                           weights=[0.8, 0.05, 0.05, 0.1])[0]
        circumstances.append({
            "created_at": now, "modified_at": now, "benefit_unit_id": unit_id,
            "effective_month": dt.date(2025, 11, 1), "shelter_type": kind,
            "shelter_cost_cents": 0 if kind == "no_fixed_address" else rng.randint(300, 1600) * 100,
            "heat_cents": 0, "utilities_cents": 0, "reason": "synthetic bench data",
            "recorded_by_id": worker,
        })
        if rng.random() < 0.15:
            incomes.append({
                "created_at": now, "modified_at": now, "benefit_unit_id": unit_id,
                "person_id": applicants[unit_id], "income_month": dt.date(2025, 12, 1),
                "kind": "earnings", "amount_cents": rng.randint(50, 1500) * 100,
                "proof_id": None, "recorded_by_id": worker,
            })
        if rng.random() < 0.8:
            banks.append({
                "created_at": now, "modified_at": now, "benefit_unit_id": unit_id,
                "holder_name": "SYNTHETIC PAYEE", "institution": f"{rng.choice([1, 2, 3, 4, 6, 10]):03d}",
                "transit": f"{rng.randint(0, 99999):05d}", "account": f"{rng.randint(10**6, 10**12 - 1)}",
                "start_on": dt.date(2025, 11, 1), "end_on": None, "recorded_by_id": worker,
            })
        if rng.random() < 0.03:
            ledger.append({
                "benefit_unit_id": unit_id, "kind": LedgerEntryKind.OVERPAYMENT,
                "amount_cents": rng.randint(50, 3000) * 100, "benefit_month": None,
                "payment_id": None, "determination_id": None, "reason": "synthetic bench data",
                "citation": "", "recorded_by_id": worker, "recorded_at": now,
            })
    for rows in (circumstances, incomes, banks, ledger):
        for number, row in enumerate(rows, start=1):
            row["id"] = number
    with transaction.atomic():
        counts = {
            "circumstances": _copy(CircumstancesChange, circumstances),
            "income reports": _copy(IncomeReport, incomes),
            "bank accounts": _copy(BankAccount, banks),
            "overpayments": _copy(LedgerEntry, ledger),
        }
        for model in (CircumstancesChange, IncomeReport, BankAccount, LedgerEntry):
            _reset_sequence(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with bench_database("caseworks_bench_payments", keep=args.keep):
        from caseworks.accounts.constants import Role
        from caseworks.accounts.models import User
        from caseworks.eligibility import engine
        from caseworks.partners.models import DeliveryPartner
        from caseworks.payments.runs import (
            payment_run_approve,
            payment_run_dry_run,
            payment_run_prepare,
            payment_run_release,
        )
        from caseworks.payments.services import payment_file_build

        caseload = generate_caseload(cases=args.cases)
        print(f"bench payments: {caseload.describe()}")
        started = time.monotonic()
        facts = _monthly_facts(seed=args.cases)
        print(f"bench payments: monthly facts {facts} in {time.monotonic() - started:.0f} s")
        engine.rules_version()  # load the rules package before timing (as a worker would)
        engine.calculate_batch([{"benefit_month": "2026-01", "members": [
            {"id": "a", "role": "applicant", "age": 30}]}])
        dry_seconds = release_seconds = file_seconds = 0.0
        cases = payments = file_bytes = total_cents = 0
        for partner in DeliveryPartner.objects.order_by("pk"):
            preparer: Any = caseload.caseworker_by_partner[partner.pk]
            approver = User.objects.create(
                username=f"bench.supervisor.{partner.code}"[:150], role=Role.SUPERVISOR,
                delivery_partner=partner, first_name="Bench", last_name="Supervisor",
            )
            t0 = time.monotonic()
            run = payment_run_prepare(acting_user=preparer, delivery_partner=partner,
                                      benefit_month=MONTH)
            run = payment_run_dry_run(acting_user=preparer, run=run)
            t1 = time.monotonic()
            run = payment_run_approve(acting_user=approver, run=run)
            run = payment_run_release(acting_user=approver, run=run)
            t2 = time.monotonic()
            data, eft_total, _count = payment_file_build(run=run)
            t3 = time.monotonic()
            dry_seconds += t1 - t0
            release_seconds += t2 - t1
            file_seconds += t3 - t2
            cases += run.case_count
            payments += run.released_count
            total_cents += run.released_total_cents
            file_bytes += len(data)
            if run.released_total_cents != run.total_cents:
                print(f"bench payments: MISMATCH for {partner.code}", file=sys.stderr)
                return 1
        whole = dry_seconds + release_seconds + file_seconds
        print(f"bench payments: {cases:,} active cases, {payments:,} payments, "
              f"${total_cents // 100:,}.{total_cents % 100:02d} for {MONTH:%Y-%m}")
        print(f"bench payments: dry run  {dry_seconds:7.1f} s  {cases / dry_seconds:9,.0f} cases/s")
        print(f"bench payments: release  {release_seconds:7.1f} s  "
              f"{payments / release_seconds:9,.0f} payments/s")
        print(f"bench payments: CPA-005 files {file_seconds:5.1f} s, {file_bytes:,} bytes in all")
        verdict = "met" if whole < GOAL_SECONDS else "NOT met"
        print(f"bench payments: whole month {whole:.1f} s (goal < {GOAL_SECONDS:.0f} s: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
