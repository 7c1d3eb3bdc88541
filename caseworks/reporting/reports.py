"""The tables the dashboards show (and export), checked against the reader's rights.

* Ministry analysts (provincial staff) see every partner, a comparison of two partners and any
  partner's offices.
* Anyone else with REPORTS_VIEW (partner administrators, supervisors) sees only their own
  partner (and its offices) beside the provincial total and the provincial median; another
  partner's page is a 404.

Suppression (suppression.py) is applied here, once per view, so the page and its CSV/XLSX export
are the same cells. The reports read from the read replica when one is configured (`use_replica`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.db import use_replica
from caseworks.core.errors import PermissionDeniedError
from caseworks.partners.models import DeliveryPartner, Office

from . import suppression
from .selectors import (
    MEASURES,
    PROVINCE,
    Measure,
    MeasureResults,
    ReportFilters,
    compute_measures,
    referrals_by_provider,
)
from .suppression import Cell


@dataclass
class Column:
    key: str
    label: str
    # "group" columns add up to the "total" column of the same table (secondary suppression).
    role: str = "group"  # group | total | province | median
    url: str = ""  # the partner's own page (offices), when the column is a partner


@dataclass
class Row:
    measure: Measure
    cells: list[Cell]


@dataclass
class Report:
    title: str
    view: str
    columns: list[Column]
    rows: list[Row]
    not_computed: list[tuple[Measure, str]]
    filters: ReportFilters
    series: list[tuple[str, list[tuple[dt.date, Cell]]]] = field(default_factory=list)
    providers: list[dict[str, Any]] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[Row]]]:
        out: list[tuple[str, list[Row]]] = []
        for row in self.rows:
            label = str(row.measure.section)
            if not out or out[-1][0] != label:
                out.append((label, []))
            out[-1][1].append(row)
        return out

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.measure.key == key), None)


def reports_scope(user: Any) -> int | None:
    """None for provincial staff (every partner), else the user's own partner id."""
    require_capability(user, Capability.REPORTS_VIEW)
    return partner_scope(user)


def _partner_url(partner_id: int) -> str:
    return reverse("reporting:partner", args=[partner_id])


def _partner_label(partner: DeliveryPartner) -> str:
    return partner.name


def _results_to_rows(
    results: MeasureResults, columns: list[tuple[Column, Any]]
) -> tuple[list[Row], list[tuple[Measure, str]]]:
    rows = []
    for measure in MEASURES:
        if measure.key in results.not_computed:
            continue
        by_group = results.cells[measure.key]
        cells = []
        for _column, group in columns:
            cell = by_group.get(group)
            if cell is None:
                cell = _zero(measure)
            cells.append(_copy(cell))
        rows.append(Row(measure, cells))
    missing = [(m, results.not_computed[m.key]) for m in MEASURES if m.key in results.not_computed]
    return rows, missing


def _zero(measure: Measure) -> Cell:
    if measure.kind == "count":
        return suppression.count(0)
    if measure.kind == "rate":
        return suppression.rate(0, 0)
    return Cell(measure.kind, None, None, 0)


def _copy(cell: Cell) -> Cell:
    return Cell(cell.kind, cell.value, cell.numerator, cell.denominator)


def _suppress(rows: list[Row], columns: list[Column], *, rows_add_up: bool) -> None:
    """Primary, then secondary (rows and additive groups in a column) until nothing changes."""
    for row in rows:
        suppression.suppress_primary(row.cells)
    group_indexes = [i for i, c in enumerate(columns) if c.role == "group"]
    for _round in range(5):
        before = sum(c.suppressed for r in rows for c in r.cells)
        if rows_add_up and len(group_indexes) > 1:
            for row in rows:
                suppression.suppress_secondary_row([row.cells[i] for i in group_indexes])
        additive: dict[str, list[Row]] = {}
        for row in rows:
            if row.measure.additive_group:
                additive.setdefault(row.measure.additive_group, []).append(row)
        for group_rows in additive.values():
            for index in range(len(columns)):
                suppression.suppress_secondary_row([r.cells[index] for r in group_rows])
        if sum(c.suppressed for r in rows for c in r.cells) == before:
            break


def _median_cells(results: MeasureResults, partner_ids: list[int]) -> dict[str, Cell]:
    """Median of the partners' figures that survive primary suppression."""
    out: dict[str, Cell] = {}
    for measure in MEASURES:
        if measure.key in results.not_computed:
            continue
        values = []
        for pid in partner_ids:
            cell = results.cells[measure.key].get(pid)
            if cell is None:
                continue
            probe = _copy(cell)
            probe.apply_primary()
            if not probe.suppressed and probe.value is not None:
                values.append(Decimal(probe.value))
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
    all_filters = ReportFilters(
        filters.month_from, filters.month_to, None, None, filters.family_type
    )
    results = compute_measures(filters=all_filters, as_of=as_of)
    partners = list(
        DeliveryPartner.objects.filter(
            pk__in=[g for g in results.groups if g is not None]
        ).order_by("name")
    )
    if own is None:
        shown = [p for p in partners if filters.partner_ids is None or p.pk in filters.partner_ids]
        columns: list[tuple[Column, Any]] = [
            (Column(str(p.pk), _partner_label(p), url=_partner_url(p.pk)), p.pk) for p in shown
        ]
        columns.append((Column(PROVINCE, _("Ontario (all partners)"), "province"), PROVINCE))
        rows, missing = _results_to_rows(results, columns)
        cols = [c for c, _g in columns]
        # The row rule applies when every partner is shown (they add up to the total).
        _suppress(rows, cols, rows_add_up=filters.partner_ids is None)
        report = Report(
            _("Outcome measures: all delivery partners"), "dashboard", cols, rows, missing, filters
        )
        report.series = [
            (_("Ontario (all partners)"), results.series["caseload_cases"].get(PROVINCE, []))
        ]
    else:
        partner = DeliveryPartner.objects.get(pk=own)
        columns = [
            (Column(str(own), _partner_label(partner), url=_partner_url(own)), own),
            (Column(PROVINCE, _("Ontario (all partners)"), "province"), PROVINCE),
        ]
        rows, missing = _results_to_rows(results, columns)
        cols = [c for c, _g in columns]
        _suppress(rows, cols, rows_add_up=False)
        for row in rows:
            suppression.suppress_complement(row.cells[0], row.cells[1])
        medians = _median_cells(results, [p.pk for p in partners])
        cols.append(Column("median", _("Provincial median of partners"), "median"))
        for row in rows:
            row.cells.append(medians[row.measure.key])
        report = Report(
            _("Outcome measures: %(partner)s and the province") % {"partner": partner.name},
            "dashboard",
            cols,
            rows,
            missing,
            filters,
        )
        report.series = [(partner.name, results.series["caseload_cases"].get(own, []))]
    if filters.office_id is not None:
        _add_office_column(report, user=user, own=own, filters=filters, as_of=as_of)
    _suppress_series(report)
    report.providers = _providers(filters=filters, own=own, as_of=as_of)
    return report


def _add_office_column(
    report: Report, *, user: Any, own: int | None, filters: ReportFilters, as_of: dt.date
) -> None:
    office = office_get_for_reports(user=user, office_id=filters.office_id or 0)
    office_filters = ReportFilters(
        filters.month_from,
        filters.month_to,
        (office.delivery_partner_id,),
        office.pk,
        filters.family_type,
    )
    results = compute_measures(filters=office_filters, group_by="office", as_of=as_of)
    report.columns.insert(0, Column(f"office-{office.pk}", office.name, "office"))
    for row in report.rows:
        cell = results.cells.get(row.measure.key, {}).get(office.pk) or _zero(row.measure)
        cell = _copy(cell)
        cell.apply_primary()
        row.cells.insert(0, cell)


def _suppress_series(report: Report) -> None:
    for _label, points in report.series:
        for _month, cell in points:
            cell.apply_primary()


def _providers(*, filters: ReportFilters, own: int | None, as_of: dt.date) -> list[dict[str, Any]]:
    scoped = filters
    if own is not None:
        scoped = ReportFilters(
            filters.month_from, filters.month_to, (own,), None, filters.family_type
        )
    rows = referrals_by_provider(filters=scoped, as_of=as_of)
    for row in rows:
        for key in ("made", "accepted", "completed", "declined", "unanswered"):
            row[key].apply_primary()
    return rows


def office_get_for_reports(*, user: Any, office_id: int) -> Office:
    own = reports_scope(user)
    qs = Office.objects.select_related("delivery_partner")
    if own is not None:
        qs = qs.filter(delivery_partner_id=own)
    office = qs.filter(pk=office_id).first()
    if office is None:
        raise Http404
    return office


def partner_get_for_reports(*, user: Any, partner_id: int) -> DeliveryPartner:
    """Another partner's report is a 404 for partner staff."""
    own = reports_scope(user)
    if own is not None and own != partner_id:
        raise Http404
    partner = DeliveryPartner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner


@use_replica()
def compare_report(
    *, user: Any, first_id: int, second_id: int, filters: ReportFilters, as_of: dt.date
) -> Report:
    """Two partners side by side (ministry analysts only)."""
    if reports_scope(user) is not None:
        raise PermissionDeniedError(_("Only ministry analysts compare delivery partners."))
    first = partner_get_for_reports(user=user, partner_id=first_id)
    second = partner_get_for_reports(user=user, partner_id=second_id)
    all_filters = ReportFilters(
        filters.month_from, filters.month_to, None, None, filters.family_type
    )
    results = compute_measures(filters=all_filters, as_of=as_of)
    columns = [
        (Column(str(first.pk), first.name, url=_partner_url(first.pk)), first.pk),
        (Column(str(second.pk), second.name, url=_partner_url(second.pk)), second.pk),
        (Column(PROVINCE, _("Ontario (all partners)"), "province"), PROVINCE),
    ]
    rows, missing = _results_to_rows(results, columns)
    cols = [c for c, _g in columns]
    _suppress(rows, cols, rows_add_up=False)
    report = Report(
        _("Comparison: %(a)s and %(b)s") % {"a": first.name, "b": second.name},
        "compare",
        cols,
        rows,
        missing,
        filters,
    )
    report.series = [
        (first.name, results.series["caseload_cases"].get(first.pk, [])),
        (second.name, results.series["caseload_cases"].get(second.pk, [])),
    ]
    _suppress_series(report)
    return report


@use_replica()
def partner_report(*, user: Any, partner_id: int, filters: ReportFilters, as_of: dt.date) -> Report:
    """One partner's offices beside the partner total (own partner, or any for analysts)."""
    partner = partner_get_for_reports(user=user, partner_id=partner_id)
    scoped = ReportFilters(
        filters.month_from, filters.month_to, (partner.pk,), None, filters.family_type
    )
    by_office = compute_measures(filters=scoped, group_by="office", as_of=as_of)
    offices = {o.pk: o for o in Office.objects.filter(delivery_partner=partner)}
    columns: list[tuple[Column, Any]] = []
    for group in by_office.groups:
        label = offices[group].name if group in offices else _("No office recorded")
        columns.append((Column(f"office-{group}", label), group))
    columns.append((Column("partner", partner.name, "total"), PROVINCE))
    rows, missing = _results_to_rows(by_office, columns)
    cols = [c for c, _g in columns]
    _suppress(rows, cols, rows_add_up=True)
    report = Report(
        _("Outcome measures by office: %(partner)s") % {"partner": partner.name},
        "partner",
        cols,
        rows,
        missing,
        filters,
    )
    report.series = [(partner.name, by_office.series["caseload_cases"].get(PROVINCE, []))]
    _suppress_series(report)
    return report
