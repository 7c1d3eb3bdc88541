"""Helpers for payment pages. Amounts use the `money` filter (`{% load money_ui %}`)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def bp_percent(value: Any) -> str:
    """Basis points as a percentage: 1000 → 10 %."""
    if value is None:
        return "—"
    return f"{int(value) / 100:g} %"
