from __future__ import annotations

from django import template

from ..suppression import SUPPRESSED_LABEL

register = template.Library()


@register.filter
def small(value: int | None) -> str:
    return SUPPRESSED_LABEL if value is None else str(value)
