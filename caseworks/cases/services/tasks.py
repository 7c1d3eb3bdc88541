"""Tasks on a case: create and complete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
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

TASK_TITLE_MAX_LENGTH = 200  # Task.title


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
    if len(title.strip()) > TASK_TITLE_MAX_LENGTH:
        raise ApplicationError(
            _("The task's title can have at most %(n)d characters.") % {"n": TASK_TITLE_MAX_LENGTH},
            field="title",
        )
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


def _assignee_error(acting_user: User, assignee: User | None) -> ApplicationError | None:
    if (
        assignee is None
        or not assignee.is_active
        or assignee.delivery_partner_id != acting_user.delivery_partner_id
        or not assignee.has_capability(Capability.TASK_MANAGE)
    ):
        return ApplicationError(
            _("Choose a colleague of your office who handles tasks."),
            field="assigned_to",
            code="invalid_assignee",
        )
    return None


def _assign_locked(*, acting_user: User, task: Task, assignee: User) -> Task:
    """Assign one locked, open task; the audit event and the history row name the actor."""
    old = task.assigned_to_id
    task.assigned_to = assignee
    task.assigned_by = acting_user
    task.assigned_at = timezone.now()
    # Handing a task to oneself is no news: only a colleague's hand-over is a notice.
    task.assignment_seen_at = timezone.now() if assignee.pk == acting_user.pk else None
    task._history_user = acting_user  # type: ignore[attr-defined]
    task.save(
        update_fields=[
            "assigned_to",
            "assigned_by",
            "assigned_at",
            "assignment_seen_at",
            "modified_at",
        ]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.TASK_ASSIGNED,
        subject=task,
        delivery_partner_id=task.delivery_partner_id,
        benefit_unit_id=task.benefit_unit_id,
        extra_data={"from_user_id": old, "to_user_id": assignee.pk},
    )
    return task


def _locked_open_tasks(acting_user: User, task_ids: list[int]) -> list[Task]:
    if not task_ids:
        raise ApplicationError(
            _("Select at least one task."), field="tasks", code="nothing_selected"
        )
    tasks = list(
        Task.objects.select_for_update().filter(pk__in=set(task_ids)).order_by("due_on", "id")
    )
    if len(tasks) != len(set(task_ids)):
        raise ApplicationError(_("A selected task no longer exists."), field="tasks")
    for task in tasks:
        require_same_partner(acting_user, task.delivery_partner_id)
        if task.status != TaskStatus.OPEN:
            raise ApplicationError(
                _("“%(title)s” is already closed.") % {"title": task.title}, field="tasks"
            )
    return tasks


def _notify_assignee(*, acting_user: User, assignee: User, tasks: list[Task]) -> None:
    """The staff e-mail about tasks a colleague handed over (as the invitations send theirs).
    How many, who and when only: titles name clients, and e-mail is not access-controlled.
    Nothing is sent to oneself or to a colleague without an e-mail address."""
    if assignee.pk == acting_user.pk or not assignee.email:
        return
    with translation.override(getattr(assignee, "preferred_language", "") or "en"):
        subject = _("Caseworks: %(count)d task(s) assigned to you") % {"count": len(tasks)}
        body = render_to_string(
            "cases/task_assigned_email.txt",
            {
                "by": acting_user.get_full_name() or acting_user.username,
                "tasks": tasks,
                "first_due": min(t.due_on for t in tasks),
                "link": f"{settings.SITE_URL.rstrip('/')}{reverse('home')}",
            },
        )
    send_mail(subject, body, None, [assignee.email], fail_silently=False)


@transaction.atomic
def task_assign(*, acting_user: User, task: Task, assigned_to: User) -> Task:
    """Hand an open task to a colleague of the same partner; they see a notice on their home
    page (and an e-mail when they have an address)."""
    return task_bulk_assign(acting_user=acting_user, task_ids=[task.pk], assigned_to=assigned_to)[0]


@transaction.atomic
def task_bulk_assign(*, acting_user: User, task_ids: list[int], assigned_to: User) -> list[Task]:
    """Assign every selected open task to one colleague: all or nothing."""
    require_capability(acting_user, Capability.TASK_MANAGE)
    error = _assignee_error(acting_user, assigned_to)
    if error is not None:
        raise error
    tasks = _locked_open_tasks(acting_user, task_ids)
    assigned = [
        _assign_locked(acting_user=acting_user, task=task, assignee=assigned_to) for task in tasks
    ]
    _notify_assignee(acting_user=acting_user, assignee=assigned_to, tasks=assigned)
    return assigned


@transaction.atomic
def task_bulk_complete(*, acting_user: User, task_ids: list[int]) -> list[Task]:
    """Mark every selected open task done: all or nothing."""
    require_capability(acting_user, Capability.TASK_MANAGE)
    tasks = _locked_open_tasks(acting_user, task_ids)
    now = timezone.now()
    for task in tasks:
        task.status = TaskStatus.DONE
        task.completed_at = now
        task.completed_by = acting_user
        task._history_user = acting_user  # type: ignore[attr-defined]
        task.save(update_fields=["status", "completed_at", "completed_by", "modified_at"])
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.TASK_COMPLETED,
            subject=task,
            delivery_partner_id=task.delivery_partner_id,
            benefit_unit_id=task.benefit_unit_id,
        )
    return tasks


@transaction.atomic
def task_notices_dismiss(*, acting_user: User, task_ids: list[int]) -> int:
    """The assignee has read the notices of tasks handed to them (their own tasks only)."""
    require_capability(acting_user, Capability.CASE_VIEW)
    tasks = list(
        Task.objects.select_for_update().filter(
            pk__in=set(task_ids), assigned_to=acting_user, assignment_seen_at__isnull=True
        )
    )
    for task in tasks:
        task.assignment_seen_at = timezone.now()
        task._history_user = acting_user  # type: ignore[attr-defined]
        task.save(update_fields=["assignment_seen_at", "modified_at"])
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.TASK_NOTICE_SEEN,
            subject=task,
            delivery_partner_id=task.delivery_partner_id,
            benefit_unit_id=task.benefit_unit_id,
        )
    return len(tasks)
