"""Households from the application to the bank file, through the public API, in English and in
French: application with declared income → grant → notice → three monthly runs (February
without an income report) → a late correction of a paid month → a second correction back →
recovery. For every month: notice = run = CPA-005 amount = ledger, to the cent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from caseworks.cases.models import Task
from caseworks.eligibility.models import Determination
from caseworks.payments.constants import LedgerEntryKind
from caseworks.payments.models import LedgerEntry, Payment, PaymentRunLine
from caseworks.payments.services import bank_account_record

from .conftest import (
    Office,
    call,
    cpa005_credits,
    money_text,
    pdf_text,
    run_queued_jobs,
)

pytestmark = pytest.mark.django_db

APPLIED_ON = "2026-01-05"
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@dataclass
class Member:
    first_name: str
    role: str  # applicant | spouse | dependant_child | dependant_adult
    born: str
    special_diet: str = "0"
    pregnant: bool = False
    child_care: str = "0"
    student: bool = False


@dataclass
class Household:
    key: str
    language: str
    members: list[Member]
    shelter: dict[str, Any]
    # (member index, income type, monthly amount as declared on the application)
    incomes: list[tuple[int, str, str]] = field(default_factory=list)
    assets: list[tuple[str, str]] = field(default_factory=list)
    direct_deposit: bool = True
    # The late correction: what member 0 really received in January, by type.
    correction: tuple[str, str] = ("earnings", "500.00")


HOUSEHOLDS = [
    Household(
        "single-earnings-en",
        "en",
        [Member("Amara", "applicant", "1990-04-02")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
        incomes=[(0, "earnings", "300.00")],
        assets=[("bank_account", "500.00")],
    ),
    Household(
        "single-earnings-fr",
        "fr",
        [Member("Benoît", "applicant", "1988-11-30")],
        {"shelter_type": "rent", "shelter_cost": "850.00"},
        incomes=[(0, "earnings", "450.00")],
    ),
    Household(
        "single-no-income-cheque",
        "en",
        [Member("Chen", "applicant", "1979-06-15")],
        {"shelter_type": "rent", "shelter_cost": "600.00"},
        direct_deposit=False,
        correction=("employment_insurance", "100.00"),
    ),
    Household(
        "single-ei-fr",
        "fr",
        [Member("Délia", "applicant", "1970-02-01")],
        {"shelter_type": "rent", "shelter_cost": "700.00"},
        incomes=[(0, "employment_insurance", "250.00")],
        correction=("employment_insurance", "350.00"),
    ),
    Household(
        "couple-earnings",
        "en",
        [Member("Ewan", "applicant", "1985-01-20"), Member("Fiona", "spouse", "1987-03-03")],
        {"shelter_type": "rent", "shelter_cost": "1200.00", "heat": "80.00"},
        incomes=[(0, "earnings", "600.00"), (1, "cpp", "120.00")],
        correction=("earnings", "900.00"),
    ),
    Household(
        "sole-parent-two-children-fr",
        "fr",
        [
            Member("Gabrielle", "applicant", "1992-07-07", child_care="150.00"),
            Member("Hugo", "dependant_child", "2016-05-05"),
            Member("Inès", "dependant_child", "2020-09-09"),
        ],
        {"shelter_type": "rent", "shelter_cost": "1100.00"},
        incomes=[(0, "earnings", "400.00"), (0, "child_support", "300.00")],
        correction=("earnings", "650.00"),
    ),
    Household(
        "couple-three-children-own",
        "en",
        [
            Member("Jamal", "applicant", "1980-12-12"),
            Member("Kira", "spouse", "1982-10-10", pregnant=True),
            Member("Leo", "dependant_child", "2012-01-01"),
            Member("Mia", "dependant_child", "2015-02-02"),
            Member("Noah", "dependant_child", "2019-03-03"),
        ],
        {"shelter_type": "own", "shelter_cost": "900.00", "utilities": "150.00"},
        incomes=[(0, "earnings", "1000.00")],
        assets=[("vehicle", "8000.00"), ("bank_account", "1200.00")],
        correction=("earnings", "1250.00"),
    ),
    Household(
        "no-fixed-address",
        "en",
        [Member("Omar", "applicant", "1995-08-08")],
        {"shelter_type": "no_fixed_address"},
        direct_deposit=False,
        correction=("other", "75.00"),
    ),
    Household(
        "board-and-lodging-fr",
        "fr",
        [Member("Paul", "applicant", "1969-04-04", special_diet="40.00")],
        {"shelter_type": "board_and_lodging", "shelter_cost": "650.00"},
        incomes=[(0, "cpp", "200.00")],
        correction=("cpp", "260.00"),
    ),
    Household(
        "parent-with-dependant-adult",
        "en",
        [
            Member("Quinn", "applicant", "1975-05-05"),
            Member("Rosa", "dependant_adult", "2006-06-06", student=True),
            Member("Sam", "dependant_child", "2014-07-07"),
        ],
        {"shelter_type": "rent", "shelter_cost": "1000.00"},
        incomes=[(0, "earnings", "200.00"), (1, "earnings", "300.00")],
        correction=("earnings", "420.00"),
    ),
    Household(
        "senior-couple-fr",
        "fr",
        [Member("Thérèse", "applicant", "1962-01-15"), Member("Ulric", "spouse", "1961-02-14")],
        {"shelter_type": "rent", "shelter_cost": "1150.00", "heat": "60.00", "utilities": "40.00"},
        incomes=[(1, "cpp", "400.00")],
        assets=[("rrsp", "3000.00")],
        correction=("cpp", "480.00"),
    ),
    Household(
        "pregnant-single-low-rent",
        "en",
        [Member("Vera", "applicant", "2000-10-10", pregnant=True)],
        {"shelter_type": "rent", "shelter_cost": "300.00"},
        incomes=[(0, "earnings", "150.00")],
        correction=("earnings", "275.00"),
    ),
]


def _determine(office: Office, household: Household) -> dict[str, Any]:
    """Register, apply, waive proofs (seen in person), determine: through the API."""
    api = office.worker_api
    people = []
    applicant = household.members[0]
    person = call(
        api,
        "post",
        "/api/clients",
        {
            "first_name": applicant.first_name,
            "last_name": f"Journey-{household.key}",
            "date_of_birth": applicant.born,
            "language_preference": household.language,
        },
    )
    people.append(person["id"])
    application = call(
        api, "post", "/api/applications", {"person_id": person["id"], "applied_on": APPLIED_ON}
    )
    for member in household.members[1:]:
        application = call(
            api,
            "post",
            f"/api/applications/{application['id']}/members",
            {
                "first_name": member.first_name,
                "last_name": f"Journey-{household.key}",
                "date_of_birth": member.born,
                "role": member.role,
                "expected_version": application["version"],
                "acknowledge_possible_duplicates": True,
            },
        )
    by_name = {m["first_name"]: m["person_id"] for m in application["members"]}
    people = [by_name[m.first_name] for m in household.members]
    patch: dict[str, Any] = {
        **household.shelter,
        "members": [
            {
                "person_id": people[i],
                "special_diet": m.special_diet,
                "pregnant_or_breastfeeding": m.pregnant,
                "child_care_costs": m.child_care,
                "full_time_student": m.student,
            }
            for i, m in enumerate(household.members)
        ],
        "incomes": [
            {"person_id": people[i], "income_type": kind, "monthly_amount": amount}
            for i, kind, amount in household.incomes
        ],
        "assets": [{"asset_type": kind, "value": value} for kind, value in household.assets],
    }
    application, determination = _complete_and_determine(office, application, patch)
    return {
        "case_id": application["benefit_unit_id"],
        "people": people,
        "determination": determination,
    }


def _complete_and_determine(
    office: Office, application: dict[str, Any], patch: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Save the application's facts, waive every proof (seen in person), determine."""
    api = office.worker_api
    patch = {"expected_version": application["version"], "consent_to_verification": True, **patch}
    application = call(api, "patch", f"/api/applications/{application['id']}", patch)
    for item in application["verifications"]:
        application = call(
            api,
            "post",
            f"/api/applications/{application['id']}/verifications/{item['id']}",
            {"status": "waived", "waived_reason": "Seen in person (synthetic test)"},
            status=200,
        )
    determination = call(api, "post", f"/api/applications/{application['id']}/determinations", {})
    return application, determination


def _apply_again(
    office: Office, person_id: int, applied_on: str, patch: dict[str, Any]
) -> dict[str, Any]:
    """A known person applies (again) on `applied_on`: the determination of the new case."""
    application = call(
        office.worker_api,
        "post",
        "/api/applications",
        {"person_id": person_id, "applied_on": applied_on},
    )
    return _complete_and_determine(office, application, patch)[1]


def _apply(office: Office, household: Household) -> dict[str, Any]:
    """Register, apply, waive proofs (seen in person), determine, grant: through the API."""
    determined = _determine(office, household)
    determination = determined["determination"]
    assert determination["result"] == "eligible", determination
    decision = call(
        office.worker_api,
        "post",
        f"/api/determinations/{determination['id']}/decision",
        {"outcome": "grant", "effective_on": APPLIED_ON},
    )
    assert decision["status"] == "final"
    return {**determined, "decision": decision}


def _run(office: Office, queue: Any, benefit_month: dt.date) -> dict[str, Any]:
    """Prepare (dry run queued), approve (another supervisor), release (queued)."""
    run = call(
        office.prepare_api,
        "post",
        "/api/payments/runs",
        {"benefit_month": benefit_month.strftime("%Y-%m")},
        status=202,
    )
    assert run_queued_jobs(queue) == 1
    run = call(office.prepare_api, "get", f"/api/payments/runs/{run['id']}")
    assert run["status"] == "dry_run_complete", run
    # The approver signs the cases the run does not pay (here only cases on hold; issue 12).
    held = [h["benefit_unit"] for h in run["held_cases"]]
    call(
        office.approve_api,
        "post",
        f"/api/payments/runs/{run['id']}/approve",
        {"acknowledged": held, "reviewed": bool(held)},
        status=200,
    )
    call(office.approve_api, "post", f"/api/payments/runs/{run['id']}/release", status=202)
    assert run_queued_jobs(queue) == 1
    run = call(office.prepare_api, "get", f"/api/payments/runs/{run['id']}")
    assert run["status"] == "released", run
    return run


def _bank_file_amounts(office: Office, run: dict[str, Any]) -> list[int]:
    """What the CPA-005 file pays (each test's partner has one case)."""
    web = Client()
    web.force_login(office.supervisor)
    response = web.post(reverse("payments:run_file", args=[run["id"]]))
    assert response.status_code == 200
    credits = cpa005_credits(response.content)
    assert all(c["type"] == "603" for c in credits)
    return [c["amount_cents"] for c in credits]


def _cheque_amounts(office: Office, run: dict[str, Any]) -> list[int]:
    web = Client()
    web.force_login(office.supervisor)
    response = web.get(reverse("payments:run_cheques", args=[run["id"]]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return [int(Decimal(row["amount"]) * 100) for row in rows]


def _check_month(
    office: Office, run: dict[str, Any], case: Any, benefit_month: dt.date, household: Household
) -> Payment:
    """Run line = stored determination = payment = bank file (or cheque list), to the cent."""
    payment = Payment.objects.get(benefit_unit_id=case.pk, benefit_month=benefit_month)
    line = PaymentRunLine.objects.get(run_id=run["id"], benefit_unit_id=case.pk)
    determination = Determination.objects.get(pk=line.determination_id)
    assert line.amount_cents == payment.amount_cents == determination.payment_cents
    assert (
        line.recovery_cents == payment.recovery_cents == determination.overpayment_deduction_cents
    )
    if household.direct_deposit:
        assert _bank_file_amounts(office, run) == [payment.amount_cents]
        assert _cheque_amounts(office, run) == []
    else:
        assert _cheque_amounts(office, run) == [payment.amount_cents]
        assert _bank_file_amounts(office, run) == []
    if payment.recovery_cents:
        recovery = LedgerEntry.objects.get(payment=payment, kind=LedgerEntryKind.RECOVERY)
        assert recovery.amount_cents == -payment.recovery_cents
    return payment


def _report(
    office: Office, case_id: int, person_id: int, income_month: dt.date, amounts: dict[str, str]
) -> Any:
    case = call(office.worker_api, "get", f"/api/cases/{case_id}")
    payload = {
        "person_id": person_id,
        "income_month": income_month.strftime("%Y-%m"),
        "amounts": amounts,
        "expected_version": case["version"],
        "confirm": True,
    }
    return call(office.worker_api, "post", f"/api/payments/cases/{case_id}/income-reports", payload)


def _month_adjustments(payment: Payment) -> int:
    """Corrections booked against the month, as the client's gain."""
    over = (
        LedgerEntry.objects.filter(payment=payment, kind=LedgerEntryKind.OVERPAYMENT).aggregate(
            t=Sum("amount_cents")
        )["t"]
        or 0
    )
    under = (
        LedgerEntry.objects.filter(payment=payment, kind=LedgerEntryKind.UNDERPAYMENT).aggregate(
            t=Sum("amount_cents")
        )["t"]
        or 0
    )
    return under - over


def _latest(case_id: int, benefit_month: dt.date) -> Determination:
    return (
        Determination.objects.filter(benefit_unit_id=case_id, benefit_month=benefit_month)
        .order_by("-determined_at", "-id")
        .first()
    )


@pytest.mark.parametrize("household", HOUSEHOLDS, ids=[h.key for h in HOUSEHOLDS])
def test_money_journey(office: Office, in_memory_queue: Any, household: Household) -> None:
    from caseworks.cases.models import BenefitUnit  # noqa: PLC0415

    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    people = granted["people"]
    if household.direct_deposit:
        bank_account_record(
            acting_user=office.caseworker,
            benefit_unit=case,
            holder_name=f"{household.members[0].first_name} Journey",
            institution="004",
            transit="12345",
            account="1234567",
            start_on=dt.date(2026, 1, 5),
        )
    notice_cents = granted["determination"]["payment_cents"]
    assert notice_cents > 0

    # The notice says what the first run pays, in the household's language.
    web = Client()
    web.force_login(office.caseworker)
    notice_id = granted["decision"][f"notice_{household.language}_id"]
    pdf = web.get(reverse("documents:download", args=[notice_id]))
    assert pdf.status_code == 200
    assert money_text(notice_cents, household.language) in pdf_text(pdf.content)

    # January: paid from the same input as the notice.
    jan_run = _run(office, in_memory_queue, JAN)
    jan = _check_month(office, jan_run, case, JAN, household)
    assert jan.amount_cents == notice_cents
    assert (
        _latest(case.pk, JAN).situation
        == Determination.objects.get(pk=granted["determination"]["id"]).situation
    )
    assert not LedgerEntry.objects.filter(benefit_unit=case).exists()

    # February: no income report for January. Never zero income: the last known income is
    # used; a case with earnings is an exception with a task.
    feb_run = _run(office, in_memory_queue, FEB)
    feb = _check_month(office, feb_run, case, FEB, household)
    assert feb.amount_cents == jan.amount_cents
    line = PaymentRunLine.objects.get(run_id=feb_run["id"], benefit_unit=case)
    had_earnings = any(kind == "earnings" for _i, kind, _a in household.incomes)
    assert bool(line.exceptions) == had_earnings
    assert (
        Task.objects.filter(benefit_unit=case, kind="income_report_missing").exists()
        == had_earnings
    )

    # A late report for January corrects February (paid): only the difference is booked.
    declared = {kind: amount for i, kind, amount in household.incomes if i == 0}
    corrected = {**declared, household.correction[0]: household.correction[1]}
    _report(office, case.pk, people[0], JAN, corrected)
    feb_correct = _latest(case.pk, FEB).payment_cents - feb.recovery_cents
    assert feb.amount_cents + _month_adjustments(feb) == feb_correct
    assert feb_correct < feb.amount_cents  # more income than declared: an overpayment
    balance_after_correction = feb.amount_cents - feb_correct
    assert (
        LedgerEntry.objects.filter(benefit_unit=case).aggregate(t=Sum("amount_cents"))["t"]
        == balance_after_correction
    )

    # The same report again books nothing.
    before = LedgerEntry.objects.filter(benefit_unit=case).count()
    _report(office, case.pk, people[0], JAN, corrected)
    assert LedgerEntry.objects.filter(benefit_unit=case).count() == before

    # March: February's income reported on time; the balance is recovered by deduction.
    _report(office, case.pk, people[0], FEB, declared or {"other": "0.00"})
    mar_run = _run(office, in_memory_queue, MAR)
    mar = _check_month(office, mar_run, case, MAR, household)
    assert mar.recovery_cents > 0
    assert mar.recovery_cents <= balance_after_correction

    # The correction taken back: February is back to what was issued; the recovery taken in
    # March for a debt that no longer exists is owed to the client, the balance is nil.
    _report(office, case.pk, people[0], JAN, declared or {household.correction[0]: "0.00"})
    assert _month_adjustments(feb) == 0
    money = call(office.worker_api, "get", f"/api/payments/cases/{case.pk}/money")
    assert money["overpayment_balance"] == "0.00"
    assert (
        money["underpayment_owed"] == f"{mar.recovery_cents // 100}.{mar.recovery_cents % 100:02d}"
    )
