"""Repair documents left behind by transfers made before `case_transfer` moved them (issue 13).

- A document on a case whose partner differs from the case's current partner moves to it.
- A document of a person on no case moves to the partner of the person's current case when
  that case was transferred away from the document's partner.

Documents keep no row history; each repaired case gets one `transfer_leftovers_moved`
AuditEvent listing the document ids it moved, with no acting user.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F
from django.utils import timezone

MIGRATION = "documents.0003_transfer_leftovers"


def move_leftover_documents(apps: Any, schema_editor: Any) -> None:
    Document = apps.get_model("documents", "Document")
    BenefitUnitMember = apps.get_model("cases", "BenefitUnitMember")
    CaseTransfer = apps.get_model("cases", "CaseTransfer")
    AuditEvent = apps.get_model("core", "AuditEvent")
    now = timezone.now()
    report: dict[Any, list[int]] = {}

    on_case = (
        Document.objects.filter(benefit_unit__isnull=False)
        .exclude(delivery_partner_id=F("benefit_unit__delivery_partner_id"))
        .select_related("benefit_unit")
    )
    for document in on_case.order_by("id"):
        report.setdefault(document.benefit_unit, []).append(document.pk)
    person_only = Document.objects.filter(benefit_unit__isnull=True, person__isnull=False).exclude(
        delivery_partner_id=F("person__delivery_partner_id")
    )
    for document in person_only.order_by("id"):
        member = (
            BenefitUnitMember.objects.filter(person_id=document.person_id, end_on__isnull=True)
            .select_related("benefit_unit")
            .first()
        )
        if (
            member is None
            or not CaseTransfer.objects.filter(
                benefit_unit=member.benefit_unit, from_partner_id=document.delivery_partner_id
            ).exists()
        ):
            continue
        report.setdefault(member.benefit_unit, []).append(document.pk)

    for case, pks in report.items():
        Document.objects.filter(pk__in=pks).update(delivery_partner_id=case.delivery_partner_id)
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
                "moved": {"documents": len(pks)},
                "ids": {"documents": pks},
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_storage"),
        ("cases", "0002_transfer_leftover_tasks"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_leftover_documents, migrations.RunPython.noop)]
