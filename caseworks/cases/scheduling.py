"""Shared by the scheduled jobs that raise tasks (plan reviews, referrals, job follow-ups).

A scheduled job has no person at the keyboard. It raises the task on behalf of a staff member of
the case's delivery partner who may manage tasks: the person who created the record that asked
for it (e.g. who sent the referral), else the case's caseworker, else a supervisor of the partner.
The task is assigned to the case's caseworker (cases.services.task_create), and the AuditEvent
names that acting user. If nobody qualifies the item is skipped and reported by the command.
It lives in cases, below the apps whose jobs use it (employment, plans).
"""

from __future__ import annotations

from typing import Any

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User

from .models import BenefitUnit


def _qualifies(user: Any, partner_id: int) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.delivery_partner_id == partner_id
        and user.has_capability(Capability.TASK_MANAGE)
    )


def scheduled_task_actor(*, benefit_unit: BenefitUnit, preferred: Any | None) -> Any | None:
    """The staff member a scheduled job acts for on this case, or None."""
    partner_id = benefit_unit.delivery_partner_id
    for candidate in (preferred, benefit_unit.caseworker):
        if _qualifies(candidate, partner_id):
            return candidate
    return (
        User.objects.filter(delivery_partner_id=partner_id, role=Role.SUPERVISOR, is_active=True)
        .order_by("id")
        .first()
    )
