from __future__ import annotations

from django import template
from django.utils.translation import get_language

from caseworks.core.money import display_cents

from ..suppression import SUPPRESSED_LABEL

register = template.Library()


@register.filter
def dollars(cents: int | None) -> str:
    if cents is None:
        return SUPPRESSED_LABEL
    return display_cents(int(cents), (get_language() or "en")[:2])


@register.filter
def small(value: int | None) -> str:
    return SUPPRESSED_LABEL if value is None else str(value)
