"""Recalculation of past months: the code lives in services/recalculation.py; this module keeps
the old import path for the other apps.
"""

from __future__ import annotations

from .services.recalculation import (
    MAX_MONTHS,
    MonthChange,
    determination_for_month,
    recalculation_apply,
    recalculation_preview,
)

__all__ = [
    "MAX_MONTHS",
    "MonthChange",
    "determination_for_month",
    "recalculation_apply",
    "recalculation_preview",
]
