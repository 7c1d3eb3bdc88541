"""The tables the dashboards show (and export), checked against the reader's rights.

* Ministry analysts (provincial staff) see every partner, a comparison of two partners and any
  partner's offices.
* Anyone else with REPORTS_VIEW (partner administrators, supervisors) sees only their own
  partner (and its offices) beside the provincial total and the provincial median; another
  partner's page is a 404.

Suppression (suppression.py, SUPPRESSION.md) is decided here by one function, `suppressed_cube`,
on the whole family-type × partner (or family-type × office) table of every measure, whatever the
filter asked for; every page, CSV and XLSX export then shows its slice of those decisions. The
reports read from the read replica when one is configured (`use_replica`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from caseworks.core.db import use_replica
from caseworks.core.errors import PermissionDeniedError
from caseworks.partners.models import DeliveryPartner, Office

from . import suppression
from .access import office_get_for_reports, partner_get_for_reports, reports_scope
from .layout import Column, Report, Row
from .measures.base import ALL_FAMILIES, FAMILY_VIEWS, PROVINCE, GroupBy, ReportFilters
from .measures.registry import ADDITIVE_TOTALS, DERIVED, MEASURES, MEASURES_BY_KEY, Measure
from .measures.scope import FamilyTable, MeasureResults
from .selectors import compute_measures, referrals_by_provider
from .suppression import Cell, Line, Link


def _partner_url(partner_id: int) -> str:
    return reverse("reporting:partner", args=[partner_id])


def _partner_label(partner: DeliveryPartner) -> str:
    return partner.name


# --------------------------------------------------------------------------- the suppressed cube

REST = "rest"  # the province minus the reader's own partner (partner view; never shown)
TREND = "trend:"
CubeKey = tuple[str, str, Any]  # (measure key or trend month, family type, group)


def trend_key(month: dt.date) -> str:
    return f"{TREND}{month:%Y-%m}"


@dataclass
class SuppressedCube:
    """Every measure (and each month of the trend) for every family type and group, suppressed
    as one table. Pages and exports read their cells from here only."""

    cells: dict[CubeKey, Cell]
    groups: list[Any]
    months: list[dt.date]
    results: dict[str, MeasureResults] = field(default_factory=dict, repr=False)

    def cell(self, key: str, family: str, group: Any) -> Cell:
        """A copy of the published cell (with its suppression) for one filter."""
        if key.startswith("caseload_family_"):
            # The family-type rows of the caseload are the caseload of each family type.
            own_type = key.removeprefix("caseload_family_")
            if family in (ALL_FAMILIES, own_type):
                return self.cell("caseload_cases", own_type, group)
            return suppression.count(0)
        found = self.cells.get((key, family, group))
        return _zero_for(key) if found is None else _published(found)

    def trend(self, family: str, group: Any) -> list[tuple[dt.date, Cell]]:
        return [(month, self.cell(trend_key(month), family, group)) for month in self.months]


def _zero(measure: Measure) -> Cell:
    if measure.kind == "count":
        return suppression.count(0)
    if measure.kind == "rate":
        return suppression.rate(0, 0)
    return Cell(measure.kind, None, None, 0)


def _zero_for(key: str) -> Cell:
    return _zero(MEASURES_BY_KEY[key]) if key in MEASURES_BY_KEY else suppression.count(0)


def _copy(cell: Cell) -> Cell:
    return Cell(cell.kind, cell.value, cell.numerator, cell.denominator)


def _published(cell: Cell) -> Cell:
    out = _copy(cell)
    out.suppressed, out.reason = cell.suppressed, cell.reason
    return out


def _rest(province: Cell, own: Cell) -> Cell:
    """The province minus one partner, as the people it rests on (value not needed)."""
    if province.kind == "count":
        return suppression.count(int(province.value or 0) - int(own.value or 0))
    if province.kind == "rate":
        return Cell(
            "rate",
            None,
            int(province.numerator or 0) - int(own.numerator or 0),
            int(province.denominator or 0) - int(own.denominator or 0),
        )
    return Cell(
        province.kind, None, None, int(province.denominator or 0) - int(own.denominator or 0)
    )


def _cube_measures(results: MeasureResults) -> list[str]:
    return [m.key for m in MEASURES if m.additive_group != "family"]


def family_results(
    *, filters: ReportFilters, group_by: GroupBy, as_of: dt.date
) -> dict[str, MeasureResults]:
    """The measures under every family-type filter (the filter asked for is one of them).

    One `FamilyTable` serves the five: each aggregate query runs once, grouped by family type
    (about 16 queries instead of 5 x 16)."""
    families = FamilyTable(filters.period_end)
    return {
        family: compute_measures(
            filters=ReportFilters(
                filters.month_from, filters.month_to, filters.partner_ids, None, family
            ),
            group_by=group_by,
            as_of=as_of,
            families=families,
        )
        for family in FAMILY_VIEWS
    }


def _raw_cells(
    results: dict[str, MeasureResults], keys: list[str], groups: list[Any], months: list[dt.date]
) -> dict[CubeKey, Cell]:
    cells: dict[CubeKey, Cell] = {}
    for family, res in results.items():
        for key in keys:
            by_group = res.cells.get(key, {})
            for group in [*groups, PROVINCE]:
                found = by_group.get(group)
                cells[(key, family, group)] = _copy(found) if found is not None else _zero_for(key)
        series = res.series.get("caseload_cases", {})
        for group in [*groups, PROVINCE]:
            points = {m: int(c.value or 0) for m, c in series.get(group, [])}
            for month in months:
                cells[(trend_key(month), family, group)] = suppression.count(points.get(month, 0))
    return cells


def _lines(
    keys: list[str], months: list[dt.date], columns: list[Any], *, prefer_total: bool = False
) -> list[Line]:
    """Rows across the groups (total: PROVINCE), columns across the family types (total: no
    filter), and rows that add up to another row, for every measure and trend month."""
    lines: list[Line] = []
    for key in [*keys, *(trend_key(m) for m in months)]:
        for family in FAMILY_VIEWS:
            lines.append(
                Line(
                    tuple((key, family, g) for g in columns), (key, family, PROVINCE), prefer_total
                )
            )
        for group in [*columns, PROVINCE]:
            lines.append(
                Line(tuple((key, f, group) for f in FAMILY_VIEWS[1:]), (key, ALL_FAMILIES, group))
            )
    for family in FAMILY_VIEWS:
        for group in [*columns, PROVINCE]:
            for name, total_key in ADDITIVE_TOTALS.items():
                if name == "family":
                    continue  # the family-type table itself (the column lines above)
                members = tuple(
                    (m.key, family, group) for m in MEASURES if m.additive_group == name
                )
                lines.append(Line(members, (total_key, family, group), audit=False))
    return lines


def _links(months: list[dt.date], columns: list[Any]) -> list[Link]:
    links: list[Link] = []
    for family in FAMILY_VIEWS:
        for group in [*columns, PROVINCE]:
            for base, derived, mutual in DERIVED:
                links.append(Link((base, family, group), (derived, family, group), mutual))
            if months:
                # The trend's last month is the caseload at period end.
                links.append(
                    Link(
                        ("caseload_cases", family, group),
                        (trend_key(months[-1]), family, group),
                        mutual=True,
                    )
                )
    return links


def provincial_results(*, filters: ReportFilters, as_of: dt.date) -> dict[str, MeasureResults]:
    """Every partner, every family type (suppression is decided on all of it)."""
    return family_results(
        filters=ReportFilters(filters.month_from, filters.month_to), group_by="partner", as_of=as_of
    )


@use_replica()
def suppressed_cube(
    *,
    filters: ReportFilters,
    as_of: dt.date,
    own: int | None = None,
    partner_id: int | None = None,
    results: dict[str, MeasureResults] | None = None,
    margin: SuppressedCube | None = None,
) -> SuppressedCube:
    """The one function that decides what every report page and export shows.

    * partner_id None, own None (ministry analysts): every partner × every family type, the
      province as the total of each row and "no filter" as the total of each column.
    * partner_id None, own set (a partner's staff): their partner, the rest of the province
      (never shown) and the province × every family type; when the rest rests on 1 to 9 people
      the provincial figure is suppressed.
    * partner_id set: that partner's offices × every family type; the partner total keeps the
      decisions of the provincial cube for the same reader (`margin`), so no page shows a
      figure another page suppresses.

    The filter asked for (family type, partners shown, office) never changes a decision: the
    page shows its slice of the cube.
    """
    if partner_id is not None:
        return _office_cube(
            filters=filters, as_of=as_of, own=own, partner_id=partner_id, margin=margin
        )
    if results is None:
        results = provincial_results(filters=filters, as_of=as_of)
    base = results[ALL_FAMILIES]
    keys = _cube_measures(base)
    months = ReportFilters(filters.month_from, filters.month_to).months
    groups = sorted(
        {g for res in results.values() for g in res.groups}, key=lambda g: (g is None, g or 0)
    )
    raw = _raw_cells(results, keys, groups, months)
    if own is None:
        unpublished = frozenset(k for k in raw if k[2] is None)  # cases with no partner
        suppression.suppress_table(
            raw, _lines(keys, months, groups), _links(months, groups), unpublished=unpublished
        )
        return SuppressedCube(raw, groups, months, results)
    cells: dict[CubeKey, Cell] = {}
    for (key, family, group), cell in raw.items():
        if group in (own, PROVINCE):
            cells[(key, family, group)] = cell
    for key in [*keys, *(trend_key(m) for m in months)]:
        for family in FAMILY_VIEWS:
            own_cell = cells.get((key, family, own))
            if own_cell is None:  # a partner with no figures yet
                own_cell = cells[(key, family, own)] = _zero_for(key)
            cells[(key, family, REST)] = _rest(cells[(key, family, PROVINCE)], own_cell)
    unpublished = frozenset(k for k in cells if k[2] == REST)
    suppression.suppress_table(
        cells,
        _lines(keys, months, [own, REST], prefer_total=True),
        _links(months, [own]),
        unpublished=unpublished,
    )
    return SuppressedCube(cells, [own], months, results)


def _office_cube(
    *,
    filters: ReportFilters,
    as_of: dt.date,
    own: int | None,
    partner_id: int,
    margin: SuppressedCube | None,
) -> SuppressedCube:
    if margin is None:
        margin = suppressed_cube(filters=filters, as_of=as_of, own=own)
    results = family_results(
        filters=ReportFilters(filters.month_from, filters.month_to, (partner_id,)),
        group_by="office",
        as_of=as_of,
    )
    base = results[ALL_FAMILIES]
    keys = _cube_measures(base)
    months = margin.months
    groups = sorted(
        {g for res in results.values() for g in res.groups}, key=lambda g: (g is None, g or 0)
    )
    cells = _raw_cells(results, keys, groups, months)
    fixed = set()
    for key, family, group in list(cells):
        if group == PROVINCE:
            # The partner total: the figure and decision of the provincial cube.
            cells[(key, family, group)] = margin.cell(key, family, partner_id)
            fixed.add((key, family, group))
    suppression.suppress_table(
        cells, _lines(keys, months, groups), _links(months, groups), fixed=frozenset(fixed)
    )
    return SuppressedCube(cells, groups, months, results)


def _rows(cube: SuppressedCube, family: str, columns: list[tuple[Column, Any]]) -> list[Row]:
    return [
        Row(measure, [cube.cell(measure.key, family, g) for _c, g in columns])
        for measure in MEASURES
    ]


def _median_cells(cube: SuppressedCube, family: str, partner_ids: list[int]) -> dict[str, Cell]:
    """Median of the partners' figures that the ministry's table shows (not suppressed)."""
    out: dict[str, Cell] = {}
    for measure in MEASURES:
        values = []
        for pid in partner_ids:
            cell = cube.cell(measure.key, family, pid)
            if not cell.suppressed and cell.value is not None:
                values.append(Decimal(cell.value))
        median = Decimal(statistics.median(values)) if values else None
        kind = measure.kind
        if kind == "money" and median is not None:
            median = Decimal(int(median))
        out[measure.key] = Cell(kind, median, len(values), len(values))
    return out


@use_replica()
def dashboard_report(*, user: Any, filters: ReportFilters, as_of: dt.date) -> Report:
    """The main dashboard: all partners (analysts) or own partner + province + median."""
    own = reports_scope(user)
    family = filters.family_type
    results = provincial_results(filters=filters, as_of=as_of)
    analyst_cube = suppressed_cube(filters=filters, as_of=as_of, results=results)
    partners = list(
        DeliveryPartner.objects.filter(
            pk__in=[g for g in analyst_cube.groups if g is not None]
        ).order_by("name")
    )
    if own is None:
        cube = analyst_cube
        shown = [p for p in partners if filters.partner_ids is None or p.pk in filters.partner_ids]
        columns: list[tuple[Column, Any]] = [
            (Column(str(p.pk), _partner_label(p), url=_partner_url(p.pk)), p.pk) for p in shown
        ]
        columns.append((Column(PROVINCE, _("Ontario (all partners)"), "province"), PROVINCE))
        rows = _rows(cube, family, columns)
        report = Report(
            _("Outcome measures: all delivery partners"),
            "dashboard",
            [c for c, _g in columns],
            rows,
            filters,
        )
        report.series = [(_("Ontario (all partners)"), cube.trend(family, PROVINCE))]
    else:
        cube = suppressed_cube(filters=filters, as_of=as_of, own=own, results=results)
        partner = DeliveryPartner.objects.get(pk=own)
        columns = [
            (Column(str(own), _partner_label(partner), url=_partner_url(own)), own),
            (Column(PROVINCE, _("Ontario (all partners)"), "province"), PROVINCE),
        ]
        rows = _rows(cube, family, columns)
        cols = [c for c, _g in columns]
        medians = _median_cells(analyst_cube, family, [p.pk for p in partners])
        cols.append(Column("median", _("Provincial median of partners"), "median"))
        for row in rows:
            row.cells.append(medians[row.measure.key])
        report = Report(
            _("Outcome measures: %(partner)s and the province") % {"partner": partner.name},
            "dashboard",
            cols,
            rows,
            filters,
        )
        report.series = [(partner.name, cube.trend(family, own))]
    if filters.office_id is not None:
        _add_office_column(report, user=user, own=own, filters=filters, as_of=as_of, margin=cube)
    report.providers = _providers(filters=filters, own=own, as_of=as_of, margin=cube)
    return report


def _add_office_column(
    report: Report,
    *,
    user: Any,
    own: int | None,
    filters: ReportFilters,
    as_of: dt.date,
    margin: SuppressedCube,
) -> None:
    office = office_get_for_reports(user=user, office_id=filters.office_id or 0)
    cube = suppressed_cube(
        filters=filters,
        as_of=as_of,
        own=own,
        partner_id=office.delivery_partner_id,
        margin=margin,
    )
    report.columns.insert(0, Column(f"office-{office.pk}", office.name, "office"))
    for row in report.rows:
        row.cells.insert(0, cube.cell(row.measure.key, filters.family_type, office.pk))


PROVIDER_FIELDS = {
    # provider table column: the measure its total is (the scope's column of the main table)
    "made": "referrals_made",
    "accepted": "referrals_accepted_rate",
    "completed": "referrals_completed",
    "declined": "referrals_declined",
    "unanswered": "referrals_unanswered",
}


def _providers(
    *, filters: ReportFilters, own: int | None, as_of: dt.date, margin: SuppressedCube
) -> list[dict[str, Any]]:
    """Referrals by provider: providers × family types, suppressed as one table whose totals
    are the referral rows of the main table (all partners for analysts, whatever partners the
    page shows: a sum over a chosen set of partners would let two sets be subtracted)."""
    scope_group = PROVINCE if own is None else own
    by_family = {
        family: referrals_by_provider(
            filters=ReportFilters(
                filters.month_from,
                filters.month_to,
                None if own is None else (own,),
                None,
                family,
            ),
            as_of=as_of,
        )
        for family in FAMILY_VIEWS
    }
    names: dict[Any, str] = {}
    cells: dict[CubeKey, Cell] = {}
    for family, rows in by_family.items():
        for row in rows:
            names[row["provider_id"]] = row["provider"]
            for name in PROVIDER_FIELDS:
                cells[(name, family, row["provider_id"])] = _copy(row[name])
    providers = sorted(names, key=lambda pid: (names[pid], pid))
    fixed = set()
    for name, measure_key in PROVIDER_FIELDS.items():
        for family in FAMILY_VIEWS:
            cells[(name, family, PROVINCE)] = margin.cell(measure_key, family, scope_group)
            fixed.add((name, family, PROVINCE))
            for pid in providers:
                cells.setdefault(
                    (name, family, pid),
                    suppression.rate(0, 0) if name == "accepted" else suppression.count(0),
                )
    lines = []
    for name in PROVIDER_FIELDS:
        for family in FAMILY_VIEWS:
            lines.append(
                Line(tuple((name, family, pid) for pid in providers), (name, family, PROVINCE))
            )
        for pid in [*providers, PROVINCE]:
            lines.append(
                Line(tuple((name, f, pid) for f in FAMILY_VIEWS[1:]), (name, ALL_FAMILIES, pid))
            )
    links = [
        Link(("made", family, pid), ("accepted", family, pid))
        for family in FAMILY_VIEWS
        for pid in providers
    ]
    suppression.suppress_table(cells, lines, links, fixed=frozenset(fixed))
    family = filters.family_type
    out = []
    for row in by_family[family]:
        pid = row["provider_id"]
        published: dict[str, Any] = {"provider": row["provider"]}
        for name in PROVIDER_FIELDS:
            published[name] = _published(cells[(name, family, pid)])
        out.append(published)
    return out


@use_replica()
def compare_report(
    *, user: Any, first_id: int, second_id: int, filters: ReportFilters, as_of: dt.date
) -> Report:
    """Two partners side by side (ministry analysts only), with the decisions of the table of
    every partner (two partners beside the province would otherwise reveal the rest)."""
    if reports_scope(user) is not None:
        raise PermissionDeniedError(_("Only ministry analysts compare delivery partners."))
    first = partner_get_for_reports(user=user, partner_id=first_id)
    second = partner_get_for_reports(user=user, partner_id=second_id)
    cube = suppressed_cube(filters=filters, as_of=as_of)
    family = filters.family_type
    columns = [
        (Column(str(first.pk), first.name, url=_partner_url(first.pk)), first.pk),
        (Column(str(second.pk), second.name, url=_partner_url(second.pk)), second.pk),
        (Column(PROVINCE, _("Ontario (all partners)"), "province"), PROVINCE),
    ]
    rows = _rows(cube, family, columns)
    report = Report(
        _("Comparison: %(a)s and %(b)s") % {"a": first.name, "b": second.name},
        "compare",
        [c for c, _g in columns],
        rows,
        filters,
    )
    report.series = [
        (first.name, cube.trend(family, first.pk)),
        (second.name, cube.trend(family, second.pk)),
    ]
    return report


@use_replica()
def partner_report(*, user: Any, partner_id: int, filters: ReportFilters, as_of: dt.date) -> Report:
    """One partner's offices beside the partner total (own partner, or any for analysts)."""
    partner = partner_get_for_reports(user=user, partner_id=partner_id)
    own = reports_scope(user)
    cube = suppressed_cube(filters=filters, as_of=as_of, own=own, partner_id=partner.pk)
    offices = {o.pk: o for o in Office.objects.filter(delivery_partner=partner)}
    columns: list[tuple[Column, Any]] = []
    for group in cube.groups:
        label = offices[group].name if group in offices else _("No office recorded")
        columns.append((Column(f"office-{group}", label), group))
    columns.append((Column("partner", partner.name, "total"), PROVINCE))
    rows = _rows(cube, filters.family_type, columns)
    report = Report(
        _("Outcome measures by office: %(partner)s") % {"partner": partner.name},
        "partner",
        [c for c, _g in columns],
        rows,
        filters,
    )
    report.series = [(partner.name, cube.trend(filters.family_type, PROVINCE))]
    return report
