"""A small hand-built dataset whose every figure is worked out in the tests.

Rows are written with the ORM (not the services) so each date is exactly what the test says;
the services are tested in their own apps. Period: January to March 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.models import Application
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseStatusChange
from caseworks.clients.tests.factories import PersonFactory
from caseworks.eligibility.models import Decision, Determination
from caseworks.employment.models import (
    AssistanceExit,
    EmploymentOutcome,
    OutcomeFollowUp,
    Referral,
    ServiceProvider,
)
from caseworks.payments.models import IncomeReport, LedgerEntry
from caseworks.plans.models import ParticipationAgreement, PlanReview
from caseworks.reporting.measures.base import ReportFilters
from caseworks.reviews.models import Appeal, InternalReview

D = dt.date
PERIOD = ReportFilters(month_from=D(2026, 1, 1), month_to=D(2026, 3, 1))
AS_OF = D(2027, 6, 30)  # every 3/6/12-month return window of a Q1 2026 exit has ended

_counter = iter(range(1, 100000))


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12, 0))


@dataclass
class Built:
    partner: Any
    worker: Any
    cases: dict[str, list[BenefitUnit]] = field(default_factory=dict)


def make_case(
    partner: Any,
    worker: Any,
    *,
    status: str,
    opened_on: dt.date,
    granted_on: dt.date | None = None,
    closed_on: dt.date | None = None,
    children: int = 0,
    spouse: bool = False,
    office: Any = None,
) -> BenefitUnit:
    n = next(_counter)
    unit = BenefitUnit.objects.create(
        case_number=f"T{n:07d}",
        delivery_partner=partner,
        office=office,
        caseworker=worker,
        status=status,
        opened_on=opened_on,
        status_changed_on=closed_on or granted_on or opened_on,
        closed_on=closed_on,
    )
    applicant = PersonFactory(delivery_partner=partner)
    BenefitUnitMember.objects.create(
        benefit_unit=unit, person=applicant, role="applicant", start_on=opened_on, end_on=closed_on
    )
    if spouse:
        BenefitUnitMember.objects.create(
            benefit_unit=unit,
            person=PersonFactory(delivery_partner=partner),
            role="spouse",
            start_on=opened_on,
            end_on=closed_on,
        )
    for _i in range(children):
        BenefitUnitMember.objects.create(
            benefit_unit=unit,
            person=PersonFactory(delivery_partner=partner),
            role="dependant_child",
            start_on=opened_on,
            end_on=closed_on,
        )
    if granted_on:
        CaseStatusChange.objects.create(
            benefit_unit=unit, from_status="pending", to_status="active", effective_on=granted_on
        )
    if closed_on:
        CaseStatusChange.objects.create(
            benefit_unit=unit, from_status="active", to_status="closed", effective_on=closed_on
        )
    return unit


def applicant(unit: BenefitUnit) -> Any:
    return unit.members.get(role="applicant").person


def build_partner_a(partner: Any) -> Built:
    """Partner A: see each test for the figures."""
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    built = Built(partner, worker)
    # 12 singles on assistance since 2025-03-01; 10 sole-support parents (1 child) since
    # 2026-01-15; 3 singles granted 2025-01-01 who left for work on 2026-02-10; 2 pending;
    # 2 denied.
    built.cases["singles"] = [
        make_case(
            partner, worker, status="active", opened_on=D(2025, 2, 20), granted_on=D(2025, 3, 1)
        )
        for _i in range(12)
    ]
    built.cases["parents"] = [
        make_case(
            partner,
            worker,
            status="active",
            opened_on=D(2026, 1, 5),
            granted_on=D(2026, 1, 15),
            children=1,
        )
        for _i in range(10)
    ]
    built.cases["exited"] = [
        make_case(
            partner,
            worker,
            status="closed",
            opened_on=D(2024, 12, 20),
            granted_on=D(2025, 1, 1),
            closed_on=D(2026, 2, 10),
        )
        for _i in range(3)
    ]
    built.cases["pending"] = [
        make_case(partner, worker, status="pending", opened_on=D(2026, 3, 20)) for _i in range(2)
    ]
    built.cases["denied"] = [
        make_case(partner, worker, status="denied", opened_on=D(2026, 2, 1)) for _i in range(2)
    ]
    _intake(built)
    _earnings(built)
    _exits(built)
    _jobs(built)
    _referrals(built)
    _plan_reviews(built)
    _ledger(built)
    _reviews(built)
    return built


def _decision(unit: BenefitUnit, worker: Any, outcome: str, decided: dt.date) -> None:
    determination = Determination.objects.create(
        benefit_unit=unit,
        benefit_month=decided.replace(day=1),
        result="eligible" if outcome == "grant" else "ineligible",
        rules_version="test",
        determined_by=worker,
        determined_at=_aware(decided),
    )
    Decision.objects.create(
        benefit_unit=unit,
        determination=determination,
        outcome=outcome,
        status="final",
        effective_on=decided,
        decided_by=worker,
        decided_at=_aware(decided),
    )


def _intake(built: Built) -> None:
    partner, worker = built.partner, built.worker
    for unit in built.cases["parents"]:  # applied 2026-01-05, granted 2026-01-15: 10 days
        Application.objects.create(
            benefit_unit=unit, delivery_partner=partner, status="granted", applied_on=D(2026, 1, 5)
        )
        _decision(unit, worker, "grant", D(2026, 1, 15))
    for unit in built.cases["denied"]:  # applied 2026-02-01, denied 2026-02-21: 20 days
        Application.objects.create(
            benefit_unit=unit, delivery_partner=partner, status="denied", applied_on=D(2026, 2, 1)
        )
        _decision(unit, worker, "deny", D(2026, 2, 21))
    for unit in built.cases["pending"]:  # received in March, not decided
        Application.objects.create(
            benefit_unit=unit,
            delivery_partner=partner,
            status="submitted",
            applied_on=D(2026, 3, 20),
        )


def _earnings(built: Built) -> None:
    # 11 of the 12 singles report $400.00 of earnings received in March 2026.
    for unit in built.cases["singles"][:11]:
        IncomeReport.objects.create(
            benefit_unit=unit,
            person=applicant(unit),
            income_month=D(2026, 3, 1),
            kind="earnings",
            amount_cents=40000,
            recorded_by=built.worker,
        )


def _exits(built: Built) -> None:
    for unit in built.cases["exited"]:
        AssistanceExit.objects.create(
            benefit_unit=unit, reason="employment", exit_on=D(2026, 2, 10), recorded_by=built.worker
        )
    # The second exited applicant applies again on 2026-07-01 (within 6 months, not 3).
    person = applicant(built.cases["exited"][1])
    unit = BenefitUnit.objects.create(
        case_number=f"T{next(_counter):07d}",
        delivery_partner=built.partner,
        caseworker=built.worker,
        status="pending",
        opened_on=D(2026, 7, 1),
        status_changed_on=D(2026, 7, 1),
    )
    BenefitUnitMember.objects.create(
        benefit_unit=unit, person=person, role="applicant", start_on=D(2026, 7, 1)
    )


def _jobs(built: Built) -> None:
    # 12 jobs started in February by the 12 singles: hours 15/25/35 (4 each); wage $17.60 for 8
    # and $16.00 for 4 (minimum wage $17.20); permanent for 6.
    for index, unit in enumerate(built.cases["singles"]):
        outcome = EmploymentOutcome.objects.create(
            benefit_unit=unit,
            person=applicant(unit),
            employer="Employer",
            start_on=D(2026, 2, 1),
            hours_per_week=Decimal((15, 25, 35)[index % 3]),
            hourly_wage_cents=1760 if index < 8 else 1600,
            minimum_wage_cents=1720,
            permanence="permanent" if index < 6 else "temporary",
            has_benefits=False,
            recorded_by=built.worker,
        )
        # 3-month follow-up due 2026-03-15: 9 still employed, 1 not, 2 not yet known.
        still = True if index < 9 else (False if index == 9 else None)
        OutcomeFollowUp.objects.create(
            outcome=outcome, months_after_start=3, due_on=D(2026, 3, 15), still_employed=still
        )


def _referrals(built: Built) -> None:
    provider = ServiceProvider.objects.create(
        delivery_partner=built.partner, name="Provider P", kind="employment_ontario"
    )
    # 12 sent 2026-02-02: 6 accepted, 3 completed, 1 declined, 2 unanswered (due 2026-02-12).
    statuses = ["accepted"] * 6 + ["completed"] * 3 + ["declined"] + ["sent"] * 2
    for unit, status in zip(built.cases["singles"], statuses, strict=True):
        Referral.objects.create(
            benefit_unit=unit,
            person=applicant(unit),
            provider=provider,
            purpose="Job search",
            consent_given=True,
            consent_recorded_on=D(2026, 2, 2),
            status=status,
            sent_on=D(2026, 2, 2),
            expected_response_days=10,
            response_due_on=D(2026, 2, 12),
            referred_by=built.worker,
        )


def _plan_reviews(built: Built) -> None:
    # 12 reviews due 2026-02-15: 8 done by then, 2 done late (2026-02-20), 2 never done.
    for index, unit in enumerate(built.cases["singles"]):
        agreement = ParticipationAgreement.objects.create(
            benefit_unit=unit,
            person=applicant(unit),
            status="active",
            start_on=D(2026, 1, 15),
            created_by=built.worker,
            signed_on=D(2026, 1, 15),
            signed_by="Client",
            signature_witnessed_by=built.worker,
        )
        reviewed = D(2026, 2, 14) if index < 8 else (D(2026, 2, 20) if index < 10 else None)
        PlanReview.objects.create(agreement=agreement, due_on=D(2026, 2, 15), reviewed_on=reviewed)


def _ledger(built: Built) -> None:
    # 10 overpayments of $100.00 (February); each repays $30.00 (March); one $50.00 write-off.
    for index, unit in enumerate(built.cases["singles"][:10]):
        LedgerEntry.objects.create(
            benefit_unit=unit,
            kind="overpayment",
            amount_cents=10000,
            reason="t",
            recorded_by=built.worker,
            recorded_at=_aware(D(2026, 2, 3)),
        )
        LedgerEntry.objects.create(
            benefit_unit=unit,
            kind="repayment",
            amount_cents=-3000,
            reason="t",
            recorded_by=built.worker,
            recorded_at=_aware(D(2026, 3, 3)),
        )
        if index == 0:
            LedgerEntry.objects.create(
                benefit_unit=unit,
                kind="write_off",
                amount_cents=-5000,
                reason="t",
                recorded_by=built.worker,
                recorded_at=_aware(D(2026, 3, 4)),
            )


def _reviews(built: Built) -> None:
    # 12 requested 2026-02-01 (due 2026-03-03): 8 decided on time, 2 late, 2 open;
    # of the 10 decided, 3 changed the decision (varied or reversed).
    for index, unit in enumerate(built.cases["singles"]):
        decided = index < 10
        review = InternalReview.objects.create(
            benefit_unit=unit,
            decision_description="d",
            decision_date=D(2026, 1, 20),
            decision_received_on=D(2026, 1, 23),
            requested_on=D(2026, 2, 1),
            request_due_on=D(2026, 2, 22),
            grounds="g",
            decision_due_on=D(2026, 3, 3),
            status="decided" if decided else "requested",
            outcome=("varied", "reversed", "varied")[index]
            if index < 3
            else ("confirmed" if decided else ""),
            decided_on=(D(2026, 3, 1) if index < 8 else D(2026, 3, 10)) if decided else None,
            recorded_by=built.worker,
        )
        if index < 2:  # two appeals filed in March; one decided: allowed
            Appeal.objects.create(
                review=review,
                benefit_unit=unit,
                filed_on=D(2026, 3, 5),
                filing_due_on=D(2026, 3, 31),
                status="decided" if index == 0 else "filed",
                outcome="allowed" if index == 0 else "",
                outcome_on=D(2026, 3, 25) if index == 0 else None,
                recorded_by=built.worker,
            )


def build_partner_b(partner: Any) -> Built:
    """Partner B: 5 singles active since 2025-06-01 (a small cell)."""
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    built = Built(partner, worker)
    built.cases["singles"] = [
        make_case(
            partner, worker, status="active", opened_on=D(2025, 5, 20), granted_on=D(2025, 6, 1)
        )
        for _i in range(5)
    ]
    return built
