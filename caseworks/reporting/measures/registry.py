"""The registry of measures: every key, its section, label and kind (docs/measures.md), and
how the figures depend on one another for suppression (SUPPRESSION.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..suppression import CellKind
from .base import RETURN_WINDOWS, FamilyType


@dataclass(frozen=True)
class Measure:
    key: str
    section: Promise
    label: Promise
    kind: CellKind
    source: str  # the sources.py function(s) it reads, for docs and "not yet computed"
    # Rows that add up to another shown row (secondary suppression within a column).
    additive_group: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure("caseload_cases", _("Caseload"), _("Cases at month end"), "count", "cases"),
    Measure(
        "caseload_beneficiaries",
        _("Caseload"),
        _("Beneficiaries at month end"),
        "count",
        "cases, memberships",
    ),
    *(
        Measure(
            f"caseload_family_{key}", _("Caseload"), label, "count", "cases, memberships", "family"
        )
        for key, label in FamilyType.CHOICES
    ),
    Measure(
        "applications_received", _("Intake"), _("Applications received"), "count", "applications"
    ),
    Measure("decisions_final", _("Intake"), _("Decisions made"), "count", "decisions"),
    Measure("grant_rate", _("Intake"), _("Grant rate (granted ÷ decisions)"), "rate", "decisions"),
    Measure(
        "days_to_decision",
        _("Intake"),
        _("Mean days from application to decision"),
        "days",
        "decisions, applications",
    ),
    Measure(
        "time_on_assistance",
        _("Time on assistance"),
        _("Mean months on assistance (active cases)"),
        "months",
        "cases",
    ),
    Measure(
        "time_on_assistance_under_1y",
        _("Time on assistance"),
        _("On assistance under 1 year"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "time_on_assistance_1_2y",
        _("Time on assistance"),
        _("On assistance 1 to 2 years"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "time_on_assistance_2_3y",
        _("Time on assistance"),
        _("On assistance 2 to 3 years"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "time_on_assistance_3y_plus",
        _("Time on assistance"),
        _("On assistance 3 years or more"),
        "count",
        "cases",
        "tenure",
    ),
    Measure(
        "cases_with_earnings",
        _("Earnings"),
        _("Cases with earnings (% of caseload, last month)"),
        "rate",
        "income_reports",
    ),
    Measure(
        "average_earnings",
        _("Earnings"),
        _("Average monthly earnings of cases with earnings"),
        "money",
        "income_reports",
    ),
    Measure("exits_all", _("Exits"), _("Exits from assistance"), "count", "assistance_exits"),
    Measure("exits_employment", _("Exits"), _("Exits to employment"), "count", "assistance_exits"),
    Measure(
        "exits_employment_rate",
        _("Exits"),
        _("Exits to employment (% of average monthly caseload, period)"),
        "rate",
        "assistance_exits, cases",
    ),
    Measure(
        "exits_employment_rate_annual",
        _("Exits"),
        _("Exits to employment (% of average caseload, annualised)"),
        "rate",
        "assistance_exits, cases",
    ),
    *(
        Measure(
            f"returns_{n}m",
            _("Returns"),
            label,
            "rate",
            "assistance_exits, status_changes, memberships",
        )
        for n, label in (
            (3, _("Exits returning to assistance within 3 months")),
            (6, _("Exits returning to assistance within 6 months")),
            (12, _("Exits returning to assistance within 12 months")),
        )
    ),
    *(
        Measure(f"retained_{n}m", _("Employment retention"), label, "rate", "outcome_follow_ups")
        for n, label in (
            (1, _("Still employed at the 1-month follow-up")),
            (3, _("Still employed at the 3-month follow-up")),
            (6, _("Still employed at the 6-month follow-up")),
            (12, _("Still employed at the 12-month follow-up")),
        )
    ),
    Measure("jobs_started", _("Job quality"), _("Jobs started"), "count", "employment_outcomes"),
    Measure(
        "job_mean_hours", _("Job quality"), _("Mean hours per week"), "hours", "employment_outcomes"
    ),
    Measure(
        "job_hours_under_20",
        _("Job quality"),
        _("Jobs under 20 hours a week"),
        "count",
        "employment_outcomes",
        "hours",
    ),
    Measure(
        "job_hours_20_29",
        _("Job quality"),
        _("Jobs of 20 to 29 hours a week"),
        "count",
        "employment_outcomes",
        "hours",
    ),
    Measure(
        "job_hours_30_plus",
        _("Job quality"),
        _("Jobs of 30 hours a week or more (full time)"),
        "count",
        "employment_outcomes",
        "hours",
    ),
    Measure(
        "job_full_time_rate",
        _("Job quality"),
        _("Full-time jobs (30 hours or more)"),
        "rate",
        "employment_outcomes",
    ),
    Measure(
        "job_permanent_rate", _("Job quality"), _("Permanent jobs"), "rate", "employment_outcomes"
    ),
    Measure(
        "job_min_wage_rate",
        _("Job quality"),
        _("Jobs paying at least the Ontario minimum wage"),
        "rate",
        "employment_outcomes",
    ),
    Measure(
        "job_mean_wage", _("Job quality"), _("Mean hourly wage"), "money", "employment_outcomes"
    ),
    Measure("referrals_made", _("Referrals"), _("Referrals made"), "count", "referrals"),
    Measure(
        "referrals_accepted_rate", _("Referrals"), _("Referrals accepted"), "rate", "referrals"
    ),
    Measure("referrals_completed", _("Referrals"), _("Referrals completed"), "count", "referrals"),
    Measure("referrals_declined", _("Referrals"), _("Referrals declined"), "count", "referrals"),
    Measure(
        "referrals_unanswered",
        _("Referrals"),
        _("Referrals unanswered past their due date"),
        "count",
        "referrals",
    ),
    Measure(
        "plan_reviews_due",
        _("Participation agreements"),
        _("Agreement reviews due"),
        "count",
        "plan_reviews",
    ),
    Measure(
        "plan_reviews_on_time_rate",
        _("Participation agreements"),
        _("Agreement reviews done on time"),
        "rate",
        "plan_reviews",
    ),
    Measure(
        "plan_reviews_overdue",
        _("Participation agreements"),
        _("Agreement reviews overdue (not done)"),
        "count",
        "plan_reviews",
    ),
    Measure(
        "overpayments_raised",
        _("Overpayments"),
        _("Overpayments raised"),
        "count",
        "ledger_entries",
    ),
    Measure(
        "overpayments_raised_amount",
        _("Overpayments"),
        _("Overpayments raised (amount)"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "overpayments_recovered_amount",
        _("Overpayments"),
        _("Recovered (deductions and repayments)"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "overpayments_written_off_amount",
        _("Overpayments"),
        _("Written off"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "overpayments_outstanding_amount",
        _("Overpayments"),
        _("Outstanding at period end"),
        "money",
        "ledger_entries",
    ),
    Measure(
        "reviews_requested",
        _("Reviews and appeals"),
        _("Internal reviews requested"),
        "count",
        "internal_reviews",
    ),
    Measure(
        "reviews_on_time_rate",
        _("Reviews and appeals"),
        _("Internal reviews decided on time"),
        "rate",
        "internal_reviews",
    ),
    Measure(
        "reviews_changed_rate",
        _("Reviews and appeals"),
        _("Internal reviews that changed the decision"),
        "rate",
        "internal_reviews",
    ),
    Measure(
        "appeals_filed",
        _("Reviews and appeals"),
        _("Appeals filed with the Social Benefits Tribunal"),
        "count",
        "appeals",
    ),
    Measure("appeals_decided", _("Reviews and appeals"), _("Appeals decided"), "count", "appeals"),
    Measure(
        "appeals_allowed_rate",
        _("Reviews and appeals"),
        _("Appeals allowed (of appeals decided)"),
        "rate",
        "appeals",
    ),
)
MEASURES_BY_KEY = {m.key: m for m in MEASURES}

# The shown row each additive group of rows adds up to (Measure.additive_group).
ADDITIVE_TOTALS = {
    "family": "caseload_cases",
    "tenure": "caseload_cases",
    "hours": "jobs_started",
}

# (base, derived, mutual): the derived figure is worked out from the base count (a rate, mean
# or amount over its people, or the same people counted another way), so it is suppressed
# whenever the base is; mutual: each is a deterministic function of the other (beneficiaries
# are 2 × cases for couples without children, 1 × for singles; the annualised rate is the
# period rate × 12 ÷ months; full-time jobs ÷ jobs started is the full-time rate), so each is
# suppressed whenever the other is. SUPPRESSION.md, "Derived measures".
DERIVED: tuple[tuple[str, str, bool], ...] = (
    ("caseload_cases", "caseload_beneficiaries", True),
    ("caseload_cases", "time_on_assistance", False),
    ("caseload_cases", "cases_with_earnings", False),
    ("cases_with_earnings", "average_earnings", False),
    ("decisions_final", "grant_rate", False),
    ("decisions_final", "days_to_decision", False),
    ("exits_employment", "exits_employment_rate", False),
    ("exits_employment_rate", "exits_employment_rate_annual", True),
    *(("exits_all", f"returns_{n}m", False) for n in RETURN_WINDOWS),
    *(
        ("jobs_started", key, False)
        for key in (
            "job_mean_hours",
            "job_full_time_rate",
            "job_permanent_rate",
            "job_min_wage_rate",
            "job_mean_wage",
        )
    ),
    ("job_hours_30_plus", "job_full_time_rate", True),
    ("referrals_made", "referrals_accepted_rate", False),
    ("plan_reviews_due", "plan_reviews_on_time_rate", False),
    ("overpayments_raised", "overpayments_raised_amount", False),
    ("reviews_requested", "reviews_on_time_rate", False),
    ("reviews_requested", "reviews_changed_rate", False),
    ("appeals_decided", "appeals_allowed_rate", False),
)
