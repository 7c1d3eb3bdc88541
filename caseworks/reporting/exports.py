"""CSV and XLSX of exactly the table a page shows (suppressed cells stay suppressed: empty).
Text cells cannot run as formulas (caseworks.core.exports)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from caseworks.core.exports import safe_row, xlsx_write_rows

from .layout import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_table(report: Report) -> list[list[Any]]:
    """Header row, then one row per measure: section, measure, unit, one value per column,
    then the columns whose cell is suppressed (fewer than 10 people)."""
    header: list[Any] = [_("Section"), _("Measure"), _("Unit")]
    header += [column.label for column in report.columns]
    header.append(_("Suppressed (fewer than 10 people)"))
    table: list[list[Any]] = [header]
    for row in report.rows:
        values: list[Any] = [str(row.measure.section), str(row.measure.label), row.measure.kind]
        values += [cell.export_value() for cell in row.cells]
        values.append(
            "; ".join(
                c.label
                for c, cell in zip(report.columns, row.cells, strict=True)
                if cell.suppressed
            )
        )
        table.append(values)
    return table


def csv_response(table: Sequence[Sequence[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table:
        writer.writerow(safe_row(row))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: Sequence[Sequence[Any]], filename: str, title: str) -> HttpResponse:
    from openpyxl import Workbook  # noqa: PLC0415  # slow import, needed by XLSX exports only

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", title)[:31].strip() or "Report"
    xlsx_write_rows(sheet, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
