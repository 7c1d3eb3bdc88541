"""Tasks on a case: create and complete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import own_partner_id, require_same_partner

from ..constants import (
    TaskStatus,
)
from ..models import (
    BenefitUnit,
    Task,
)


@transaction.atomic
def task_create(
    *,
    acting_user: User,
    title: str,
    due_on: dt.date,
    benefit_unit: BenefitUnit | None = None,
    assigned_to: Any | None = None,
    kind: str = "general",
) -> Task:
    require_capability(acting_user, Capability.TASK_MANAGE)
    partner_id = own_partner_id(acting_user)
    if benefit_unit is not None:
        require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if not title.strip():
        raise ApplicationError(_("The task needs a title."), field="title")
    assignee = assigned_to or (benefit_unit.caseworker if benefit_unit else None) or acting_user
    if assignee.delivery_partner_id != partner_id:
        raise ApplicationError(_("Assign the task to someone in your office."), field="assigned_to")
    task = Task(
        delivery_partner_id=partner_id,
        benefit_unit=benefit_unit,
        assigned_to=assignee,
        kind=kind,
        title=title.strip(),
        due_on=due_on,
    )
    task._history_user = acting_user  # type: ignore[attr-defined]
    task.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.TASK_CREATED,
        subject=task,
        delivery_partner_id=partner_id,
        benefit_unit_id=benefit_unit.pk if benefit_unit else None,
        extra_data={"title": task.title, "due_on": due_on.isoformat(), "kind": kind},
    )
    return task


@transaction.atomic
def task_complete(*, acting_user: User, task: Task) -> Task:
    require_capability(acting_user, Capability.TASK_MANAGE)
    require_same_partner(acting_user, task.delivery_partner_id)
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.status != TaskStatus.OPEN:
        raise ApplicationError(_("This task is already closed."), field="status")
    locked.status = TaskStatus.DONE
    locked.completed_at = timezone.now()
    locked.completed_by = acting_user
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "completed_at", "completed_by", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.TASK_COMPLETED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
    )
    return locked
