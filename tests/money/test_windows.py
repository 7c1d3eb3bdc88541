"""Money between two steps: what changes between a determination and its grant, between a dry
run and its release, and what a repayment may take while a recovery waits in a run."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from caseworks.applications.models import Application
from caseworks.applications.services import ApplicationFacts, IncomeFacts, application_update
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_member_end
from caseworks.core.errors import ApplicationError
from caseworks.payments.constants import LedgerEntryKind
from caseworks.payments.models import LedgerEntry, Payment, PaymentRunLine
from caseworks.payments.recalc import recalculation_apply
from caseworks.payments.runs import payment_run_approve, payment_run_dry_run, payment_run_prepare
from caseworks.payments.services import (
    income_report_record,
    ledger_entry_record,
    overpayment_record,
)

from .conftest import Office, call
from .test_journeys import (
    HOUSEHOLDS,
    Household,
    Member,
    _apply,
    _apply_again,
    _determine,
    _report,
    _run,
    run_queued_jobs,
)

pytestmark = pytest.mark.django_db
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
SINGLE_EARNER = next(h for h in HOUSEHOLDS if h.key == "single-earnings-en")


def test_a_report_recorded_between_dry_run_and_release_is_booked_at_the_release(
    office: Office, in_memory_queue: Any
) -> None:
    """February is dry-run and approved on the carried $300 of earnings; January's real $500
    arrives before the release: February is paid $433.00 as approved, and the release books
    the $200.00 overpayment at once (733 − 500 = 233 due)."""
    granted = _apply(office, SINGLE_EARNER)
    case_id, person_id = granted["case_id"], granted["people"][0]
    _run(office, in_memory_queue, JAN)
    run = call(
        office.prepare_api, "post", "/api/payments/runs", {"benefit_month": "2026-02"}, status=202
    )
    run_queued_jobs(in_memory_queue)
    call(office.approve_api, "post", f"/api/payments/runs/{run['id']}/approve", status=200)
    _report(office, case_id, person_id, JAN, {"earnings": "500.00"})
    call(office.approve_api, "post", f"/api/payments/runs/{run['id']}/release", status=202)
    run_queued_jobs(in_memory_queue)
    feb = Payment.objects.get(benefit_unit_id=case_id, benefit_month=FEB)
    assert feb.amount_cents == 43_300
    entry = LedgerEntry.objects.get(payment=feb)
    assert (entry.kind, entry.amount_cents) == (LedgerEntryKind.OVERPAYMENT, 20_000)


def test_a_grant_on_a_determination_older_than_the_application_is_refused(
    office: Office,
) -> None:
    """The grant writes the application's facts as the first versions; they must be the facts
    the notice was calculated from."""
    api = office.worker_api
    person = call(
        api,
        "post",
        "/api/clients",
        {"first_name": "Ines", "last_name": "Window", "date_of_birth": "1990-01-01"},
    )
    determination = _apply_again(
        office, person["id"], "2026-01-05", {"shelter_type": "rent", "shelter_cost": "800.00"}
    )
    assert determination["payment_cents"] == 73_300
    stored = Application.objects.get(benefit_unit_id=determination["benefit_unit_id"])
    application_update(
        acting_user=office.caseworker,
        application=stored,
        facts=ApplicationFacts(
            incomes=[
                IncomeFacts(
                    person_id=person["id"],
                    income_type="employment_insurance",
                    monthly_amount_cents=30_000,
                )
            ]
        ),
    )
    answer = call(
        api,
        "post",
        f"/api/determinations/{determination['id']}/decision",
        {"outcome": "grant", "effective_on": "2026-01-05"},
        status=422,
    )
    assert answer["detail"][0]["field"] == "determination"


def test_a_report_on_file_that_differs_from_the_application_stops_the_grant(
    office: Office,
) -> None:
    """$100 of EI reported for December (the income the first payment reads) before the grant,
    on an application declaring $300 of earnings only: the first payment would not be the
    notice, so the grant is refused, naming the incomes."""
    household = Household(
        "on-file",
        "en",
        [Member("Olu", "applicant", "1990-01-01")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
        incomes=[(0, "earnings", "300.00")],
    )
    determined = _determine(office, household)
    case = BenefitUnit.objects.get(pk=determined["case_id"])
    income_report_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        person=case.members.get().person,
        income_month=dt.date(2025, 12, 1),
        amounts_cents={"employment_insurance": 10_000},
    )
    answer = call(
        office.worker_api,
        "post",
        f"/api/determinations/{determined['determination']['id']}/decision",
        {"outcome": "grant", "effective_on": "2026-01-05"},
        status=422,
    )
    assert answer["detail"][0]["field"] == "incomes"
    assert case.status == "pending"


def test_repayment_cannot_take_the_recovery_a_run_already_holds(
    office: Office, in_memory_queue: Any
) -> None:
    """A $300.00 balance; February's dry run recovers $73.30 (10 % of $733); a repayment of the
    whole $300.00 before the release would leave the balance at −$73.30: refused."""
    household = Household(
        "repay",
        "en",
        [Member("Rae", "applicant", "1990-01-01")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    _report(office, case.pk, granted["people"][0], dt.date(2025, 12, 1), {"earnings": "300.00"})
    run = payment_run_prepare(
        acting_user=office.supervisor, delivery_partner=office.partner, benefit_month=FEB
    )
    run = payment_run_dry_run(acting_user=office.supervisor, run=run)
    payment_run_approve(acting_user=office.supervisor2, run=run)
    assert PaymentRunLine.objects.get(run=run, benefit_unit=case).recovery_cents == 7_330
    with pytest.raises(ApplicationError):
        ledger_entry_record(
            acting_user=office.caseworker,
            benefit_unit=case,
            kind=LedgerEntryKind.REPAYMENT,
            amount_cents=30_000,
            reason="Paid in full at the counter",
        )
    ledger_entry_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        kind=LedgerEntryKind.REPAYMENT,
        amount_cents=30_000 - 7_330,
        reason="Paid the rest at the counter",
    )


def test_a_manual_overpayment_counts_the_corrections_already_booked_for_the_month(
    office: Office, in_memory_queue: Any
) -> None:
    """January paid $733.00; a diet confirmed from January booked a $40.00 underpayment (what
    was issued for January is now $773.00). Correct amount $700.00 → overpayment $73.00."""
    household = Household(
        "manual",
        "en",
        [Member("Mo", "applicant", "1990-01-01")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    from caseworks.payments.circumstances import member_circumstances_change_record  # noqa: PLC0415

    recalculation_apply(
        acting_user=office.caseworker,
        benefit_unit=case,
        from_month=JAN,
        edit=lambda: member_circumstances_change_record(
            acting_user=office.caseworker,
            benefit_unit=case,
            person=case.members.get().person,
            effective_month=JAN,
            full_time_student=False,
            pregnant_or_breastfeeding=False,
            special_diet_cents=4_000,
            child_care_costs_cents=0,
            reason="Diet confirmed from January",
        ),
    )
    payment = Payment.objects.get(benefit_unit=case, benefit_month=JAN)
    entry = overpayment_record(
        acting_user=office.caseworker,
        payment=payment,
        correct_amount_cents=70_000,
        reason="Found later",
        notify=False,
    )
    assert entry.amount_cents == 7_300


def test_a_month_is_not_prepared_before_the_one_before_is_released(
    office: Office, in_memory_queue: Any
) -> None:
    payment_run_prepare(
        acting_user=office.supervisor, delivery_partner=office.partner, benefit_month=JAN
    )
    with pytest.raises(ApplicationError, match="2026-01"):
        payment_run_prepare(
            acting_user=office.supervisor, delivery_partner=office.partner, benefit_month=FEB
        )


def test_a_departed_members_old_earnings_do_not_flag_the_case(
    office: Office, in_memory_queue: Any
) -> None:
    household = Household(
        "departed",
        "en",
        [Member("Ada", "applicant", "1985-01-01"), Member("Bo", "spouse", "1986-01-01")],
        {"shelter_type": "rent", "shelter_cost": "1000.00"},
        incomes=[(0, "earnings", "100.00"), (1, "earnings", "200.00")],
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    spouse = case.members.get(person_id=granted["people"][1])
    benefit_unit_member_end(
        acting_user=office.caseworker,
        member=spouse,
        end_on=dt.date(2026, 1, 10),
        reason="Moved out",
    )
    _report(office, case.pk, granted["people"][0], JAN, {"earnings": "100.00"})
    run = _run(office, in_memory_queue, FEB)
    line = PaymentRunLine.objects.get(run_id=run["id"], benefit_unit=case)
    assert line.exceptions == []


def test_a_member_who_left_on_a_past_date_is_booked_after_checking_the_paid_months(
    office: Office, in_memory_queue: Any
) -> None:
    """A lone parent with a child, paid January and February; on the case page the child is
    recorded as having left on 2026-01-15. February was due for one person only: basic needs
    $343 + shelter $390 = $733, against $1,002.00 paid for two (basic needs $360 + shelter for
    two $642): a $269.00 overpayment, booked once the paid months are checked."""
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    household = Household(
        "left",
        "en",
        [Member("Lena", "applicant", "1990-01-01"), Member("Kai", "dependant_child", "2018-01-01")],
        {"shelter_type": "rent", "shelter_cost": "1000.00"},
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    _run(office, in_memory_queue, FEB)
    assert Payment.objects.get(benefit_unit=case, benefit_month=FEB).amount_cents == 100_200
    child = case.members.get(person_id=granted["people"][1])
    web = Client()
    web.force_login(office.caseworker)
    case.refresh_from_db()
    response = web.post(
        reverse("cases:member_end", args=[case.pk, child.pk]),
        {
            f"end-{child.pk}-end_on": "2026-01-15",
            f"end-{child.pk}-reason": "Went to live with the other parent",
            f"end-{child.pk}-expected_version": case.version,
        },
        follow=True,
    )
    assert "reaches months already paid (from 2026-02)" in response.content.decode()
    assert not LedgerEntry.objects.filter(benefit_unit=case).exists()
    case.refresh_from_db()
    preview = call(
        office.worker_api,
        "post",
        f"/api/payments/cases/{case.pk}/recalculations",
        {"from_month": "2026-01", "expected_version": case.version},
        status=200,
    )
    assert preview["months"] == [
        {
            "benefit_month": "2026-02",
            "paid": True,
            "old_payment": "1002.00",
            "new_payment": "733.00",
            "difference": "-269.00",
        }
    ]
    data = {"recalc-from_month": "2026-01", "recalc-expected_version": case.version}
    page = web.post(
        reverse("payments:recalculate", args=[case.pk]),
        {**data, "idempotency_key": uuid.uuid4().hex},
    )
    assert "Check before saving" in page.content.decode()
    web.post(
        reverse("payments:recalculate", args=[case.pk]),
        {**data, "confirm": "1", "idempotency_key": uuid.uuid4().hex},
    )
    entry = LedgerEntry.objects.get(benefit_unit=case)
    assert (entry.kind, entry.amount_cents, entry.benefit_month) == ("overpayment", 26_900, FEB)


def _approved(office: Office, month: dt.date) -> Any:
    run = payment_run_prepare(
        acting_user=office.supervisor, delivery_partner=office.partner, benefit_month=month
    )
    run = payment_run_dry_run(acting_user=office.supervisor, run=run)
    return payment_run_approve(acting_user=office.supervisor2, run=run)


def test_a_case_that_cannot_be_corrected_after_the_dry_run_never_holds_the_release(
    office: Office, in_memory_queue: Any
) -> None:
    """The case is closed at the end of January between February's approval and its release:
    February cannot be calculated any more (no applicant on the 1st). The run is released all
    the same (the money is out), and the caseworker gets a task to check the payment."""
    from caseworks.cases.constants import CaseStatus  # noqa: PLC0415
    from caseworks.cases.models import Task  # noqa: PLC0415
    from caseworks.cases.services import case_status_change  # noqa: PLC0415
    from caseworks.payments.constants import RunStatus  # noqa: PLC0415
    from caseworks.payments.runs import payment_run_release, payment_runs_stalled  # noqa: PLC0415

    granted = _apply(office, SINGLE_EARNER)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    _report(office, case.pk, granted["people"][0], JAN, {"earnings": "300.00"})
    run = _approved(office, FEB)
    case.refresh_from_db()
    case_status_change(
        acting_user=office.caseworker,
        benefit_unit=case,
        to_status=CaseStatus.CLOSED,
        reason="Found full-time work",
        effective_on=dt.date(2026, 1, 31),
    )
    run = payment_run_release(acting_user=office.supervisor2, run=run)
    assert run.status == RunStatus.RELEASED
    assert Payment.objects.filter(run=run).count() == 1
    assert payment_runs_stalled() == []
    assert Task.objects.filter(benefit_unit=case, kind="payment_check_after_release").count() == 1
    # Released again (a resumed job): no second task, nothing booked.
    payment_run_release(acting_user=office.supervisor2, run=run)
    assert Task.objects.filter(benefit_unit=case, kind="payment_check_after_release").count() == 1
    payment_run_prepare(
        acting_user=office.supervisor,
        delivery_partner=office.partner,
        benefit_month=dt.date(2026, 3, 1),
    )


def test_the_directive_5_3_waiver_counts_only_the_months_the_person_was_in_the_case(
    office: Office, in_memory_queue: Any
) -> None:
    """Fiona left her spouse's case on 2026-01-10 after one month in receipt, without earnings;
    the case went on being paid on his earnings. Applying alone in April she has no waiver."""
    from caseworks.eligibility.models import Determination  # noqa: PLC0415

    household = Household(
        "left-couple",
        "en",
        [Member("Ewan", "applicant", "1985-01-20"), Member("Fiona", "spouse", "1987-03-03")],
        {"shelter_type": "rent", "shelter_cost": "1200.00"},
        incomes=[(0, "earnings", "600.00")],
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    ewan, fiona = granted["people"]
    _run(office, in_memory_queue, JAN)
    benefit_unit_member_end(
        acting_user=office.caseworker,
        member=case.members.get(person_id=fiona),
        end_on=dt.date(2026, 1, 10),
        reason="Separated",
    )
    for month in (JAN, FEB):
        _report(office, case.pk, ewan, month, {"earnings": "600.00"})
        _run(office, in_memory_queue, month + dt.timedelta(days=31))
    answer = _apply_again(
        office,
        fiona,
        "2026-04-02",
        {
            "shelter_type": "rent",
            "shelter_cost": "700.00",
            "incomes": [
                {"person_id": fiona, "income_type": "earnings", "monthly_amount": "400.00"}
            ],
        },
    )
    determination = Determination.objects.get(pk=answer["id"])
    assert determination.situation["months_in_receipt"] == 0
    assert answer["payment_cents"] == 33_300  # 733 − 400, no exemption yet


def test_a_write_off_while_the_dry_run_is_writing_cannot_take_its_recovery(
    office: Office, in_memory_queue: Any, monkeypatch: Any
) -> None:
    from caseworks.payments.services import runs as runs_module  # noqa: PLC0415

    household = Household(
        "draft-write-off",
        "en",
        [Member("Dina", "applicant", "1990-01-01")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    _report(office, case.pk, granted["people"][0], dt.date(2025, 12, 1), {"earnings": "300.00"})
    real_totals = runs_module._run_totals
    refused: list[bool] = []

    def write_off_between_the_last_chunk_and_the_end(run: Any) -> None:
        try:
            ledger_entry_record(
                acting_user=office.supervisor,
                benefit_unit=case,
                kind=LedgerEntryKind.WRITE_OFF,
                amount_cents=30_000,
                reason="Hardship",
            )
        except ApplicationError:
            refused.append(True)
        real_totals(run)

    monkeypatch.setattr(runs_module, "_run_totals", write_off_between_the_last_chunk_and_the_end)
    _approved(office, FEB)
    assert refused == [True]


def test_a_household_change_after_the_determination_stops_the_grant_an_address_does_not(
    office: Office,
) -> None:
    """A child added on the case page after the determination: the notice ($733.00 for one)
    would not be what the first run pays for two. A new address changes no amount."""
    from caseworks.cases.services import benefit_unit_member_add  # noqa: PLC0415
    from caseworks.clients.tests.factories import PersonFactory  # noqa: PLC0415

    household = next(h for h in HOUSEHOLDS if h.key == "single-no-income-cheque")
    determined = _determine(office, household)
    case = BenefitUnit.objects.get(pk=determined["case_id"])
    application = Application.objects.get(benefit_unit=case)
    application_update(
        acting_user=office.caseworker,
        application=application,
        facts=ApplicationFacts(city="Sudbury"),
    )
    child = PersonFactory(
        delivery_partner=office.partner, first_name="Kid", date_of_birth=dt.date(2019, 1, 1)
    )
    benefit_unit_member_add(
        acting_user=office.caseworker,
        benefit_unit=case,
        person=child,
        role="dependant_child",
        start_on=dt.date(2026, 1, 5),
    )
    decide = f"/api/determinations/{determined['determination']['id']}/decision"
    payload = {"outcome": "grant", "effective_on": "2026-01-05"}
    answer = call(office.worker_api, "post", decide, payload, status=422)
    assert answer["detail"][0]["field"] == "determination"


def test_one_members_matching_report_on_file_lets_the_grant_write_the_others(
    office: Office, in_memory_queue: Any
) -> None:
    household = next(h for h in HOUSEHOLDS if h.key == "couple-earnings")
    determined = _determine(office, household)
    case = BenefitUnit.objects.get(pk=determined["case_id"])
    spouse = case.members.get(person_id=determined["people"][1]).person
    income_report_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        person=spouse,
        income_month=dt.date(2025, 12, 1),
        amounts_cents={"cpp": 12_000},
    )
    call(
        office.worker_api,
        "post",
        f"/api/determinations/{determined['determination']['id']}/decision",
        {"outcome": "grant", "effective_on": "2026-01-05"},
    )
    _run(office, in_memory_queue, JAN)
    january = Payment.objects.get(benefit_unit=case, benefit_month=JAN)
    assert january.amount_cents == determined["determination"]["payment_cents"]


def test_months_are_run_in_order_even_across_a_month_without_a_run(
    office: Office, in_memory_queue: Any
) -> None:
    _apply(office, SINGLE_EARNER)
    _run(office, in_memory_queue, JAN)
    with pytest.raises(ApplicationError, match="Run 2026-02 first"):
        payment_run_prepare(
            acting_user=office.supervisor,
            delivery_partner=office.partner,
            benefit_month=dt.date(2026, 3, 1),
        )


def test_the_new_money_routes_log_the_read_and_refuse_another_partner(
    office: Office, other_caseworker: Any
) -> None:
    from caseworks.clients.models import ClientFileAccess  # noqa: PLC0415

    from .conftest import bearer  # noqa: PLC0415

    granted = _apply(office, SINGLE_EARNER)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    payload = {"from_month": "2026-01", "expected_version": case.version}
    path = f"/api/payments/cases/{case.pk}/recalculations"
    call(bearer(other_caseworker), "post", path, payload, status=404)
    assert not ClientFileAccess.objects.filter(view_name="api:payments_recalculation").exists()
    call(office.worker_api, "post", path, payload, status=200)
    assert ClientFileAccess.objects.filter(
        view_name="api:payments_recalculation", user=office.caseworker
    ).exists()
    assert ClientFileAccess.objects.filter(view_name="api:application_verification").exists()
