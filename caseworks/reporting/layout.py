"""The shape of a published report: its columns, its rows of cells, and the page around them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .measures.base import ReportFilters
from .measures.registry import Measure
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
