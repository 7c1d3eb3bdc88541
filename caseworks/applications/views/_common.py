"""Helpers shared by the intake and application pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from caseworks.cases.constants import MemberRole
from caseworks.clients.services import client_file_access_record
from caseworks.core.money import display_cents, parse_dollars_to_cents

from ..models import Application


def _log_file_view(request: HttpRequest, application: Application, view_name: str) -> None:
    applicant = (
        application.benefit_unit.members.filter(role=MemberRole.APPLICANT)
        .select_related("person")
        .order_by("end_on", "-start_on", "-id")
        .first()
    )
    if applicant is not None:
        client_file_access_record(
            user=request.user,
            person=applicant.person,
            view_name=view_name,
            benefit_unit_id=application.benefit_unit_id,
        )


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
