"""The reconciliation table of a released run, for the run page (issue 12)."""

from __future__ import annotations

from typing import Any

from django import template

from caseworks.payments.reconciliation import METHODS, ROW_LABELS, ROWS, reconciliation

register = template.Library()


@register.simple_tag
def run_reconciliation_table(run: Any) -> list[tuple[Any, list[tuple[int, int]]]]:
    report = reconciliation(run)
    return [(ROW_LABELS[row], [report[row][m] for m in (*METHODS, "total")]) for row in ROWS]
