"""Repair applications, inquiries and appointments left behind by transfers made before
`case_transfer` moved them (issue 13).

- An application whose partner differs from its case's current partner moves to it.
- An inquiry or appointment of a person moves to the partner of the person's current case when
  that case was transferred away from the row's partner (the row was left behind by that
  transfer); an appointment booked on such an inquiry follows it. An upcoming booked
  appointment is cancelled, as a transfer does now: it was the sending partner's calendar.

Row history cannot be written here (simple-history's manager is not available to historical
models in a migration), so each repaired case gets one `transfer_leftovers_moved` AuditEvent
listing the ids it moved, with no acting user.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

MIGRATION = "applications.0003_transfer_leftovers"


def _case_taking(apps: Any, person_id: int, old_partner_id: int) -> Any | None:
    """The person's current case, if it was transferred away from `old_partner_id`."""
    BenefitUnitMember = apps.get_model("cases", "BenefitUnitMember")
    CaseTransfer = apps.get_model("cases", "CaseTransfer")
    member = (
        BenefitUnitMember.objects.filter(person_id=person_id, end_on__isnull=True)
        .select_related("benefit_unit")
        .first()
    )
    if member is None:
        return None
    case = member.benefit_unit
    if case.delivery_partner_id == old_partner_id:
        return None
    if not CaseTransfer.objects.filter(benefit_unit=case, from_partner_id=old_partner_id).exists():
        return None
    return case


def move_leftover_application_rows(apps: Any, schema_editor: Any) -> None:
    Application = apps.get_model("applications", "Application")
    Inquiry = apps.get_model("applications", "Inquiry")
    Appointment = apps.get_model("applications", "Appointment")
    AuditEvent = apps.get_model("core", "AuditEvent")
    now = timezone.now()
    report: dict[Any, dict[str, list[int]]] = {}

    def note(case: Any, kind: str, pk: int) -> None:
        report.setdefault(case, {}).setdefault(kind, []).append(pk)

    leftovers = Application.objects.exclude(
        delivery_partner_id=F("benefit_unit__delivery_partner_id")
    ).select_related("benefit_unit")
    for application in leftovers.order_by("id"):
        case = application.benefit_unit
        application.delivery_partner_id = case.delivery_partner_id
        application.version += 1
        application.modified_at = now
        application.save(update_fields=["delivery_partner", "version", "modified_at"])
        note(case, "applications", application.pk)

    moved_inquiries: dict[int, Any] = {}
    inquiries = Inquiry.objects.filter(person__isnull=False).exclude(
        delivery_partner_id=F("person__delivery_partner_id")
    )
    for inquiry in inquiries.order_by("id"):
        case = _case_taking(apps, inquiry.person_id, inquiry.delivery_partner_id)
        if case is None:
            continue
        inquiry.delivery_partner_id = case.delivery_partner_id
        inquiry.modified_at = now
        inquiry.save(update_fields=["delivery_partner", "modified_at"])
        moved_inquiries[inquiry.pk] = case
        note(case, "inquiries", inquiry.pk)

    appointments = Appointment.objects.filter(
        Q(inquiry_id__in=list(moved_inquiries))
        | (Q(person__isnull=False) & ~Q(delivery_partner_id=F("person__delivery_partner_id")))
    )
    for appointment in appointments.order_by("id"):
        case = None
        if appointment.inquiry_id in moved_inquiries:
            case = moved_inquiries[appointment.inquiry_id]
        elif appointment.person_id is not None:
            case = _case_taking(apps, appointment.person_id, appointment.delivery_partner_id)
        if case is None or case.delivery_partner_id == appointment.delivery_partner_id:
            continue
        fields = ["delivery_partner", "modified_at"]
        if appointment.status == "booked" and appointment.starts_at >= now:
            appointment.status = "cancelled"
            fields.append("status")
            note(case, "appointments_cancelled", appointment.pk)
        appointment.delivery_partner_id = case.delivery_partner_id
        appointment.modified_at = now
        appointment.save(update_fields=fields)
        note(case, "appointments", appointment.pk)

    for case, ids in report.items():
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
                "moved": {kind: len(pks) for kind, pks in ids.items()},
                "ids": ids,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_initial"),
        ("cases", "0002_transfer_leftover_tasks"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_leftover_application_rows, migrations.RunPython.noop)]
