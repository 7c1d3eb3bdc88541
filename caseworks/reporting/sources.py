"""The data each outcome measure reads: one function per source, returning a QuerySet.

The measures in selectors.py are written against this small interface, so a source whose model
does not exist yet (or is renamed) is one function to change. A source whose model is absent
returns None and its measures are shown as "not yet computed" (never a made-up figure).

Each source also names the path from its rows to the case (BenefitUnit), which carries the
delivery partner and office the measure is grouped by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet


@dataclass(frozen=True)
class Source:
    queryset: QuerySet[Any]
    # Lookup prefix from a row to its BenefitUnit ("" for BenefitUnit itself).
    case_path: str


def _model(label: str) -> Any | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _source(label: str, case_path: str) -> Source | None:
    model = _model(label)
    if model is None:
        return None
    return Source(model._default_manager.all(), case_path)


def cases() -> Source:
    source = _source("cases.BenefitUnit", "")
    assert source is not None
    return source


def memberships() -> Source:
    source = _source("cases.BenefitUnitMember", "benefit_unit__")
    assert source is not None
    return source


def status_changes() -> Source:
    source = _source("cases.CaseStatusChange", "benefit_unit__")
    assert source is not None
    return source


def applications() -> Source | None:
    return _source("applications.Application", "benefit_unit__")


def decisions() -> Source | None:
    return _source("eligibility.Decision", "benefit_unit__")


def determinations() -> Source | None:
    return _source("eligibility.Determination", "benefit_unit__")


def income_reports() -> Source | None:
    """Monthly income reported by recipients (issue 5)."""
    return _source("payments.IncomeReport", "benefit_unit__")


def ledger_entries() -> Source | None:
    """Overpayments, recoveries, repayments and write-offs (issue 5)."""
    return _source("payments.LedgerEntry", "benefit_unit__")


def internal_reviews() -> Source | None:
    return _source("reviews.InternalReview", "benefit_unit__")


def appeals() -> Source | None:
    return _source("reviews.Appeal", "benefit_unit__")


def assistance_exits() -> Source | None:
    """Cases leaving assistance with a reason (issue 6)."""
    return _source("employment.AssistanceExit", "benefit_unit__")


def employment_outcomes() -> Source | None:
    return _source("employment.EmploymentOutcome", "benefit_unit__")


def outcome_follow_ups() -> Source | None:
    return _source("employment.OutcomeFollowUp", "outcome__benefit_unit__")


def referrals() -> Source | None:
    return _source("employment.Referral", "benefit_unit__")


def plan_reviews() -> Source | None:
    """Scheduled participation agreement reviews (issue 6)."""
    return _source("plans.PlanReview", "agreement__benefit_unit__")
