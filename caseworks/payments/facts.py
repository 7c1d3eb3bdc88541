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

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.utils.translation import gettext as _

from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.core.money import format_cents
from caseworks.partners.models import DeliveryPartner

from .bulk import id_in
from .constants import (
    DEFAULT_RECOVERY_RATE_BP,
    FIRST_NATION_RECOVERY_RATE_BP,
    INCOME_REPORTING_LAG_MONTHS,
    IncomeKind,
)
from .ledger import overpayment_balances
from .models import (
    CircumstancesChange,
    IncomeReport,
    MemberCircumstancesChange,
    Payment,
    PaymentProfile,
)

ROLE_TO_RULES: dict[str, str] = {
    MemberRole.APPLICANT: "applicant",
    MemberRole.SPOUSE: "spouse",
    MemberRole.DEPENDANT_ADULT: "dependant",
    MemberRole.DEPENDANT_CHILD: "dependant",
}
# Directive 5.3: the earnings exemptions apply at once to a person who returns within 6 months
# of leaving assistance with earnings after at least 3 consecutive months of receipt
# (ow-rules.md §3 "3-month rule waiver").
EXEMPTION_WAIVER_MONTHS = 6
EXEMPTION_QUALIFYING_MONTHS = 3
EXEMPTION_WAIVER_CITATION = "OW Policy Directive 5.3 (earnings exemptions: return within 6 months)"
MUST_REPORT_CITATION = (
    "ontario.ca “Working and earning while on Ontario Works”: report earnings every month, "
    "even if zero; OW Act, 1997, s. 14; O. Reg. 134/98, s. 14"
)


@dataclass(frozen=True)
class CaseFacts:
    """The case's own facts in force (one `CircumstancesChange` version)."""

    shelter_type: str
    shelter_cost_cents: int = 0
    heat_cents: int = 0
    utilities_cents: int = 0
    remote_community: bool = False
    assets: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class MemberFacts:
    """One member's own facts in force (one `MemberCircumstancesChange` version)."""

    full_time_student: bool = False
    pregnant_or_breastfeeding: bool = False
    special_diet_cents: int = 0
    child_care_costs_cents: int = 0


NO_MEMBER_FACTS = MemberFacts()


@dataclass(frozen=True)
class Member:
    person_id: int
    first_name: str
    last_name: str
    date_of_birth: dt.date
    role: str


@dataclass
class MonthFacts:
    """Everything one case-month is calculated from, before it becomes the rules input."""

    members: list[Member]
    case: CaseFacts | None
    member_facts: dict[int, MemberFacts]
    # person id → [(kind, cents)] received in the income month
    incomes: dict[int, list[tuple[str, int]]]
    months_in_receipt: int
    # What the income is: "reported" for the income month, "carried" from an earlier month,
    # "application" (declared), or "missing" (a case that must report has not).
    income_basis: str = "reported"
    income_month: dt.date | None = None
    recovery_balance_cents: int = 0
    recovery_rate_bp: int = DEFAULT_RECOVERY_RATE_BP


@dataclass
class CaseMonthFacts:
    """What one case's month is calculated from (kept with the determination)."""

    benefit_unit_id: int
    unit: dict[str, Any] | None
    missing: list[str] = field(default_factory=list)
    # Calculated, but needing a person's attention (an income report is missing).
    exceptions: list[str] = field(default_factory=list)
    months_in_receipt: int = 0
    recovery_rate_bp: int = DEFAULT_RECOVERY_RATE_BP
    balance_cents: int = 0
    payee_name: str = ""
    income_basis: str = "reported"


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def rate_text(rate_bp: int) -> str:
    return str((Decimal(rate_bp) / Decimal(10000)).quantize(Decimal("0.0001")))


def default_rate_bp(partner: DeliveryPartner) -> int:
    return FIRST_NATION_RECOVERY_RATE_BP if partner.is_first_nation else DEFAULT_RECOVERY_RATE_BP


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years on `on` (the same as relativedelta(on, birth).years, 20x cheaper)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def income_month_for(benefit_month: dt.date) -> dt.date:
    return month_start(benefit_month) - relativedelta(months=INCOME_REPORTING_LAG_MONTHS)


# --- The builder ------------------------------------------------------------------------------


def member_ids(members: list[Member]) -> dict[int, str]:
    """Person id → the member's id in the rules input. It appears in the explanation ("Net
    earnings of Marie"), so it is the first name, made unique within the unit."""
    ids: dict[int, str] = {}
    used: set[str] = set()
    for index, member in enumerate(members):
        member_id = member.first_name or f"member {index + 1}"
        if member_id in used:
            member_id = f"{member_id} ({member.date_of_birth:%Y-%m-%d})"
        used.add(member_id)
        ids[member.person_id] = member_id
    return ids


def stored_incomes(
    situation: dict[str, Any], members: list[Member]
) -> dict[int, list[tuple[str, int]]]:
    """Each member's income as a stored rules input had it (person id → [(kind, cents)])."""
    by_id = {m.get("id"): m for m in situation.get("members", [])}
    result: dict[int, list[tuple[str, int]]] = {}
    for person_id, member_id in member_ids(members).items():
        stored = by_id.get(member_id)
        if stored is None:
            continue
        rows = [(IncomeKind.EARNINGS.value, _cents(stored.get("net_earnings", "0")))]
        rows += [(i["type"], _cents(i["amount"])) for i in stored.get("unearned_income", [])]
        result[person_id] = [(kind, cents) for kind, cents in rows if cents]
    return result


def _cents(text: Any) -> int:
    amount = Decimal(str(text))
    return int(amount * 100)


def rules_unit(
    facts: MonthFacts, benefit_month: dt.date, *, with_recovery: bool = True
) -> tuple[dict[str, Any] | None, list[str]]:
    """The ow-calc input for one case-month, or what is missing. The only place it is made."""
    missing: list[str] = []
    month = month_start(benefit_month)
    rules_members: list[dict[str, Any]] = []
    ids = member_ids(facts.members)
    for member in facts.members:
        member_id = ids[member.person_id]
        extra = facts.member_facts.get(member.person_id, NO_MEMBER_FACTS)
        received = facts.incomes.get(member.person_id, [])
        rules_members.append(
            {
                "id": member_id,
                "role": ROLE_TO_RULES[member.role],
                "age": age_on(member.date_of_birth, month),
                "net_earnings": format_cents(
                    sum(cents for kind, cents in received if kind == IncomeKind.EARNINGS)
                ),
                "child_care_costs": format_cents(extra.child_care_costs_cents),
                "full_time_student": extra.full_time_student,
                "unearned_income": [
                    {"type": kind, "amount": format_cents(cents)}
                    for kind, cents in received
                    if kind != IncomeKind.EARNINGS
                ],
                "special_diet": format_cents(extra.special_diet_cents),
                "pregnant_or_breastfeeding": extra.pregnant_or_breastfeeding,
            }
        )
    if not any(m["role"] == "applicant" for m in rules_members):
        missing.append(_("the applicant (no applicant on the case on the 1st)"))
    if facts.case is None or not facts.case.shelter_type:
        missing.append(_("housing: type of housing and its monthly cost"))
    if missing:
        return None, missing
    assert facts.case is not None
    case = facts.case
    unit: dict[str, Any] = {
        "benefit_month": month.strftime("%Y-%m"),
        "months_in_receipt": facts.months_in_receipt,
        "members": rules_members,
        "shelter": {"type": "no_fixed_address"}
        if case.shelter_type == "no_fixed_address"
        else {
            "type": case.shelter_type,
            "cost": format_cents(case.shelter_cost_cents),
            "heat": format_cents(case.heat_cents),
            "utilities": format_cents(case.utilities_cents),
        },
        "assets": [{"type": kind, "value": format_cents(cents)} for kind, cents in case.assets],
        "remote_community": case.remote_community,
    }
    if with_recovery and facts.recovery_balance_cents > 0:
        unit["overpayment_recovery"] = {
            "balance": format_cents(facts.recovery_balance_cents),
            "rate": rate_text(facts.recovery_rate_bp),
        }
    return unit, []


def case_month_facts(
    benefit_unit_id: int,
    facts: MonthFacts,
    benefit_month: dt.date,
    *,
    payee_name: str = "",
    with_recovery: bool = True,
) -> CaseMonthFacts:
    result = CaseMonthFacts(
        benefit_unit_id=benefit_unit_id,
        unit=None,
        months_in_receipt=facts.months_in_receipt,
        recovery_rate_bp=facts.recovery_rate_bp,
        balance_cents=facts.recovery_balance_cents,
        payee_name=payee_name,
        income_basis=facts.income_basis,
    )
    if facts.income_basis == "missing":
        assert facts.income_month is not None
        result.exceptions.append(
            _(
                "No income report for %(month)s: this case had earnings and must report every "
                "month. Paid on the last known income; record the report (0 if nothing was "
                "received) and the difference is booked."
            )
            % {"month": facts.income_month.strftime("%Y-%m")}
        )
    result.unit, result.missing = rules_unit(facts, benefit_month, with_recovery=with_recovery)
    return result


# --- Bulk loader (dated versions) -------------------------------------------------------------


def _members_in_force(
    benefit_unit_ids: list[int], month: dt.date, units: dict[int, Any]
) -> dict[int, list[Member]]:
    month_end = month + relativedelta(months=1) - dt.timedelta(days=1)
    members: dict[int, list[Member]] = defaultdict(list)
    for m in (
        BenefitUnitMember.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), start_on__lte=month_end
        )
        .exclude(end_on__lt=month)
        .values_list(
            "benefit_unit_id",
            "person_id",
            "role",
            "start_on",
            "end_on",
            "person__first_name",
            "person__last_name",
            "person__date_of_birth",
        )
        .order_by("benefit_unit_id", "start_on", "id")
    ):
        unit_id, person_id, role, start_on, end_on, first, last, birth = m
        opened = units[unit_id]["opened_on"]
        cutoff = max(month, opened) if opened <= month_end else month
        if start_on <= cutoff and (end_on is None or end_on >= cutoff):
            members[unit_id].append(Member(person_id, first, last, birth, role))
    return members


def _latest_per_key(queryset: Any, keys: tuple[str, ...], fields: tuple[str, ...]) -> list[Any]:
    """The newest row per key (effective month, then id): one DISTINCT ON query."""
    return list(
        queryset.order_by(*keys, "-effective_month", "-id").distinct(*keys).values_list(*fields)
    )


def _case_facts(benefit_unit_ids: list[int], month: dt.date) -> dict[int, CaseFacts]:
    rows = _latest_per_key(
        CircumstancesChange.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), effective_month__lte=month
        ),
        ("benefit_unit_id",),
        (
            "benefit_unit_id",
            "shelter_type",
            "shelter_cost_cents",
            "heat_cents",
            "utilities_cents",
            "remote_community",
            "assets",
        ),
    )
    return {
        unit_id: CaseFacts(
            shelter_type=shelter_type,
            shelter_cost_cents=cost,
            heat_cents=heat,
            utilities_cents=utilities,
            remote_community=remote,
            assets=tuple((a["type"], int(a["value_cents"])) for a in assets or ()),
        )
        for unit_id, shelter_type, cost, heat, utilities, remote, assets in rows
    }


def _member_facts(benefit_unit_ids: list[int], month: dt.date) -> dict[int, dict[int, MemberFacts]]:
    result: dict[int, dict[int, MemberFacts]] = defaultdict(dict)
    for unit_id, person_id, student, pregnant, diet, care in _latest_per_key(
        MemberCircumstancesChange.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), effective_month__lte=month
        ),
        ("benefit_unit_id", "person_id"),
        (
            "benefit_unit_id",
            "person_id",
            "full_time_student",
            "pregnant_or_breastfeeding",
            "special_diet_cents",
            "child_care_costs_cents",
        ),
    ):
        result[unit_id][person_id] = MemberFacts(student, pregnant, diet, care)
    return result


def _income_rows(
    benefit_unit_ids: list[int], income_month: dt.date
) -> tuple[dict[int, dict[int, list[tuple[str, int]]]], dict[tuple[int, int], str]]:
    """(case → person → [(kind, cents)], (case, person) → how that member's income is known).

    Income is per member per month: every kind recorded for that member and month (a report
    adds or replaces kinds; a kind is removed by correcting it to 0). A member with no report
    for the income month keeps their last known income (their latest earlier month with a
    report); a member never reported has none. The
    status is "reported", "carried", or "missing" when the carried income had earnings: that
    member had to report and did not (an exception in the run, never zero income).
    """
    incomes: dict[int, dict[int, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    last: dict[tuple[int, int], dt.date] = {
        (unit_id, person_id): latest
        for unit_id, person_id, latest in IncomeReport.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), income_month__lte=income_month
        )
        .values("benefit_unit_id", "person_id")
        .annotate(latest=Max("income_month"))
        .values_list("benefit_unit_id", "person_id", "latest")
    }
    status: dict[tuple[int, int], str] = {
        key: "reported" if latest == income_month else "carried" for key, latest in last.items()
    }
    if not last:
        return incomes, status
    # One query for every member's latest month: rows of other months are dropped here.
    for unit_id, person_id, month, kind, cents in (
        IncomeReport.objects.filter(
            id_in("benefit_unit_id", sorted({unit_id for unit_id, _p in last})),
            income_month__in=set(last.values()),
        )
        .order_by("benefit_unit_id", "person_id", "kind")
        .values_list("benefit_unit_id", "person_id", "income_month", "kind", "amount_cents")
    ):
        key = (unit_id, person_id)
        if last.get(key) != month:
            continue
        incomes[unit_id][person_id].append((kind, cents))
        if month != income_month and kind == IncomeKind.EARNINGS and cents > 0:
            status[key] = "missing"
    return incomes, status


def _income_basis(unit_id: int, members: list[Member], status: dict[tuple[int, int], str]) -> str:
    """How the case's income is known, from its members in force only."""
    seen = {status.get((unit_id, m.person_id), "carried") for m in members}
    for basis in ("missing", "carried"):
        if basis in seen:
            return basis
    return "reported"


def _months_in_receipt(
    benefit_unit_ids: list[int], month: dt.date, default: dict[int, int]
) -> dict[int, int]:
    """Consecutive months of receipt before `month` (see `_months_after_gap`)."""
    previous_month = month - relativedelta(months=1)
    counts = {
        unit_id: int(count) + 1
        for unit_id, count in Payment.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), benefit_month=previous_month
        ).values_list("benefit_unit_id", "months_in_receipt")
    }
    gap = [u for u in benefit_unit_ids if u not in counts]
    last_paid = (
        dict(
            Payment.objects.filter(id_in("benefit_unit_id", gap), benefit_month__lt=month)
            .values("benefit_unit_id")
            .annotate(last=Max("benefit_month"))
            .values_list("benefit_unit_id", "last")
        )
        if gap
        else {}
    )
    for unit_id in gap:
        counts[unit_id] = default.get(unit_id, 0) if unit_id not in last_paid else 0
    counts.update(_months_after_gap(last_paid, month))
    never_paid = [u for u in gap if u not in last_paid]
    for unit_id, count in _returning_applicants(never_paid, month).items():
        counts[unit_id] = max(counts[unit_id], count)
    return counts


def _returning_applicants(benefit_unit_ids: list[int], month: dt.date) -> dict[int, int]:
    """Cases never paid whose applicant returns on a new application: Directive 5.3's waiver
    is the person's. Counted over the months the person was a member of an earlier case: the
    last month paid while they were in it, the consecutive months before it (capped by when
    they joined), and their own earnings then (left with earnings); back within 6 months."""
    if not benefit_unit_ids:
        return {}
    applicants = dict(
        BenefitUnitMember.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), role=MemberRole.APPLICANT
        ).values_list("benefit_unit_id", "person_id")
    )
    spells = list(
        BenefitUnitMember.objects.filter(person_id__in=set(applicants.values()))
        .exclude(benefit_unit_id__in=benefit_unit_ids)
        .values_list("person_id", "benefit_unit_id", "start_on", "end_on")
    )
    if not spells:
        return {}
    paid: dict[int, dict[dt.date, int]] = defaultdict(dict)  # case → month → count
    for unit_id, benefit_month, count in Payment.objects.filter(
        benefit_unit_id__in={s[1] for s in spells},
        benefit_month__lt=month,
        benefit_month__gte=month - relativedelta(months=EXEMPTION_WAIVER_MONTHS + 24),
    ).values_list("benefit_unit_id", "benefit_month", "months_in_receipt"):
        paid[unit_id][benefit_month] = count
    best: dict[int, tuple[dt.date, int, int]] = {}  # person → (last month, months, case)
    for person_id, unit_id, start_on, end_on in spells:
        months = [
            m
            for m in paid.get(unit_id, {})
            if m >= start_on.replace(day=1) and (end_on is None or m <= end_on)
        ]
        if not months:
            continue
        last = max(months)
        joined = (last.year - start_on.year) * 12 + last.month - start_on.month + 1
        count = min(paid[unit_id][last] + 1, joined)
        if person_id not in best or (last, count) > best[person_id][:2]:
            best[person_id] = (last, count, unit_id)
    qualified = {
        person_id: (last, count, unit_id)
        for person_id, (last, count, unit_id) in best.items()
        if count >= EXEMPTION_QUALIFYING_MONTHS
        and (month.year - last.year) * 12 + month.month - last.month - 1 <= EXEMPTION_WAIVER_MONTHS
    }
    if not qualified:
        return {}
    with_earnings = {
        person_id
        for person_id, unit_id, income_month in IncomeReport.objects.filter(
            person_id__in=set(qualified),
            kind=IncomeKind.EARNINGS,
            amount_cents__gt=0,
            income_month__gte=min(q[0] for q in qualified.values()) - relativedelta(months=1),
        ).values_list("person_id", "benefit_unit_id", "income_month")
        if unit_id == qualified[person_id][2]
        and qualified[person_id][0] - relativedelta(months=1)
        <= income_month
        <= qualified[person_id][0]
    }
    return {
        unit_id: qualified[person_id][1]
        for unit_id, person_id in applicants.items()
        if person_id in with_earnings
    }


def _months_after_gap(last_paid: dict[int, dt.date], month: dt.date) -> dict[int, int]:
    """Directive 5.3: a person who left assistance with earnings after at least 3 consecutive
    months of receipt and returns within 6 months gets the earnings exemptions at once, so their
    count carries on; anyone else starts again at 0 (the three-month rule applies)."""
    if not last_paid:
        return {}
    candidates = {
        unit_id: last
        for unit_id, last in last_paid.items()
        if (month.year - last.year) * 12 + month.month - last.month - 1 <= EXEMPTION_WAIVER_MONTHS
    }
    if not candidates:
        return {}
    stored = {
        (unit_id, benefit_month): count
        for unit_id, benefit_month, count in Payment.objects.filter(
            id_in("benefit_unit_id", list(candidates)),
            benefit_month__in=set(candidates.values()),
        ).values_list("benefit_unit_id", "benefit_month", "months_in_receipt")
        if candidates[unit_id] == benefit_month
    }
    qualified = {
        unit_id: stored[(unit_id, last)] + 1
        for unit_id, last in candidates.items()
        if stored.get((unit_id, last), 0) + 1 >= EXEMPTION_QUALIFYING_MONTHS
    }
    if not qualified:
        return {}
    # "Left with earnings": earnings were received in the last month paid or the month before.
    with_earnings: set[int] = set()
    for unit_id, income_month in IncomeReport.objects.filter(
        id_in("benefit_unit_id", list(qualified)),
        kind=IncomeKind.EARNINGS,
        amount_cents__gt=0,
        income_month__gte=min(candidates[u] for u in qualified) - relativedelta(months=1),
        income_month__lte=max(candidates[u] for u in qualified),
    ).values_list("benefit_unit_id", "income_month"):
        last = candidates[unit_id]
        if last - relativedelta(months=1) <= income_month <= last:
            with_earnings.add(unit_id)
    return {unit_id: count for unit_id, count in qualified.items() if unit_id in with_earnings}


def build_month_facts(
    benefit_unit_ids: list[int],
    benefit_month: dt.date,
    *,
    with_recovery: bool = True,
    months_in_receipt: dict[int, int] | None = None,
    paid_situations: dict[int, dict[str, Any]] | None = None,
) -> list[CaseMonthFacts]:
    """Rules inputs for every case in `benefit_unit_ids` (same order), a few queries in all.

    A month already paid is recalculated with what its payment stored: `months_in_receipt`
    given, no recovery (`with_recovery=False`), and, for a member with no report for the
    income month, the income the payment was calculated on (`paid_situations`: case → the
    stored rules input), not a later estimate."""
    month = month_start(benefit_month)
    income_month = income_month_for(month)
    units = {
        u["id"]: u
        for u in BenefitUnit.objects.filter(id_in("pk", benefit_unit_ids)).values(
            "id", "opened_on", "delivery_partner_id"
        )
    }
    partner_rates = {
        p.pk: default_rate_bp(p)
        for p in DeliveryPartner.objects.filter(
            pk__in={u["delivery_partner_id"] for u in units.values()}
        )
    }
    members = _members_in_force(benefit_unit_ids, month, units)
    case_facts = _case_facts(benefit_unit_ids, month)
    member_facts = _member_facts(benefit_unit_ids, month)
    incomes, status = _income_rows(benefit_unit_ids, income_month)
    counts = _months_in_receipt(benefit_unit_ids, month, _application_counts(benefit_unit_ids))
    counts.update(months_in_receipt or {})
    profiles = dict(
        PaymentProfile.objects.filter(
            id_in("benefit_unit_id", benefit_unit_ids), recovery_rate_bp__isnull=False
        ).values_list("benefit_unit_id", "recovery_rate_bp")
    )
    balances = overpayment_balances(benefit_unit_ids) if with_recovery else {}

    results: list[CaseMonthFacts] = []
    for unit_id in benefit_unit_ids:
        info = units.get(unit_id)
        if info is None:
            results.append(
                CaseMonthFacts(benefit_unit_id=unit_id, unit=None, missing=[_("the case")])
            )
            continue
        unit_members = members.get(unit_id, [])
        unit_incomes = dict(incomes.get(unit_id, {}))
        basis = _income_basis(unit_id, unit_members, status)
        if paid_situations and unit_id in paid_situations:
            stored = stored_incomes(paid_situations[unit_id], unit_members)
            for member in unit_members:
                if status.get((unit_id, member.person_id)) != "reported":
                    unit_incomes[member.person_id] = stored.get(member.person_id, [])
            basis = "reported"
        facts = MonthFacts(
            members=unit_members,
            case=case_facts.get(unit_id),
            member_facts=member_facts.get(unit_id, {}),
            incomes=unit_incomes,
            months_in_receipt=counts.get(unit_id, 0),
            income_basis=basis,
            income_month=income_month,
            recovery_balance_cents=balances.get(unit_id, 0),
            recovery_rate_bp=_rate(
                profiles.get(unit_id), partner_rates[info["delivery_partner_id"]]
            ),
        )
        payee = next(
            (
                f"{m.first_name} {m.last_name}"[:30]
                for m in unit_members
                if m.role == MemberRole.APPLICANT
            ),
            "",
        )
        results.append(
            case_month_facts(unit_id, facts, month, payee_name=payee, with_recovery=with_recovery)
        )
    return results


def _rate(custom: int | None, default: int) -> int:
    """The case's consented rate if it has one (0 included), else the partner's default."""
    return default if custom is None else int(custom)


def _application_counts(benefit_unit_ids: list[int]) -> dict[int, int]:
    """Months in receipt declared on the application (for a case never paid here)."""
    from caseworks.applications.models import Application  # noqa: PLC0415  # app order

    return dict(
        Application.objects.filter(id_in("benefit_unit_id", benefit_unit_ids)).values_list(
            "benefit_unit_id", "months_in_receipt"
        )
    )


# --- Application loader (one pending application) ------------------------------------------


def application_facts(
    application: Any,
) -> tuple[CaseFacts, dict[int, MemberFacts], dict[int, list[tuple[str, int]]]]:
    """The application's facts as the builder's records: housing and assets, each member's
    circumstances, and declared monthly income by member and kind (summed per kind)."""
    case = CaseFacts(
        shelter_type=application.shelter_type or "",
        shelter_cost_cents=application.shelter_cost_cents,
        heat_cents=application.heat_cents,
        utilities_cents=application.utilities_cents,
        remote_community=application.remote_community,
        assets=tuple(
            (a.asset_type, a.value_cents) for a in application.assets.all().order_by("id")
        ),
    )
    member_facts = {
        c.person_id: MemberFacts(
            c.full_time_student,
            c.pregnant_or_breastfeeding,
            c.special_diet_cents,
            c.child_care_costs_cents,
        )
        for c in application.member_circumstances.all()
    }
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for income in application.incomes.all().order_by("id"):
        totals[income.person_id][income.income_type] += income.monthly_amount_cents
    incomes = {person_id: sorted(by_kind.items()) for person_id, by_kind in totals.items()}
    return case, member_facts, incomes


def application_month_facts(application: Any, benefit_month: dt.date) -> CaseMonthFacts:
    """The rules input of a pending application's month, through the same builder."""
    month = month_start(benefit_month)
    unit = application.benefit_unit
    members = _members_in_force([unit.pk], month, {unit.pk: {"opened_on": unit.opened_on}})
    in_force = {m.person_id for m in members.get(unit.pk, [])}
    case, member_facts, incomes = application_facts(application)
    facts = MonthFacts(
        members=members.get(unit.pk, []),
        case=case,
        member_facts={p: f for p, f in member_facts.items() if p in in_force},
        incomes={p: rows for p, rows in incomes.items() if p in in_force},
        months_in_receipt=_months_in_receipt(
            [unit.pk], month, {unit.pk: application.months_in_receipt}
        )[unit.pk],
        income_basis="application",
        income_month=income_month_for(month),
    )
    return case_month_facts(unit.pk, facts, month, with_recovery=False)


def prescreen_facts(
    *,
    adults: int,
    children: int,
    has_spouse: bool,
    monthly_income_cents: int,
    shelter_cost_cents: int,
    assets_cents: int,
    benefit_month: dt.date,
) -> MonthFacts:
    """A rough household for a phone pre-screen, as the builder's records. At application no
    earnings exemption applies (3-month rule, Directive 5.3), so income is counted in full."""
    birth_adult = month_start(benefit_month) - relativedelta(years=30)
    birth_dependant_adult = month_start(benefit_month) - relativedelta(years=19)
    birth_child = month_start(benefit_month) - relativedelta(years=8)
    members = [Member(0, "applicant", "", birth_adult, MemberRole.APPLICANT)]
    if has_spouse:
        members.append(Member(-1, "spouse", "", birth_adult, MemberRole.SPOUSE))
    other_adults = max(0, adults - 1 - int(has_spouse))
    members += [
        Member(-10 - i, f"adult{i}", "", birth_dependant_adult, MemberRole.DEPENDANT_ADULT)
        for i in range(other_adults)
    ]
    members += [
        Member(-100 - i, f"child{i}", "", birth_child, MemberRole.DEPENDANT_CHILD)
        for i in range(children)
    ]
    return MonthFacts(
        members=members,
        case=CaseFacts(
            shelter_type="rent" if shelter_cost_cents else "no_fixed_address",
            shelter_cost_cents=shelter_cost_cents,
            assets=(("bank_account", assets_cents),),
        ),
        member_facts={},
        incomes={0: [(IncomeKind.OTHER.value, monthly_income_cents)]},
        months_in_receipt=0,
        income_basis="application",
    )


def iter_chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
