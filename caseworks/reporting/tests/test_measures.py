"""Each measure on the hand-built dataset (tests/dataset.py), the arithmetic in comments.

compute_measures returns unsuppressed figures; suppression is tested in test_suppression.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseworks.reporting.selectors import (
    PROVINCE,
    ReportFilters,
    compute_measures,
    referrals_by_provider,
)

from .dataset import AS_OF, PERIOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(dataset: Any) -> Any:
    return compute_measures(filters=PERIOD, as_of=AS_OF)


def _v(results: Any, key: str, group: Any) -> Any:
    return results.cells[key][group].value


def _one_decimal(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


def test_compute_measures_counts_caseload_when_cases_active_at_month_end(
    results: Any, partner: Any, other_partner: Any
) -> None:
    a, b = partner.pk, other_partner.pk
    # A at 2026-03-31: 12 singles + 10 sole-support parents = 22 (3 closed in Feb, 2 pending,
    # 2 denied and the July re-application are not on the caseload).
    assert _v(results, "caseload_cases", a) == 22
    assert _v(results, "caseload_cases", b) == 5
    assert _v(results, "caseload_cases", PROVINCE) == 27
    # Beneficiaries: 12 singles + 10 × (parent + child) = 32; B: 5; province 37.
    assert _v(results, "caseload_beneficiaries", a) == 32
    assert _v(results, "caseload_beneficiaries", PROVINCE) == 37
    assert _v(results, "caseload_family_single", a) == 12
    assert _v(results, "caseload_family_sole_support", a) == 10
    assert _v(results, "caseload_family_couple", a) == 0
    assert _v(results, "caseload_family_single", PROVINCE) == 17


def test_compute_measures_averages_time_on_assistance_when_cases_active(
    results: Any, partner: Any
) -> None:
    # Days on assistance at 2026-03-31: singles since 2025-03-01 = 395; parents since
    # 2026-01-15 = 75. Mean = (12×395 + 10×75) / 22 = 5490 / 22 = 249.545 days
    # = 249.545 / 30.4375 = 8.198 months → 8.2.
    assert _one_decimal(_v(results, "time_on_assistance", partner.pk)) == Decimal("8.2")
    assert _v(results, "time_on_assistance_under_1y", partner.pk) == 10
    assert _v(results, "time_on_assistance_1_2y", partner.pk) == 12
    assert _v(results, "time_on_assistance_3y_plus", partner.pk) == 0


def test_compute_measures_series_counts_each_month_end(results: Any, partner: Any) -> None:
    # Jan 31: 12 + 10 + 3 (not yet exited) = 25; Feb 28: 22; Mar 31: 22.
    series = [cell.value for _m, cell in results.series["caseload_cases"][partner.pk]]
    assert series == [25, 22, 22]


def test_compute_measures_intake_when_applications_decided(results: Any, partner: Any) -> None:
    # Received in Q1: 10 (Jan) + 2 (Feb) + 2 (Mar) = 14.
    assert _v(results, "applications_received", partner.pk) == 14
    # Decisions: 10 grants + 2 denials = 12; grant rate 10/12 = 83.3%.
    assert _v(results, "decisions_final", partner.pk) == 12
    assert _one_decimal(_v(results, "grant_rate", partner.pk)) == Decimal("83.3")
    # Days: (10 × 10 + 2 × 20) / 12 = 140 / 12 = 11.67 → 11.7.
    assert _one_decimal(_v(results, "days_to_decision", partner.pk)) == Decimal("11.7")


def test_compute_measures_earnings_when_cases_report_earnings(results: Any, partner: Any) -> None:
    # 11 of 22 active cases reported earnings in March: 50.0%; mean $400.00.
    cell = results.cells["cases_with_earnings"][partner.pk]
    assert (cell.numerator, cell.denominator) == (11, 22)
    assert _one_decimal(cell.value) == Decimal("50.0")
    assert _v(results, "average_earnings", partner.pk) == 40000


def test_compute_measures_exits_and_returns_when_cases_leave_for_work(
    results: Any, partner: Any
) -> None:
    assert _v(results, "exits_all", partner.pk) == 3
    assert _v(results, "exits_employment", partner.pk) == 3
    # Average month-end caseload = (25 + 22 + 22) / 3 = 23; 3 / 23 = 13.04% → 13.0;
    # annualised × 12/3 = 52.17% → 52.2.
    cell = results.cells["exits_employment_rate"][partner.pk]
    assert (cell.numerator, cell.denominator) == (3, 23)
    assert _one_decimal(cell.value) == Decimal("13.0")
    assert _one_decimal(_v(results, "exits_employment_rate_annual", partner.pk)) == Decimal("52.2")
    # One of the 3 applies again on 2026-07-01: after 3 months (2026-05-10), within 6 and 12.
    assert _v(results, "returns_3m", partner.pk) == 0
    assert _one_decimal(_v(results, "returns_6m", partner.pk)) == Decimal("33.3")
    assert _one_decimal(_v(results, "returns_12m", partner.pk)) == Decimal("33.3")


def test_compute_measures_job_quality_when_jobs_started(results: Any, partner: Any) -> None:
    a = partner.pk
    assert _v(results, "jobs_started", a) == 12
    # Hours (4×15 + 4×25 + 4×35) / 12 = 300 / 12 = 25.0.
    assert _one_decimal(_v(results, "job_mean_hours", a)) == Decimal("25.0")
    assert [
        _v(results, k, a) for k in ("job_hours_under_20", "job_hours_20_29", "job_hours_30_plus")
    ] == [4, 4, 4]
    # Full time 4/12 = 33.3%; permanent 6/12 = 50.0%; at least minimum wage 8/12 = 66.7%.
    assert _one_decimal(_v(results, "job_full_time_rate", a)) == Decimal("33.3")
    assert _one_decimal(_v(results, "job_permanent_rate", a)) == Decimal("50.0")
    assert _one_decimal(_v(results, "job_min_wage_rate", a)) == Decimal("66.7")
    # Mean wage (8 × 1760 + 4 × 1600) / 12 = 20480 / 12 = 1706.67 → 1707 cents.
    assert _v(results, "job_mean_wage", a) == 1707


def test_compute_measures_retention_when_follow_ups_recorded(results: Any, partner: Any) -> None:
    # 3-month follow-ups: 9 employed, 1 not, 2 unknown → 9 / 10 = 90.0%.
    cell = results.cells["retained_3m"][partner.pk]
    assert (cell.numerator, cell.denominator) == (9, 10)
    assert _one_decimal(cell.value) == Decimal("90.0")
    assert results.cells["retained_6m"][partner.pk].value is None  # none due: no figure


def test_compute_measures_referrals_when_providers_answer(results: Any, partner: Any) -> None:
    a = partner.pk
    assert _v(results, "referrals_made", a) == 12
    # Accepted = accepted (6) + completed (3) = 9 / 12 = 75.0%.
    assert _one_decimal(_v(results, "referrals_accepted_rate", a)) == Decimal("75.0")
    assert _v(results, "referrals_completed", a) == 3
    assert _v(results, "referrals_declined", a) == 1
    assert _v(results, "referrals_unanswered", a) == 2
    rows = referrals_by_provider(filters=PERIOD, as_of=AS_OF)
    assert [(r["provider"], r["made"].value, r["unanswered"].value) for r in rows] == [
        ("Provider P", 12, 2)
    ]


def test_compute_measures_plan_reviews_when_some_late(results: Any, partner: Any) -> None:
    # 12 due; 8 on time → 66.7%; 2 never done → overdue.
    assert _v(results, "plan_reviews_due", partner.pk) == 12
    assert _one_decimal(_v(results, "plan_reviews_on_time_rate", partner.pk)) == Decimal("66.7")
    assert _v(results, "plan_reviews_overdue", partner.pk) == 2


def test_compute_measures_overpayments_when_raised_and_recovered(
    results: Any, partner: Any
) -> None:
    a = partner.pk
    assert _v(results, "overpayments_raised", a) == 10
    assert _v(results, "overpayments_raised_amount", a) == 100000  # 10 × $100.00
    assert _v(results, "overpayments_recovered_amount", a) == 30000  # 10 × $30.00
    assert _v(results, "overpayments_written_off_amount", a) == 5000
    # Outstanding = 1000.00 − 300.00 − 50.00 = 650.00.
    assert _v(results, "overpayments_outstanding_amount", a) == 65000


def test_compute_measures_reviews_and_appeals(results: Any, partner: Any) -> None:
    a = partner.pk
    assert _v(results, "reviews_requested", a) == 12
    # Decided 10: on time 8 → 80.0%; changed 3 → 30.0%.
    assert _one_decimal(_v(results, "reviews_on_time_rate", a)) == Decimal("80.0")
    assert _one_decimal(_v(results, "reviews_changed_rate", a)) == Decimal("30.0")
    assert _v(results, "appeals_filed", a) == 2
    assert _v(results, "appeals_decided", a) == 1
    assert _one_decimal(_v(results, "appeals_allowed_rate", a)) == Decimal("100.0")


def test_compute_measures_filters_family_type(dataset: Any, partner: Any) -> None:
    filters = ReportFilters(PERIOD.month_from, PERIOD.month_to, family_type="sole_support")
    results = compute_measures(filters=filters, as_of=AS_OF)
    assert results.cells["caseload_cases"][partner.pk].value == 10
    assert results.cells["caseload_beneficiaries"][partner.pk].value == 20


def test_compute_measures_query_count_does_not_grow_with_partners(dataset: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        compute_measures(filters=PERIOD, as_of=AS_OF)
    # One aggregate query per group of measures, whatever the number of cases or partners.
    assert len(queries) <= 16, [q["sql"][:120] for q in queries]
