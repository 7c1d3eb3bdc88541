"""Bulk loader of the dated versions: `build_month_facts`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.utils.translation import gettext as _

from caseworks.applications.models import Application
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.partners.models import DeliveryPartner

from ..bulk import id_in
from ..constants import (
    IncomeKind,
)
from ..ledger import overpayment_balances
from ..models import (
    CircumstancesChange,
    IncomeReport,
    MemberCircumstancesChange,
    Payment,
    PaymentProfile,
)
from .builder import case_month_facts, stored_incomes
from .types import (
    EXEMPTION_QUALIFYING_MONTHS,
    EXEMPTION_WAIVER_MONTHS,
    CaseFacts,
    CaseMonthFacts,
    Member,
    MemberFacts,
    MonthFacts,
    default_rate_bp,
    income_month_for,
    month_start,
)

# --- Bulk loader (dated versions) -------------------------------------------------------------


def members_in_force(
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
            "residence",
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
            residence=residence,
        )
        for unit_id, shelter_type, cost, heat, utilities, remote, assets, residence in rows
    }


def _member_facts(benefit_unit_ids: list[int], month: dt.date) -> dict[int, dict[int, MemberFacts]]:
    result: dict[int, dict[int, MemberFacts]] = defaultdict(dict)
    for unit_id, person_id, student, pregnant, diet, care, no_benefits in _latest_per_key(
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
            "no_child_benefits",
        ),
    ):
        result[unit_id][person_id] = MemberFacts(student, pregnant, diet, care, no_benefits)
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


def months_in_receipt_by_case(
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
    members = members_in_force(benefit_unit_ids, month, units)
    case_facts = _case_facts(benefit_unit_ids, month)
    member_facts = _member_facts(benefit_unit_ids, month)
    incomes, status = _income_rows(benefit_unit_ids, income_month)
    counts = months_in_receipt_by_case(
        benefit_unit_ids, month, _application_counts(benefit_unit_ids)
    )
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

    return dict(
        Application.objects.filter(id_in("benefit_unit_id", benefit_unit_ids)).values_list(
            "benefit_unit_id", "months_in_receipt"
        )
    )


def iter_chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
