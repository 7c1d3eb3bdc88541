"""Template filters for employment pages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from caseworks.core.money import display_cents

register = template.Library()


@register.filter
def dollars(cents: int | None) -> str:
    """Integer cents as money in the page's language: $17.60 / 17,60 $."""
    if cents is None:
        return "—"
    return display_cents(int(cents), get_language() or "en")
