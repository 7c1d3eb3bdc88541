"""The data each outcome measure reads: one function per source, returning a QuerySet.

The measures (the `measures` package) are written against this small interface: each source
names its model and the path from its rows to the case (BenefitUnit), which carries the delivery
partner and office the measure is grouped by. Reporting sits above every app it measures, so it
imports their models and enums directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from caseworks.applications.models import Application
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseStatusChange
from caseworks.eligibility.models import Decision, Determination
from caseworks.employment.models import (
    AssistanceExit,
    EmploymentOutcome,
    OutcomeFollowUp,
    Referral,
)
from caseworks.payments.models import IncomeReport, LedgerEntry
from caseworks.plans.models import PlanReview
from caseworks.reviews.models import Appeal, InternalReview


@dataclass(frozen=True)
class Source:
    queryset: QuerySet[Any]
    # Lookup prefix from a row to its BenefitUnit ("" for BenefitUnit itself).
    case_path: str


def _source(model: type[Model], case_path: str = "benefit_unit__") -> Source:
    return Source(model._default_manager.all(), case_path)


def cases() -> Source:
    return _source(BenefitUnit, "")


def memberships() -> Source:
    return _source(BenefitUnitMember)


def status_changes() -> Source:
    return _source(CaseStatusChange)


def applications() -> Source:
    return _source(Application)


def decisions() -> Source:
    return _source(Decision)


def determinations() -> Source:
    return _source(Determination)


def income_reports() -> Source:
    """Monthly income reported by recipients."""
    return _source(IncomeReport)


def ledger_entries() -> Source:
    """Overpayments, recoveries, repayments and write-offs."""
    return _source(LedgerEntry)


def internal_reviews() -> Source:
    return _source(InternalReview)


def appeals() -> Source:
    return _source(Appeal)


def assistance_exits() -> Source:
    """Cases leaving assistance with a reason."""
    return _source(AssistanceExit)


def employment_outcomes() -> Source:
    return _source(EmploymentOutcome)


def outcome_follow_ups() -> Source:
    return _source(OutcomeFollowUp, "outcome__benefit_unit__")


def referrals() -> Source:
    return _source(Referral)


def plan_reviews() -> Source:
    """Scheduled participation agreement reviews."""
    return _source(PlanReview, "agreement__benefit_unit__")
