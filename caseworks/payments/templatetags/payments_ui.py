"""Money in payment pages: always from stored integer cents, formatted for the page language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from caseworks.core.money import display_cents

register = template.Library()


@register.filter
def cents(value: Any) -> str:
    """Integer cents as money in the page's language: $1,234.50 / 1 234,50 $."""
    if value is None or value == "":
        return "—"
    return display_cents(int(value), get_language() or "en")


@register.filter
def bp_percent(value: Any) -> str:
    """Basis points as a percentage: 1000 → 10 %."""
    if value is None:
        return "—"
    return f"{int(value) / 100:g} %"
