"""Oversight dashboards, partner comparison, exports and policy simulation pages.

Reports and exports read from the read replica when one is configured (`use_replica`, under
`staff_view` so the session and the user come from the primary); the simulation pages read
their runs from the primary (a run just recorded must show), the simulation itself reads the
caseload from the replica (services.policy_simulation_run).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.forms import add_application_error
from caseworks.accounts.views import StaffRequest, staff_view
from caseworks.core.access import require_capability
from caseworks.core.db import use_replica
from caseworks.core.errors import ApplicationError, PermissionDeniedError

from . import charts
from .access import reports_scope
from .exports import csv_response, report_table, xlsx_response
from .forms import CompareForm, ReportFilterForm, SimulationForm
from .layout import Report
from .measures.base import FamilyType, add_months, month_start
from .models import PolicySimulation
from .reports import compare_report, dashboard_report, partner_report
from .services import CHANGE_BANDS, policy_simulation_run, suppressed_counts

EXPORT_FORMATS = ("csv", "xlsx")
# The measure drawn as bars across the columns (partners or offices).
BAR_MEASURES = (
    "caseload_cases",
    "exits_employment_rate",
    "cases_with_earnings",
    "job_min_wage_rate",
)


def _filter_form(request: HttpRequest) -> ReportFilterForm:
    own = reports_scope(request.user)
    data = request.GET if any(k in request.GET for k in ReportFilterForm.base_fields) else None
    return ReportFilterForm(data, own_partner_id=own, today=timezone.localdate())


def _chart_context(report: Report) -> dict[str, Any]:
    columns = [c for c in report.columns if c.role != "median"]
    bars = []
    for key in BAR_MEASURES:
        row = report.row(key)
        if row is None:
            continue
        points = [
            (column.label, cell)
            for column, cell in zip(report.columns, row.cells, strict=True)
            if column in columns
        ]
        title = str(row.measure.label)
        bars.append(
            {"title": title, "svg": charts.bar_chart(title, points), "points": points, "key": key}
        )
    distributions = []
    for title, keys in (
        (
            _("Time on assistance"),
            (
                "time_on_assistance_under_1y",
                "time_on_assistance_1_2y",
                "time_on_assistance_2_3y",
                "time_on_assistance_3y_plus",
            ),
        ),
        (
            _("Hours of jobs started"),
            ("job_hours_under_20", "job_hours_20_29", "job_hours_30_plus"),
        ),
    ):
        rows = [report.row(k) for k in keys]
        if any(r is None for r in rows):
            continue
        points = [(str(r.measure.label), r.cells[0]) for r in rows if r is not None]
        full_title = f"{title}: {report.columns[0].label}"
        distributions.append(
            {"title": full_title, "svg": charts.bar_chart(full_title, points), "points": points}
        )
    series_title = _("Cases at month end")
    months = sorted({m for _label, points in report.series for m, _c in points})
    return {
        "line_svg": charts.line_chart(series_title, report.series),
        "line_title": series_title,
        "series_months": months,
        "series_rows": [(label, [cell for _m, cell in points]) for label, points in report.series],
        "bars": bars,
        "distributions": distributions,
    }


def _render_report(request: HttpRequest, report: Report, extra: dict[str, Any]) -> HttpResponse:
    user: Any = request.user
    export_kwargs = extra.pop("export_kwargs", {})
    export_name = extra.pop("export_name")
    suffix = f"?{request.GET.urlencode()}" if request.GET else ""
    context = {
        "export_csv_url": reverse(export_name, kwargs={**export_kwargs, "fmt": "csv"}) + suffix,
        "export_xlsx_url": reverse(export_name, kwargs={**export_kwargs, "fmt": "xlsx"}) + suffix,
        "perms_simulate": user.has_capability(Capability.POLICY_SIMULATE),
        "perms_surveys": user.has_capability(Capability.SURVEY_MANAGE)
        or user.has_capability(Capability.SURVEY_RESPOND),
        "report": report,
        "language": get_language() or "en",
        "query": request.GET.urlencode(),
        **_chart_context(report),
        **extra,
    }
    return render(request, "reporting/report.html", context)


def _export(report: Report, fmt: str, name: str) -> HttpResponse:
    table = report_table(report)
    stamp = f"{report.filters.month_from:%Y-%m}_{report.filters.month_to:%Y-%m}"
    if fmt == "csv":
        return csv_response(table, f"{name}_{stamp}")
    return xlsx_response(table, f"{name}_{stamp}", str(report.title))


def _check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise Http404


@staff_view
@use_replica()
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    report = dashboard_report(
        user=request.user, filters=form.report_filters(), as_of=timezone.localdate()
    )
    own = reports_scope(request.user)
    return _render_report(
        request,
        report,
        {
            "form": form,
            "compare_form": CompareForm() if own is None else None,
            "export_name": "reporting:dashboard_export",
        },
    )


@staff_view
@use_replica()
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_format(fmt)
    form = _filter_form(request)
    report = dashboard_report(
        user=request.user, filters=form.report_filters(), as_of=timezone.localdate()
    )
    return _export(report, fmt, "outcome_measures")


def _compare(request: HttpRequest) -> tuple[Report | None, CompareForm, ReportFilterForm]:
    if reports_scope(request.user) is not None:
        raise PermissionDeniedError(_("Only ministry analysts compare delivery partners."))
    compare_form = CompareForm(request.GET or None)
    form = _filter_form(request)
    report = None
    if compare_form.is_valid():
        report = compare_report(
            user=request.user,
            first_id=compare_form.cleaned_data["first"].pk,
            second_id=compare_form.cleaned_data["second"].pk,
            filters=form.report_filters(),
            as_of=timezone.localdate(),
        )
    return report, compare_form, form


@staff_view
@use_replica()
def compare(request: HttpRequest) -> HttpResponse:
    report, compare_form, form = _compare(request)
    if report is None:
        return render(
            request,
            "reporting/compare_choose.html",
            {"compare_form": compare_form, "form": form},
            status=200 if not request.GET else 422,
        )
    return _render_report(
        request,
        report,
        {"form": form, "compare_form": compare_form, "export_name": "reporting:compare_export"},
    )


@staff_view
@use_replica()
def compare_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_format(fmt)
    report, _compare_form, _form = _compare(request)
    if report is None:
        raise Http404
    return _export(report, fmt, "partner_comparison")


@staff_view
@use_replica()
def partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    form = _filter_form(request)
    report = partner_report(
        user=request.user,
        partner_id=partner_id,
        filters=form.report_filters(),
        as_of=timezone.localdate(),
    )
    return _render_report(
        request,
        report,
        {
            "form": form,
            "export_name": "reporting:partner_export",
            "export_kwargs": {"partner_id": partner_id},
        },
    )


@staff_view
@use_replica()
def partner_export(request: HttpRequest, partner_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    form = _filter_form(request)
    report = partner_report(
        user=request.user,
        partner_id=partner_id,
        filters=form.report_filters(),
        as_of=timezone.localdate(),
    )
    return _export(report, fmt, "outcome_measures_by_office")


@staff_view
def simulation(request: StaffRequest) -> HttpResponseBase:
    require_capability(request.user, Capability.POLICY_SIMULATE)
    form = SimulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = policy_simulation_run(
                acting_user=request.user,
                overrides=form.overrides(),
                benefit_month=month_start(timezone.localdate()),
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect("reporting:simulation_detail", simulation_id=run.pk)
    recent = PolicySimulation.objects.select_related("run_by")[:10]
    return render(
        request,
        "reporting/simulation.html",
        {"form": form, "recent": recent},
        status=422 if request.method == "POST" else 200,
    )


@staff_view
def simulation_detail(request: HttpRequest, simulation_id: int) -> HttpResponse:
    require_capability(request.user, Capability.POLICY_SIMULATE)
    run = PolicySimulation.objects.filter(pk=simulation_id).first()
    if run is None:
        raise Http404
    summary = suppressed_counts(run.summary)
    band_labels = {
        "lose_over_100": _("Lose more than $100 a month"),
        "lose_up_to_100": _("Lose up to $100 a month"),
        "no_change": _("No change"),
        "gain_up_to_100": _("Gain up to $100 a month"),
        "gain_over_100": _("Gain more than $100 a month"),
    }
    from .suppression import Cell  # noqa: PLC0415

    def cell(value: int | None) -> Cell:
        return Cell("count", value, suppressed=value is None)

    band_points = [
        (str(band_labels[key]), cell(summary["bands"].get(key))) for key, _lo, _hi in CHANGE_BANDS
    ]
    title = _("Cases by change in monthly payment")
    families = [(label, summary["by_family"].get(key, {})) for key, label in FamilyType.CHOICES]
    return render(
        request,
        "reporting/simulation_detail.html",
        {
            "run": run,
            "summary": summary,
            "band_points": band_points,
            "band_svg": charts.bar_chart(title, band_points),
            "band_title": title,
            "families": families,
            "previous_month": add_months(run.benefit_month, -1),
        },
    )
