# ruff: noqa: PLC0415  # Django models load after bench_database()
"""The synthetic circumstances over time of the payment-run benchmark (bench/payments.py):
every case active, its facts from the application and later changes, income reports over
several months, bank accounts and overpayment balances, written with COPY. The shares are
described in bench/payments.py."""

from __future__ import annotations

import datetime as dt
import json
import random

from dataset import _copy, _reset_sequence

MONTH = dt.date(2026, 1, 1)


# Benefit month and the dates around it. Every case is made active and opened on or before
# OPENED_BY (so the income month before MONTH is at least its first reporting month).
OPENED_BY = dt.date(2025, 11, 1)
INCOME_MONTH = dt.date(2025, 12, 1)  # the month before MONTH (the reporting lag)
FIRST_REPORT_MONTH = dt.date(2025, 8, 1)  # income reports are generated from here on
APPLICATION_REASON = "Facts of the application, at the grant (synthetic bench data)"


def _add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month start from `first` to `last` (both month starts), inclusive."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    return months


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _assets(rng: random.Random) -> list[dict[str, object]]:
    """The unit's assets as declared: a bank account for most, a vehicle for some, a few
    registered savings; a small share above the asset limit."""
    assets: list[dict[str, object]] = []
    if rng.random() < 0.85:
        value = rng.randint(0, 2_500) if rng.random() < 0.97 else rng.randint(8_000, 20_000)
        assets.append({"type": "bank_account", "value_cents": value * 100, "description": ""})
    if rng.random() < 0.2:
        assets.append(
            {
                "type": "vehicle",
                "value_cents": rng.randint(1_500, 18_000) * 100,
                "description": "car",
            }
        )
    if rng.random() < 0.05:
        assets.append(
            {
                "type": rng.choice(["tfsa", "rrsp", "resp"]),
                "value_cents": rng.randint(200, 6_000) * 100,
                "description": "",
            }
        )
    if rng.random() < 0.1:
        assets.append({"type": "cash", "value_cents": rng.randint(5, 300) * 100, "description": ""})
    return assets


def _shelter(rng: random.Random) -> tuple[str, int]:
    kind = rng.choices(
        ["rent", "own", "board_and_lodging", "no_fixed_address"], weights=[0.8, 0.05, 0.05, 0.1]
    )[0]
    return kind, 0 if kind == "no_fixed_address" else rng.randint(300, 1600) * 100


def _income_bases(incomes: list[dict[str, object]]) -> dict[str, int]:
    """How many cases the run should see reported, carrying an earlier month's income, or with
    earnings not reported (no report last month, and the last month reported had earnings: paid
    on that income as a run exception, with a task): what facts.py must find."""
    months: dict[int, dict[dt.date, bool]] = {}
    for row in incomes:
        unit_id, month = int(row["benefit_unit_id"]), row["income_month"]  # type: ignore[call-overload]
        assert isinstance(month, dt.date)
        earned = row["kind"] == "earnings" and int(row["amount_cents"]) > 0  # type: ignore[call-overload]
        by_month = months.setdefault(unit_id, {})
        by_month[month] = by_month.get(month, False) or earned
    bases = {"reported last month": 0, "carrying earlier income": 0, "earnings not reported": 0}
    for by_month in months.values():
        if INCOME_MONTH in by_month:
            bases["reported last month"] += 1
        elif by_month[max(by_month)]:
            bases["earnings not reported"] += 1
        else:
            bases["carrying earlier income"] += 1
    return bases


def _monthly_facts(seed: int) -> dict[str, int]:  # one generator pass
    """Every case active, with circumstances over time (dated case and member facts, the first
    version from the application), income reports over several months, bank accounts and some
    overpayments."""
    from django.db import connection, transaction
    from django.utils import timezone

    from caseworks.cases.models import BenefitUnit, BenefitUnitMember
    from caseworks.clients.models import Person
    from caseworks.payments.constants import FactSource, IncomeKind, LedgerEntryKind
    from caseworks.payments.models import (
        BankAccount,
        CircumstancesChange,
        IncomeReport,
        LedgerEntry,
        MemberCircumstancesChange,
    )

    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{BenefitUnit._meta.db_table}" SET status = %s, closed_on = NULL, '
            "opened_on = LEAST(opened_on, %s), status_changed_on = LEAST(opened_on, %s)",
            ["active", OPENED_BY, OPENED_BY],
        )
        cursor.execute(
            f'UPDATE "{BenefitUnitMember._meta.db_table}" SET end_on = NULL, '
            "start_on = LEAST(start_on, %s)",
            [OPENED_BY],
        )
        # dataset.py draws a child's birth before the case's own opening date, which can be after
        # OPENED_BY: no member is born after the (moved) opening, as the application requires.
        cursor.execute(
            f'UPDATE "{Person._meta.db_table}" SET date_of_birth = %s WHERE date_of_birth > %s',
            [OPENED_BY - dt.timedelta(days=30), OPENED_BY - dt.timedelta(days=30)],
        )
    units = list(BenefitUnit.objects.values_list("pk", "caseworker_id", "opened_on").order_by("pk"))
    household: dict[int, list[tuple[int, str, dt.date]]] = {}
    for unit_id, person_id, role, born in BenefitUnitMember.objects.order_by(
        "benefit_unit_id", "id"
    ).values_list("benefit_unit_id", "person_id", "role", "person__date_of_birth"):
        household.setdefault(unit_id, []).append((person_id, role, born))

    circumstances: list[dict[str, object]] = []
    member_circumstances: list[dict[str, object]] = []
    incomes: list[dict[str, object]] = []
    banks: list[dict[str, object]] = []
    ledger: list[dict[str, object]] = []
    stats = {"moves in force": 0, "member changes": 0}
    application = FactSource.APPLICATION.value
    change = FactSource.CHANGE.value

    def base(worker: int) -> dict[str, object]:
        return {"created_at": now, "modified_at": now, "recorded_by_id": worker}

    def income(
        worker: int, unit_id: int, person_id: int, month: dt.date, kind: str, cents: int, src: str
    ) -> None:
        incomes.append(
            {
                **base(worker),
                "benefit_unit_id": unit_id,
                "person_id": person_id,
                "income_month": month,
                "kind": kind,
                "amount_cents": cents,
                "proof_id": None,
                "source": src,
            }
        )

    for unit_id, worker, opened in units:
        opening_month = opened.replace(day=1)
        members = household[unit_id]
        applicant = next(p for p, role, _ in members if role == "applicant")
        has_children = any(role == "dependant_child" for _, role, _ in members)

        # Case facts: the application's version at the opening month, a move for ~10 %.
        kind, cost = _shelter(rng)
        assets = _assets(rng)
        circumstances.append(
            {
                **base(worker),
                "benefit_unit_id": unit_id,
                "effective_month": opening_month,
                "shelter_type": kind,
                "shelter_cost_cents": cost,
                "heat_cents": rng.randint(40, 150) * 100 if kind == "own" else 0,
                "utilities_cents": rng.randint(30, 120) * 100 if rng.random() < 0.3 else 0,
                "remote_community": rng.random() < 0.01,
                "assets": json.dumps(assets),
                "source": application,
                "reason": APPLICATION_REASON,
            }
        )
        if rng.random() < 0.10:
            # A move: any month after the opening, up to one month after MONTH (recorded ahead,
            # not yet in force for MONTH).
            moved = rng.choice(
                _months_between(_add_months(opening_month, 1), _add_months(MONTH, 1))
            )
            stats["moves in force"] += moved <= MONTH
            circumstances.append(
                {
                    **base(worker),
                    "benefit_unit_id": unit_id,
                    "effective_month": moved,
                    "shelter_type": "rent",
                    "shelter_cost_cents": rng.randint(400, 1800) * 100,
                    "heat_cents": 0,
                    "utilities_cents": rng.randint(30, 120) * 100 if rng.random() < 0.3 else 0,
                    "remote_community": False,
                    "assets": json.dumps(assets),
                    "source": change,
                    "reason": "Moved: new rent (synthetic bench data)",
                }
            )

        # Member facts: every member's first version from the application, a change for ~5 %.
        for person_id, role, born in members:
            age = _age_on(born, opening_month)
            adult = age >= 18
            student = rng.random() < (0.03 if adult else 0.5 if age >= 16 else 0.0)
            pregnant = adult and age < 45 and rng.random() < 0.02
            diet = rng.randint(10, 250) * 100 if adult and rng.random() < 0.07 else 0
            care = (
                rng.randint(100, 900) * 100
                if role == "applicant" and has_children and rng.random() < 0.2
                else 0
            )
            member_circumstances.append(
                {
                    **base(worker),
                    "benefit_unit_id": unit_id,
                    "person_id": person_id,
                    "effective_month": opening_month,
                    "full_time_student": student,
                    "pregnant_or_breastfeeding": pregnant,
                    "special_diet_cents": diet,
                    "child_care_costs_cents": care,
                    "source": application,
                    "reason": APPLICATION_REASON,
                }
            )
            if rng.random() < 0.05:
                stats["member changes"] += 1
                changed = rng.choice(_months_between(_add_months(opening_month, 1), MONTH))
                what = rng.random()
                if what < 0.5:  # special diet approved, changed or ended
                    diet = 0 if diet else rng.randint(10, 250) * 100
                elif what < 0.7:  # child care starts or stops (applicant) or studies change
                    if role == "applicant":
                        care = 0 if care else rng.randint(100, 900) * 100
                    else:
                        student = not student
                elif what < 0.85:
                    pregnant = adult and not pregnant
                else:
                    student = not student
                member_circumstances.append(
                    {
                        **base(worker),
                        "benefit_unit_id": unit_id,
                        "person_id": person_id,
                        "effective_month": changed,
                        "full_time_student": student,
                        "pregnant_or_breastfeeding": pregnant,
                        "special_diet_cents": diet,
                        "child_care_costs_cents": care,
                        "source": change,
                        "reason": "Change reported (synthetic bench data)",
                    }
                )

        # Income: the application's declared income is the income of the month before the
        # opening month; reports follow monthly from FIRST_REPORT_MONTH.
        declared_month = _add_months(opening_month, -1)
        first = max(declared_month, FIRST_REPORT_MONTH)
        draw = rng.random()
        if draw < 0.16:  # earnings: ~15 % still reporting, ~1 % stopped reporting last month
            last = INCOME_MONTH if draw < 0.15 else _add_months(INCOME_MONTH, -1)
            typical = rng.randint(50, 1500)
            for month in _months_between(first, last):
                cents = max(0, typical + rng.randint(-typical // 5, typical // 5)) * 100
                src = application if month == declared_month else change
                income(worker, unit_id, applicant, month, IncomeKind.EARNINGS, cents, src)
        elif draw < 0.17:  # stopped working: reported nil earnings, then no more reports
            for month in _months_between(first, _add_months(INCOME_MONTH, -1)):
                cents = rng.randint(100, 800) * 100 if month < _add_months(INCOME_MONTH, -1) else 0
                src = application if month == declared_month else change
                income(worker, unit_id, applicant, month, IncomeKind.EARNINGS, cents, src)
        if rng.random() < 0.08:  # unearned income: monthly reports for half, declared only else
            kind = rng.choice(
                [IncomeKind.CHILD_SUPPORT, IncomeKind.CPP, IncomeKind.EMPLOYMENT_INSURANCE]
            )
            cents = rng.randint(100, 900) * 100
            if rng.random() < 0.5:
                months = _months_between(first, INCOME_MONTH)
            else:
                months = [declared_month]
            for month in months:
                src = application if month == declared_month else change
                income(worker, unit_id, applicant, month, kind, cents, src)

        if rng.random() < 0.8:
            banks.append(
                {
                    **base(worker),
                    "benefit_unit_id": unit_id,
                    "holder_name": "SYNTHETIC PAYEE",
                    "institution": f"{rng.choice([1, 2, 3, 4, 6, 10]):03d}",
                    "transit": f"{rng.randint(0, 99999):05d}",
                    "account": f"{rng.randint(10**6, 10**12 - 1)}",
                    "start_on": OPENED_BY,
                    "end_on": None,
                }
            )
        if rng.random() < 0.03:
            ledger.append(
                {
                    "benefit_unit_id": unit_id,
                    "kind": LedgerEntryKind.OVERPAYMENT,
                    "amount_cents": rng.randint(50, 3000) * 100,
                    "benefit_month": None,
                    "payment_id": None,
                    "determination_id": None,
                    "reason": "synthetic bench data",
                    "citation": "",
                    "recorded_by_id": worker,
                    "recorded_at": now,
                }
            )
    stats |= _income_bases(incomes)
    tables = {
        "case circumstances": (CircumstancesChange, circumstances),
        "member circumstances": (MemberCircumstancesChange, member_circumstances),
        "income reports": (IncomeReport, incomes),
        "bank accounts": (BankAccount, banks),
        "overpayments": (LedgerEntry, ledger),
    }
    counts: dict[str, int] = {}
    with transaction.atomic():
        for name, (model, rows) in tables.items():
            for number, row in enumerate(rows, start=1):
                row["id"] = number
            counts[name] = _copy(model, rows)
            _reset_sequence(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts | stats
