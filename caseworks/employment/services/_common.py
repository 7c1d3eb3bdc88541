"""Helpers shared by the employment services: partner check, audited save, audit record."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import Person
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError

logger = logging.getLogger("caseworks.employment.services")

MAX_RESPONSE_DAYS = 90
MAX_HOURS_PER_WEEK = Decimal(168)


def _save(obj: Any, acting_user: User, fields: list[str] | None = None) -> None:
    obj._history_user = acting_user if getattr(acting_user, "pk", None) else None
    obj.full_clean()
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "modified_at"])


def _require_current_member(benefit_unit: BenefitUnit, person: Person) -> None:
    if not benefit_unit.members.filter(person=person, end_on__isnull=True).exists():
        raise ApplicationError(
            _("This person is not a current member of the case."), field="person"
        )


def _audit_case(
    acting_user: User,
    event: AuditEventType,
    obj: Any,
    benefit_unit: BenefitUnit,
    person_id: int | None,
    **extra: Any,
) -> None:
    audit_record(
        acting_user=acting_user,
        event_type=event,
        subject=obj,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person_id=person_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data=extra,
    )


@dataclass
class RaiseResult:
    created: int = 0
    skipped: int = 0
