"""Each reproduction of the money-integrity issue as a named test. Expected figures are worked
by hand from the rates (O. Reg. 134/98 s. 41 and 42: a single person's basic needs $343 and
maximum shelter $390, so $733 with rent of $800) and the rules they cite."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from caseworks.cases.models import BenefitUnit, Task
from caseworks.documents.models import Document
from caseworks.eligibility.models import Determination
from caseworks.payments.circumstances import member_circumstances_change_record
from caseworks.payments.constants import LedgerEntryKind, PaymentActionKind
from caseworks.payments.models import LedgerEntry, Payment, PaymentRunLine
from caseworks.payments.services import (
    circumstances_change_record,
    payment_action_record,
)

from .conftest import Office, call
from .test_journeys import HOUSEHOLDS, Household, Member, _apply, _apply_again, _report, _run

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
SINGLE_NO_INCOME = Household(
    "single-no-income",
    "en",
    [Member("Wren", "applicant", "1990-01-01")],
    {"shelter_type": "rent", "shelter_cost": "800.00"},
)


def _granted(office: Office, household: Household) -> tuple[BenefitUnit, list[int], Any]:
    granted = _apply(office, household)
    return BenefitUnit.objects.get(pk=granted["case_id"]), granted["people"], granted


def _balance(case: BenefitUnit) -> int:
    kinds = ("overpayment", "recovery", "repayment", "write_off", "set_off")
    total = LedgerEntry.objects.filter(benefit_unit=case, kind__in=kinds).aggregate(
        t=Sum("amount_cents")
    )["t"]
    return int(total or 0)


def test_notice_equals_payment_single_declaring_300_earnings_rent_800(
    office: Office, in_memory_queue: Any
) -> None:
    """Reproduction 1: notice 43,300¢ but every run paid 73,300¢ (income read as zero)."""
    household = next(h for h in HOUSEHOLDS if h.key == "single-earnings-en")
    case, _people, granted = _granted(office, household)
    # 733.00 − 300.00 (no earnings exemption in the first three months, Directive 5.3)
    assert granted["determination"]["payment_cents"] == 43_300
    for month in (JAN, FEB):
        _run(office, in_memory_queue, month)
        assert Payment.objects.get(benefit_unit=case, benefit_month=month).amount_cents == 43_300
    assert not LedgerEntry.objects.filter(benefit_unit=case).exists()


def test_missing_income_report_is_never_zero_income(office: Office, in_memory_queue: Any) -> None:
    """February has no report for January: paid on the last known income ($300 of earnings),
    shown as an exception with a task, not as $733.00."""
    household = next(h for h in HOUSEHOLDS if h.key == "single-earnings-en")
    case, _people, _ = _granted(office, household)
    _run(office, in_memory_queue, JAN)
    run = _run(office, in_memory_queue, FEB)
    line = PaymentRunLine.objects.get(run_id=run["id"], benefit_unit=case)
    assert line.amount_cents == 43_300
    assert "2026-01" in line.exceptions[0]
    assert Task.objects.get(benefit_unit=case, kind="income_report_missing")
    web = Client()
    web.force_login(office.supervisor)
    page = web.get(reverse("payments:run_detail", args=[run["id"]])).content.decode()
    assert "Paid, but needing attention" in page
    assert case.case_number in page
    assert "$433.00" in page


def test_corrections_500_500_600_0_leave_the_balance_at_zero(
    office: Office, in_memory_queue: Any
) -> None:
    """Reproduction 2: $500, the same $500, $600, then $0 of earnings reported late for a paid
    month left seven entries and a balance of $1,929.80; the right balance is $0.00."""
    case, people, _g = _granted(office, SINGLE_NO_INCOME)
    _run(office, in_memory_queue, JAN)
    _run(office, in_memory_queue, FEB)
    feb = Payment.objects.get(benefit_unit=case, benefit_month=FEB)
    assert feb.amount_cents == 73_300
    _report(office, case.pk, people[0], JAN, {"earnings": "500.00"})
    assert _balance(case) == 50_000  # no exemption in the first three months: all $500
    _report(office, case.pk, people[0], JAN, {"earnings": "500.00"})
    assert _balance(case) == 50_000
    _report(office, case.pk, people[0], JAN, {"earnings": "600.00"})
    assert _balance(case) == 60_000
    _report(office, case.pk, people[0], JAN, {"earnings": "0.00"})
    assert _balance(case) == 0
    kinds = list(
        LedgerEntry.objects.filter(benefit_unit=case)
        .order_by("id")
        .values_list("kind", "amount_cents")
    )
    assert kinds == [
        (LedgerEntryKind.OVERPAYMENT, 50_000),
        (LedgerEntryKind.OVERPAYMENT, 10_000),
        (LedgerEntryKind.UNDERPAYMENT, 60_000),
        (LedgerEntryKind.SET_OFF, -60_000),
    ]
    money = call(office.worker_api, "get", f"/api/payments/cases/{case.pk}/money")
    assert money["overpayment_balance"] == "0.00"
    assert money["underpayment_owed"] == "0.00"
    # A notice for each overpayment, none for the rest.
    notices = LedgerEntry.objects.filter(benefit_unit=case, notice_en__isnull=False)
    assert notices.count() == 2
    web = Client()
    web.force_login(office.caseworker)
    page = web.get(reverse("payments:case_money", args=[case.pk])).content.decode()
    for entry in notices:
        assert reverse("documents:download", args=[entry.notice_fr_id]) in page


def test_no_op_edit_of_february_after_a_january_overpayment_books_nothing(
    office: Office, in_memory_queue: Any
) -> None:
    """Reproduction 2: the edit recalculated February with today's balance and recovery and
    booked 7,330¢ (10 % of $733)."""
    case, people, _g = _granted(office, SINGLE_NO_INCOME)
    _run(office, in_memory_queue, JAN)
    _run(office, in_memory_queue, FEB)
    _report(office, case.pk, people[0], dt.date(2025, 12, 1), {"earnings": "300.00"})
    assert _balance(case) == 30_000
    entries = LedgerEntry.objects.filter(benefit_unit=case).count()
    _report(office, case.pk, people[0], JAN, {"earnings": "0.00"})  # what February assumed
    assert LedgerEntry.objects.filter(benefit_unit=case).count() == entries
    assert _balance(case) == 30_000


def test_unreported_ei_of_100_found_later_books_100(office: Office, in_memory_queue: Any) -> None:
    """Reproduction 2: $100 of EI found for a month paid with a recovery deducted booked $26.70.
    EI is deducted dollar for dollar (O. Reg. 134/98 s. 48; Directive 6.1): $100.00."""
    case, people, _g = _granted(office, SINGLE_NO_INCOME)
    _run(office, in_memory_queue, JAN)
    _report(office, case.pk, people[0], dt.date(2025, 12, 1), {"earnings": "300.00"})
    _run(office, in_memory_queue, FEB)
    feb = Payment.objects.get(benefit_unit=case, benefit_month=FEB)
    assert feb.recovery_cents == 7_330  # 10 % of $733 (the month's amount before recovery)
    before = _balance(case)
    # February was paid on the last known income ($300 of December earnings); January's
    # report shows the same earnings and $100 of EI that had not been reported.
    _report(
        office,
        case.pk,
        people[0],
        JAN,
        {"earnings": "300.00", "employment_insurance": "100.00"},
    )
    entry = LedgerEntry.objects.filter(benefit_unit=case).latest("id")
    assert (entry.kind, entry.amount_cents) == (LedgerEntryKind.OVERPAYMENT, 10_000)
    assert _balance(case) == before + 10_000


def test_assets_are_tested_again_after_a_change_of_circumstances(
    office: Office, in_memory_queue: Any
) -> None:
    """Reproduction 3: assets were read from the application forever. $12,000 in the bank is
    over a single person's $10,000 limit (O. Reg. 134/98 s. 38(1); Directive 4.2)."""
    case, _people, _g = _granted(office, SINGLE_NO_INCOME)
    _run(office, in_memory_queue, JAN)
    circumstances_change_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        effective_month=FEB,
        shelter_type="rent",
        shelter_cost_cents=80_000,
        assets=[{"type": "bank_account", "value_cents": 1_200_000}],
        reason="Inheritance deposited",
    )
    run = _run(office, in_memory_queue, FEB)
    line = PaymentRunLine.objects.get(run_id=run["id"], benefit_unit=case)
    assert line.amount_cents == 0
    assert not Payment.objects.filter(benefit_unit=case, benefit_month=FEB).exists()


def test_special_diet_allowance_stops_when_the_member_circumstances_change(
    office: Office, in_memory_queue: Any
) -> None:
    """Reproduction 3: allowances were paid forever from the application."""
    household = Household(
        "diet",
        "en",
        [Member("Yusuf", "applicant", "1980-01-01", special_diet="50.00")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
    )
    case, people, _g = _granted(office, household)
    _run(office, in_memory_queue, JAN)
    assert Payment.objects.get(benefit_unit=case, benefit_month=JAN).amount_cents == 78_300
    member_circumstances_change_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        person=case.members.get(person_id=people[0]).person,
        effective_month=FEB,
        full_time_student=False,
        pregnant_or_breastfeeding=False,
        special_diet_cents=0,
        child_care_costs_cents=0,
        reason="Special diet no longer confirmed",
    )
    _run(office, in_memory_queue, FEB)
    assert Payment.objects.get(benefit_unit=case, benefit_month=FEB).amount_cents == 73_300


def _exemption_case(office: Office, queue: Any) -> tuple[BenefitUnit, list[int]]:
    """Single, rent $800, $400 of earnings every month, paid January to April."""
    household = Household(
        "returning",
        "en",
        [Member("Zoe", "applicant", "1991-01-01")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
        incomes=[(0, "earnings", "400.00")],
    )
    case, people, _g = _granted(office, household)
    for month in (JAN, FEB, MAR, APR):
        _report(office, case.pk, people[0], month - dt.timedelta(days=1), {"earnings": "400.00"})
        _run(office, queue, month)
    return case, people


def test_earnings_exemption_applies_at_once_on_return_within_six_months_with_earnings(
    office: Office, in_memory_queue: Any
) -> None:
    """Reproduction 4 (Directive 5.3): months in receipt reset to 0 after any unpaid month, so
    the exemption vanished. Left with earnings after 3+ months, back within 6: it applies."""
    case, people = _exemption_case(office, in_memory_queue)
    assert Payment.objects.get(benefit_unit=case, benefit_month=APR).months_in_receipt == 3
    payment_action_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        kind=PaymentActionKind.HOLD,
        reason="Away (synthetic)",
        effective_on=dt.date(2026, 4, 20),
    )
    for month in (dt.date(2026, 5, 1), dt.date(2026, 6, 1)):
        _run(office, in_memory_queue, month)
        assert not Payment.objects.filter(benefit_unit=case, benefit_month=month).exists()
    payment_action_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        kind=PaymentActionKind.HOLD_RELEASED,
        reason="Back (synthetic)",
        effective_on=dt.date(2026, 6, 20),
    )
    _report(office, case.pk, people[0], dt.date(2026, 6, 1), {"earnings": "400.00"})
    _run(office, in_memory_queue, dt.date(2026, 7, 1))
    july = Payment.objects.get(benefit_unit=case, benefit_month=dt.date(2026, 7, 1))
    assert july.months_in_receipt == 4
    # $200 flat + 50 % of the $200 above it exempt: $100 counted → 733 − 100
    assert july.amount_cents == 63_300


def test_earnings_exemption_waits_three_months_after_a_return_without_earnings(
    office: Office, in_memory_queue: Any
) -> None:
    case, people = _exemption_case(office, in_memory_queue)
    # April's payment was calculated from March's income: report that nothing was earned in
    # March or April, so the person left without earnings.
    _report(office, case.pk, people[0], dt.date(2026, 3, 1), {"earnings": "0.00"})
    _report(office, case.pk, people[0], APR, {"earnings": "0.00"})
    payment_action_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        kind=PaymentActionKind.HOLD,
        reason="Away (synthetic)",
        effective_on=dt.date(2026, 4, 20),
    )
    _run(office, in_memory_queue, dt.date(2026, 5, 1))
    payment_action_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        kind=PaymentActionKind.HOLD_RELEASED,
        reason="Back (synthetic)",
        effective_on=dt.date(2026, 5, 20),
    )
    _report(office, case.pk, people[0], dt.date(2026, 5, 1), {"earnings": "400.00"})
    _run(office, in_memory_queue, dt.date(2026, 6, 1))
    june = Payment.objects.get(benefit_unit=case, benefit_month=dt.date(2026, 6, 1))
    assert june.months_in_receipt == 0
    assert june.amount_cents == 33_300  # 733 − 400: no exemption yet


def test_notices_are_documents_of_the_case(office: Office) -> None:
    case, _people, granted = _granted(office, SINGLE_NO_INCOME)
    for language in ("en", "fr"):
        document = Document.objects.get(pk=granted["decision"][f"notice_{language}_id"])
        assert document.benefit_unit_id == case.pk


def test_earnings_exemption_applies_at_once_on_a_new_application_within_six_months(
    office: Office, in_memory_queue: Any
) -> None:
    """Directive 5.3 looks at the person: Zoe was paid January to April with earnings (four
    consecutive months), her case closed in April, and she applies again on 2026-06-05 with
    $400 of earnings: the exemptions apply at once — $200 flat + 50 % of the $200 above it
    exempt, $100 counted: 733 − 100 = $633.00 (not 733 − 400 = $333.00)."""
    from caseworks.cases.constants import CaseStatus  # noqa: PLC0415
    from caseworks.cases.services import case_status_change  # noqa: PLC0415

    case, people = _exemption_case(office, in_memory_queue)
    case_status_change(
        acting_user=office.caseworker,
        benefit_unit=case,
        to_status=CaseStatus.CLOSED,
        reason="Found full-time work (synthetic)",
        effective_on=dt.date(2026, 4, 30),
    )
    determination = _apply_again(
        office,
        people[0],
        "2026-06-05",
        {
            "shelter_type": "rent",
            "shelter_cost": "800.00",
            "incomes": [
                {"person_id": people[0], "income_type": "earnings", "monthly_amount": "400.00"}
            ],
        },
    )
    assert determination["payment_cents"] == 63_300
    stored = Determination.objects.get(pk=determination["id"])
    assert stored.situation["months_in_receipt"] == 4
