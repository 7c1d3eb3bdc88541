"""What every measure shares: the report filters, family types, dates, and the case
querysets (granted on, active on a day, family type) the measures are written against."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db.models import (
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caseworks.cases.constants import CaseStatus, MemberRole

from .. import sources

GroupBy = Literal["partner", "office"]
PROVINCE = "province"
# Cases that have been granted assistance (a pending, denied or withdrawn case never was).
GRANTED_STATUSES = (CaseStatus.ACTIVE, CaseStatus.SUSPENDED, CaseStatus.CLOSED)
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
RETURN_WINDOWS = (3, 6, 12)
FOLLOW_UP_CHECKPOINTS = (1, 3, 6, 12)


class FamilyType:
    SINGLE = "single"
    COUPLE = "couple"
    SOLE_SUPPORT = "sole_support"
    COUPLE_WITH_CHILDREN = "couple_with_children"

    CHOICES: tuple[tuple[str, Promise], ...] = (
        (SINGLE, _("Single (no spouse, no children)")),
        (COUPLE, _("Couple without children")),
        (SOLE_SUPPORT, _("Sole-support parent")),
        (COUPLE_WITH_CHILDREN, _("Couple with children")),
    )


ALL_FAMILIES = ""
# Every family-type filter a reader can choose (no filter first): all of them are published.
FAMILY_VIEWS: tuple[str, ...] = (ALL_FAMILIES, *(key for key, _label in FamilyType.CHOICES))
# The family type of a case: (has a spouse, has children) -> FamilyType.
FAMILY_OF = {
    (False, False): FamilyType.SINGLE,
    (True, False): FamilyType.COUPLE,
    (False, True): FamilyType.SOLE_SUPPORT,
    (True, True): FamilyType.COUPLE_WITH_CHILDREN,
}


# --------------------------------------------------------------------------- dates


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from `first` to `last` inclusive."""
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


# --------------------------------------------------------------------------- SQL helpers


class DaysBetween(Func):
    """`end - start` in whole days (PostgreSQL date subtraction gives an integer)."""

    template = "((%(expressions)s))"
    arg_joiner = ") - ("
    output_field = IntegerField()


class AddMonths(Func):
    template = "((%(expressions)s) + interval '%(months)s months')::date"
    output_field = DateField()

    def __init__(self, expression: Any, months: int) -> None:
        super().__init__(expression, months=int(months))


@dataclass(frozen=True)
class ReportFilters:
    month_from: dt.date
    month_to: dt.date
    partner_ids: tuple[int, ...] | None = None
    office_id: int | None = None
    family_type: str = ""

    @property
    def period_start(self) -> dt.date:
        return month_start(self.month_from)

    @property
    def period_end(self) -> dt.date:
        return month_end(self.month_to)

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.month_from, self.month_to)


def granted_on_subquery() -> Subquery:
    """The first day the case became active (assistance granted)."""
    return Subquery(
        sources.status_changes()
        .queryset.filter(benefit_unit=OuterRef("pk"), to_status=CaseStatus.ACTIVE)
        .values("benefit_unit")
        .annotate(first=Min("effective_on"))
        .values("first")[:1],
        output_field=DateField(),
    )


def cases_with_granted_on() -> QuerySet[Any]:
    """Cases with `granted_on`: the first change to active, or (a case recorded without its
    status history, e.g. imported) the day it opened."""
    return sources.cases().queryset.annotate(
        granted_on=Coalesce(granted_on_subquery(), F("opened_on"))
    )


def active_on_q(on: dt.date) -> Q:
    """A granted case not closed by `on` (docs/measures.md, "Caseload")."""
    return Q(status__in=GRANTED_STATUSES, granted_on__lte=on) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )


def _current_member(role_q: Q, on: dt.date) -> Exists:
    return Exists(
        sources.memberships()
        .queryset.filter(
            role_q,
            benefit_unit=OuterRef("pk"),
            start_on__lte=on,
        )
        .filter(Q(end_on__isnull=True) | Q(end_on__gt=on))
    )


def cases_with_family_type(on: dt.date) -> QuerySet[Any]:
    """Cases annotated with has_spouse / has_children as on `on` (family type)."""
    return cases_with_granted_on().annotate(
        has_spouse=_current_member(Q(role=MemberRole.SPOUSE), on),
        has_children=_current_member(Q(role=MemberRole.DEPENDANT_CHILD), on),
    )


def family_q(family_type: str) -> Q:
    return {
        FamilyType.SINGLE: Q(has_spouse=False, has_children=False),
        FamilyType.COUPLE: Q(has_spouse=True, has_children=False),
        FamilyType.SOLE_SUPPORT: Q(has_spouse=False, has_children=True),
        FamilyType.COUPLE_WITH_CHILDREN: Q(has_spouse=True, has_children=True),
    }.get(family_type, Q())


# --------------------------------------------------------------------------- the measures
