"""The one rules-input builder: the ow-calc input for (case, benefit month) from the facts in
force that month. Every calculation goes through `rules_unit`: the phone pre-screen, the
eligibility determination, the monthly payment run, the recalculation of past months and (from
the stored determinations) the policy simulation.

Facts come from one of two loaders that fill the same records:
* `build_month_facts` (bulk, a handful of queries per chunk of cases, never per case — a month's
  run for the whole province builds 300,000 inputs): the dated versions written after the grant;
* `application_facts` (one pending application): what the application says. At the grant those
  very records are written as the first dated versions (`circumstances.py`), so the month the
  decision was calculated for is paid from the same input: the notice equals the payment.

For a benefit month M (its first day):
* members: those current on the 1st of M (or, for a case that opened during M, on its opening
  day), with their age on the 1st (`cases.BenefitUnitMember`, dated);
* case facts (housing, remote community, assets): the latest `CircumstancesChange` in force;
* member facts (student, pregnancy, special diet, child care): the latest
  `MemberCircumstancesChange` in force for each member;
* income: what was received in month M - 1 (the reporting lag, constants.REPORTING_LAG_CITATION).
  No report for that month is never read as zero income: the last known income carries on
  (see `_income_rows`). A case whose last known income included earnings had to report every
  month (ontario.ca "Working and earning while on Ontario Works"): it is paid on that income,
  shown as an exception in the run with the reason, and gets a task; the report, when it comes,
  is a correction of a paid month (`recalc`), which books the difference;
* months_in_receipt: last month's payment's count + 1; after a gap, Directive 5.3's waiver of the
  three-month rule (`_months_after_gap`); the application's count for a case never paid here;
* overpayment_recovery: the ledger balance and the case's rate, for the run only (a recalculated
  past month keeps the recovery stored on its payment: `with_recovery=False`).
"""

from __future__ import annotations

from .application import (
    application_facts,
    application_month_facts,
    prescreen_facts,
)
from .builder import (
    case_month_facts,
    member_ids,
    rules_unit,
    stored_incomes,
)
from .loader import (
    build_month_facts,
    iter_chunks,
)
from .types import (
    EXEMPTION_QUALIFYING_MONTHS,
    EXEMPTION_WAIVER_CITATION,
    EXEMPTION_WAIVER_MONTHS,
    MUST_REPORT_CITATION,
    NO_MEMBER_FACTS,
    ROLE_TO_RULES,
    CaseFacts,
    CaseMonthFacts,
    Member,
    MemberFacts,
    MonthFacts,
    age_on,
    default_rate_bp,
    income_month_for,
    month_start,
    rate_text,
)

__all__ = [
    "EXEMPTION_QUALIFYING_MONTHS",
    "EXEMPTION_WAIVER_CITATION",
    "EXEMPTION_WAIVER_MONTHS",
    "MUST_REPORT_CITATION",
    "NO_MEMBER_FACTS",
    "ROLE_TO_RULES",
    "CaseFacts",
    "CaseMonthFacts",
    "Member",
    "MemberFacts",
    "MonthFacts",
    "age_on",
    "application_facts",
    "application_month_facts",
    "build_month_facts",
    "case_month_facts",
    "default_rate_bp",
    "income_month_for",
    "iter_chunks",
    "member_ids",
    "month_start",
    "prescreen_facts",
    "rate_text",
    "rules_unit",
    "stored_incomes",
]
