"""Applications and appointments that follow a case transferred to another partner."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType

from ..constants import (
    AppointmentStatus,
    InquiryStatus,
)
from ..models import (
    Application,
    Appointment,
    Inquiry,
)

# --- Transfers ------------------------------------------------------------------------------


@transaction.atomic
def applications_move_with_case(
    *, acting_user: User, transfer: Any, benefit_unit: BenefitUnit, person_ids: list[int]
) -> dict[str, int]:
    """Move the case's application, and its members' inquiries and appointments, from the
    sending partner to the receiving one (called by `case_transfer` through `case_transferred`,
    inside its transaction).

    An upcoming booked appointment is work in progress in the sender's calendar, with one of
    the sender's caseworkers: it is cancelled (with the transfer as the reason, and an
    `appointment_cancelled` event) rather than carried into the receiver's calendar, where the
    receiving team books its own. It still moves, so the receiver sees it on the client's
    inquiry and the sender's calendar no longer shows it.
    """
    from_id, to_id = transfer.from_partner_id, transfer.to_partner_id
    counts: dict[str, int] = {}
    application = (
        Application.objects.select_for_update()
        .filter(benefit_unit=benefit_unit, delivery_partner_id=from_id)
        .first()
    )
    if application is not None:
        application.delivery_partner_id = to_id
        application.version += 1
        application._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        application.save(update_fields=["delivery_partner", "version", "modified_at"])
        counts["applications"] = 1
    inquiries = list(
        Inquiry.objects.select_for_update()
        .filter(person_id__in=person_ids, delivery_partner_id=from_id)
        .order_by("id")
    )
    for inquiry in inquiries:
        inquiry.delivery_partner_id = to_id
        fields = ["delivery_partner", "modified_at"]
        if inquiry.assigned_to_id is not None:
            # The sender's staff member no longer sees it: back to the receiver's queue.
            inquiry.assigned_to = None
            if inquiry.status == InquiryStatus.ASSIGNED:
                inquiry.status = InquiryStatus.NEW
            fields += ["assigned_to", "status"]
        inquiry._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        inquiry.save(update_fields=fields)
    if inquiries:
        counts["inquiries"] = len(inquiries)
    appointments = (
        Appointment.objects.select_for_update()
        .filter(delivery_partner_id=from_id)
        .filter(
            models.Q(person_id__in=person_ids)
            | models.Q(inquiry_id__in=[inquiry.pk for inquiry in inquiries])
        )
        .order_by("id")
    )
    now = timezone.now()
    moved = cancelled = 0
    for appointment in appointments:
        fields = ["delivery_partner", "modified_at"]
        if appointment.status == AppointmentStatus.BOOKED and appointment.starts_at >= now:
            appointment.status = AppointmentStatus.CANCELLED
            fields.append("status")
            cancelled += 1
            audit_record(
                acting_user=acting_user,
                event_type=AuditEventType.APPOINTMENT_CANCELLED,
                subject=appointment,
                delivery_partner_id=from_id,
                person_id=appointment.person_id,
                extra_data={
                    "reason": _("The case was transferred to another delivery partner."),
                    "transfer": transfer.pk,
                },
            )
        appointment.delivery_partner_id = to_id
        appointment._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        appointment.save(update_fields=fields)
        moved += 1
    if moved:
        counts["appointments"] = moved
    if cancelled:
        counts["appointments_cancelled"] = cancelled
    return counts
