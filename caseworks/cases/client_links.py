"""The cases app's readers for the client pages (clients.case_links), registered at start-up.

clients sits below cases and never imports it; these are the case reads its pages need.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects

from caseworks.accounts.constants import Capability
from caseworks.clients.case_links import CaseReaders, case_readers_register

from .constants import OPEN_STATUSES
from .models import BenefitUnit, BenefitUnitMember
from .selectors import benefit_unit_list_for_person, benefit_unit_queryset_for_user


def _has_open_case(cases: Sequence[BenefitUnit]) -> bool:
    return any(case.status in OPEN_STATUSES for case in cases)


def _attach_current_cases(*, people: list[Any]) -> None:
    prefetch_related_objects(
        people,
        Prefetch(
            "memberships",
            queryset=BenefitUnitMember.objects.filter(end_on__isnull=True).select_related(
                "benefit_unit"
            ),
            to_attr="current_memberships",
        ),
    )


def _access_filter_for_case(case_number: str) -> Q:
    return Q(
        benefit_unit_id__in=BenefitUnit.objects.filter(case_number=case_number).values("id")
    ) | Q(
        person_id__in=BenefitUnitMember.objects.filter(
            benefit_unit__case_number=case_number
        ).values("person_id")
    )


def _case_id_for_number(*, user: Any, case_number: str) -> int | None:
    """A case number typed in the client search opens the case, when the user may see it
    (partner-scoped by the selector); a user without case access gets the people search."""
    if not user.has_capability(Capability.CASE_VIEW):
        return None
    return (
        benefit_unit_queryset_for_user(user=user)
        .filter(case_number=case_number)
        .values_list("id", flat=True)
        .first()
    )


def register() -> None:
    case_readers_register(
        CaseReaders(
            cases_for_person=benefit_unit_list_for_person,
            has_open_case=_has_open_case,
            attach_current_cases=_attach_current_cases,
            access_filter_for_case=_access_filter_for_case,
            case_id_for_number=_case_id_for_number,
        )
    )
