"""Repair tasks left behind by transfers made before `case_transfer` moved them (issue 13).

A task on a case whose partner differs from the case's current partner moves to it; if it is
still open and assigned to someone of another partner, it becomes unassigned (as a transfer does
now). Row history cannot be written here (simple-history's manager is not available to
historical models in a migration), so each repaired case gets one `transfer_leftovers_moved`
AuditEvent listing the task ids it moved, with no acting user.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F
from django.utils import timezone

MIGRATION = "cases.0002_transfer_leftover_tasks"


def move_leftover_tasks(apps: Any, schema_editor: Any) -> None:
    Task = apps.get_model("cases", "Task")
    AuditEvent = apps.get_model("core", "AuditEvent")
    leftovers = (
        Task.objects.filter(benefit_unit__isnull=False)
        .exclude(delivery_partner_id=F("benefit_unit__delivery_partner_id"))
        .select_related("benefit_unit", "assigned_to")
        .order_by("benefit_unit_id", "id")
    )
    by_case: dict[Any, list[Any]] = {}
    for task in leftovers:
        by_case.setdefault(task.benefit_unit, []).append(task)
    now = timezone.now()
    for case, tasks in by_case.items():
        unassigned = []
        from_partners = sorted({task.delivery_partner_id for task in tasks})
        for task in tasks:
            task.delivery_partner_id = case.delivery_partner_id
            fields = ["delivery_partner", "modified_at"]
            if (
                task.status == "open"
                and task.assigned_to is not None
                and task.assigned_to.delivery_partner_id != case.delivery_partner_id
            ):
                task.assigned_to = None
                fields.append("assigned_to")
                unassigned.append(task.pk)
            task.modified_at = now
            task.save(update_fields=fields)
        AuditEvent.objects.create(
            event_time=now,
            event_type="transfer_leftovers_moved",
            acting_user=None,
            delivery_partner_id=case.delivery_partner_id,
            subject_type="cases.benefitunit",
            subject_id=str(case.pk),
            benefit_unit_id=case.pk,
            extra_data={
                "migration": MIGRATION,
                "moved": {"tasks": len(tasks), "tasks_open_unassigned": len(unassigned)},
                "task_ids": [task.pk for task in tasks],
                "from_partners": from_partners,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_leftover_tasks, migrations.RunPython.noop)]
