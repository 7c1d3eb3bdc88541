"""Helpers shared by the intake and application pages."""

from __future__ import annotations

from typing import Any

from caseworks.core.money import display_cents, parse_dollars_to_cents

from ..models import Application


def _current_members(application: Application) -> list[Any]:
    return list(
        application.benefit_unit.members.filter(end_on__isnull=True)
        .select_related("person")
        .order_by("start_on", "id")
    )


def _money_text(amount: Any, language: str) -> str:
    """The engine's "433.00" as "$433.00" / "433,00 $"; anything unreadable as it is."""
    try:
        return display_cents(parse_dollars_to_cents(str(amount)), language)
    except ValueError:
        return str(amount)
