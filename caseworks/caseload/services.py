"""Caseload writes: bulk reassignment (each case through cases.services.case_reassign)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import case_reassign
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError

MAX_BULK = 500


@transaction.atomic(durable=True)
def caseload_reassign(
    *, acting_user: User, benefit_unit_ids: list[int], caseworker: Any
) -> list[BenefitUnit]:
    """Give one or many cases to `caseworker`: all or nothing, one CASE_REASSIGNED audit event
    per case (written by case_reassign)."""
    require_capability(acting_user, Capability.CASE_REASSIGN)
    ids = sorted(set(benefit_unit_ids))
    if not ids:
        raise ApplicationError(_("Choose at least one case."), field="cases")
    if len(ids) > MAX_BULK:
        raise ApplicationError(
            _("Reassign at most %(n)d cases at a time.") % {"n": MAX_BULK}, field="cases"
        )
    moved = []
    for benefit_unit_id in ids:
        benefit_unit = benefit_unit_get_for_user(user=acting_user, benefit_unit_id=benefit_unit_id)
        if benefit_unit.caseworker_id == caseworker.pk:
            continue
        moved.append(
            case_reassign(acting_user=acting_user, benefit_unit=benefit_unit, caseworker=caseworker)
        )
    return moved
