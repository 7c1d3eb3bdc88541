"""Spreadsheet-safe cells for every CSV and XLSX export (OWASP "CSV Injection").

A payee, a survey answer or a partner name typed as `=HYPERLINK("http://evil", "Click")` must
reach the analyst's spreadsheet as text, never as a formula:

* CSV: text starting with = + - @ TAB CR gets a leading apostrophe (`csv_cell`, `safe_row`).
  Numbers stay numbers (a negative amount written as an int or Decimal is not text).
* XLSX: every text cell is written as a string (`data_type "s"`, number format "@"); a text
  starting with a formula character is kept as typed but marked `quotePrefix`, as Excel marks
  text typed with a leading apostrophe (`xlsx_write_rows`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_VALUES = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_cell(value: Any) -> str:
    """`value` as CSV text; a spreadsheet cannot run it as a formula (leading apostrophe)."""
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def safe_value(value: Any) -> Any:
    """A CSV cell: None is empty, numbers and dates stay as they are, anything else is text
    made safe by `csv_cell`."""
    if value is None:
        return ""
    if isinstance(value, _PLAIN_VALUES):
        return value
    return csv_cell(value)


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_value(value) for value in row]


def xlsx_write_rows(sheet: Worksheet, table: Iterable[Sequence[Any]]) -> None:
    """Write `table` from the first row of an empty `sheet`; text cells are strings, never
    formulas (control characters XML cannot hold are dropped)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415  # slow import

    for row_number, row in enumerate(table, start=1):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, _PLAIN_VALUES):
                cell.value = value
                continue
            text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            cell.value = text
            cell.data_type = "s"  # openpyxl makes any "=..." a formula ("f"): force text
            cell.number_format = "@"
            if is_formula_like(text):
                cell.quotePrefix = True
