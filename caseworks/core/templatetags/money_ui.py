"""The one template filter for amounts: `{% load money_ui %}` then `{{ x.amount_cents|money }}`.

Stored integer cents, shown in the active language: "$1,234.50" / "1 234,50 $"
(`caseworks.core.money.display_cents`). An empty value shows "—", or the text given as the
argument: `{{ cell_cents|money:"<10" }}`, `{{ maybe_cents|money:"" }}`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.translation import get_language

from caseworks.core.money import display_cents

register = template.Library()

EMPTY = "—"


@register.filter
def money(cents: Any, empty: str = EMPTY) -> str:
    """Integer cents (or a Decimal number of cents, such as a mean, rounded half up to the cent)
    as money in the page's language."""
    if cents is None or cents == "":
        return escape(empty)  # a literal argument ("<10") arrives marked safe: escape it
    if isinstance(cents, float):
        raise TypeError("money is never a float; pass integer cents or a Decimal")
    if isinstance(cents, Decimal):
        cents = cents.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return display_cents(int(cents), get_language() or "en")
