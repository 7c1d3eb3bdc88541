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
