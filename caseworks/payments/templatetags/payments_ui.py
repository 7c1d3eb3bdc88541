"""Helpers for payment pages. Amounts use the `money` filter (`{% load money_ui %}`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from caseworks.calculation.labels import citation_text

register = template.Library()


@register.filter
def bp_percent(value: Any) -> str:
    """Basis points as a percentage: 1000 → 10 %."""
    if value is None:
        return "—"
    return f"{int(value) / 100:g} %"


@register.filter
def shelter_label(value: Any) -> str:
    """A stored type of housing in the page's language."""
    from caseworks.payments.forms import SHELTER_CHOICES  # noqa: PLC0415  # forms load late

    return str(dict(SHELTER_CHOICES).get(value, value))


@register.filter
def asset_label(value: Any) -> str:
    """A stored type of asset in the page's language."""
    from caseworks.applications.constants import AssetType  # noqa: PLC0415

    return str(dict(AssetType.choices).get(value, value))


@register.filter
def citation(value: Any) -> str:
    """A legal citation in the page's language ("O. Reg. 134/98, s. 62" → "Règl. de l'Ont.
    134/98, art. 62"), by the one citation translator the notices use."""
    return citation_text(str(value or ""), get_language() or "en")
