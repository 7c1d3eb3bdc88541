"""Helpers shared by the case services: case numbers, partner check, locking, members."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.clients.models import Person
from caseworks.core.errors import ApplicationError, ConflictError

from ..models import (
    BenefitUnit,
    BenefitUnitMember,
)

CASE_NUMBER_PREFIX = "CW"
NOTE_MAX_LENGTH = 10_000


def case_number_for(pk: int) -> str:
    """'CW' + 8 digits + a Luhn check digit, so a mistyped number is caught at the counter."""
    body = f"{pk:08d}"
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return f"{CASE_NUMBER_PREFIX}{body}{(10 - total % 10) % 10}"


def case_version_conflict(field: str = "version") -> ConflictError:
    """The one message for a stale save of a case (optimistic concurrency)."""
    return ConflictError(
        _(
            "Someone else changed this case while you were working on it. "
            "Reload the page to see their change, then try again."
        ),
        field=field,
    )


def benefit_unit_lock(benefit_unit: BenefitUnit, expected_version: int | None) -> BenefitUnit:
    """Lock the case row; refuse if someone saved it since the caller read it."""
    locked = BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    if expected_version is not None and locked.version != expected_version:
        raise case_version_conflict()
    return locked


def _save_bumped(benefit_unit: BenefitUnit, acting_user: User, fields: list[str]) -> None:
    benefit_unit.version += 1
    benefit_unit._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    benefit_unit.save(update_fields=[*fields, "version", "modified_at"])


def _member_create(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    role: str,
    start_on: dt.date,
) -> BenefitUnitMember:
    member = BenefitUnitMember(
        benefit_unit=benefit_unit, person=person, role=role, start_on=start_on
    )
    member._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    member.save()
    return member


def _check_person_free(person: Person) -> None:
    if BenefitUnitMember.objects.filter(person=person, end_on__isnull=True).exists():
        raise ApplicationError(
            _("%(name)s is already a member of a current case.") % {"name": person.full_name},
            field="person",
            code="already_on_case",
        )
