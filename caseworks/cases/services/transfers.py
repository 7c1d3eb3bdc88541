"""Reassigning a case within its partner and transferring it to another partner."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.partners.models import DeliveryPartner, Office

from ..constants import (
    CaseStatus,
    TaskStatus,
    TransferKind,
)
from ..models import (
    BenefitUnit,
    CaseTransfer,
    Task,
)
from ..signals import case_transferred
from ._common import _save_bumped, benefit_unit_lock


@transaction.atomic
def case_reassign(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    caseworker: Any,
    expected_version: int | None = None,
) -> BenefitUnit:
    """A supervisor gives a case to another caseworker of the same partner."""
    require_capability(acting_user, Capability.CASE_REASSIGN)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if (
        caseworker.delivery_partner_id != benefit_unit.delivery_partner_id
        or caseworker.role
        not in (
            Role.CASEWORKER,
            Role.EMPLOYMENT_CASEWORKER,
            Role.SUPERVISOR,
        )
    ):
        raise ApplicationError(
            _("Choose a caseworker of this delivery partner."), field="caseworker"
        )
    locked = benefit_unit_lock(benefit_unit, expected_version)
    old = locked.caseworker_id
    locked.caseworker = caseworker
    _save_bumped(locked, acting_user, ["caseworker"])
    # Open tasks that arrived unassigned with a transfer go to the case's new caseworker.
    tasks_assigned = []
    for task in Task.objects.select_for_update().filter(
        benefit_unit=locked, status=TaskStatus.OPEN, assigned_to__isnull=True
    ):
        task.assigned_to = caseworker
        task._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        task.save(update_fields=["assigned_to", "modified_at"])
        tasks_assigned.append(task.pk)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_REASSIGNED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.pk,
        extra_data={"old": old, "new": caseworker.pk, "tasks_assigned": tasks_assigned},
    )
    return locked


@transaction.atomic
def case_transfer(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    to_partner: DeliveryPartner,
    kind: str,
    reason: str,
    to_office: Office | None = None,
    expected_version: int | None = None,
) -> CaseTransfer:
    """Hand a case to another delivery partner (e.g. Ministry intake → local partner).

    The case and every current member move to the receiving partner, which from then on is the
    only partner that can see them, and so does every case-level record of the case and its
    members, in this transaction: the case's tasks here, and the rows of the apps above `cases`
    (documents, applications, inquiries, appointments) through the `case_transferred` signal
    (see `signals.py`). The audit event lists how many rows of each kind moved.

    Open tasks move unassigned: the work still has to be done for the client (a proof of rent
    is still missing), so closing them would lose it, but the sending partner's staff can no
    longer do it. Unassigned, they show on the case for the receiving team, and go to the
    caseworker the receiving supervisor assigns (`case_reassign`). Partner-level records (payment
    runs, audit events, access logs, the transfer itself) stay: they are the sender's history.
    """
    require_capability(acting_user, Capability.CASE_TRANSFER)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if kind not in TransferKind.values:
        raise ApplicationError(_("Unknown kind of transfer."), field="kind")
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the transfer."), field="reason")
    if to_office is not None and to_office.delivery_partner_id != to_partner.pk:
        raise ApplicationError(
            _("The office belongs to another delivery partner."), field="to_office"
        )
    if kind == TransferKind.OFFICE_CHANGE and to_partner.pk != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("An office change stays within the partner."), field="to_partner")
    if kind != TransferKind.OFFICE_CHANGE and to_partner.pk == benefit_unit.delivery_partner_id:
        raise ApplicationError(_("Choose another delivery partner."), field="to_partner")
    locked = benefit_unit_lock(benefit_unit, expected_version)
    if locked.status not in (CaseStatus.PENDING, CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        raise ApplicationError(_("Only an open case can be transferred."), field="status")
    transfer = CaseTransfer.objects.create(
        benefit_unit=locked,
        kind=kind,
        from_partner_id=locked.delivery_partner_id,
        to_partner=to_partner,
        from_office_id=locked.office_id,
        to_office=to_office,
        reason=reason.strip(),
        transferred_by=acting_user,
    )
    person_ids = list(
        locked.members.filter(end_on__isnull=True).values_list("person_id", flat=True)
    )
    for person in Person.objects.select_for_update().filter(pk__in=person_ids):
        person.delivery_partner = to_partner
        person._history_user = acting_user  # type: ignore[attr-defined]
        person.save(update_fields=["delivery_partner", "modified_at"])
    partner_changes = to_partner.pk != locked.delivery_partner_id
    if partner_changes:
        locked.caseworker = None
    locked.delivery_partner = to_partner
    locked.office = to_office
    _save_bumped(locked, acting_user, ["delivery_partner", "office", "caseworker"])
    moved: dict[str, int] = {}
    if partner_changes:
        moved.update(_tasks_move_with_case(acting_user=acting_user, transfer=transfer))
        responses = case_transferred.send(
            sender=BenefitUnit,
            transfer=transfer,
            benefit_unit=locked,
            person_ids=person_ids,
            acting_user=acting_user,
        )
        for _receiver, response in responses:
            counts: dict[str, int] = response if isinstance(response, dict) else {}
            for kind_moved, count in counts.items():
                moved[kind_moved] = moved.get(kind_moved, 0) + count
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_TRANSFERRED,
        subject=locked,
        delivery_partner_id=transfer.from_partner_id,
        benefit_unit_id=locked.pk,
        extra_data={
            "kind": kind,
            "from_partner": transfer.from_partner_id,
            "to_partner": to_partner.pk,
            "to_office": to_office.pk if to_office else None,
            "person_ids": person_ids,
            "reason": reason.strip(),
            "moved": moved,
        },
    )
    return transfer


def _tasks_move_with_case(*, acting_user: User, transfer: CaseTransfer) -> dict[str, int]:
    """The case's tasks go to the receiving partner; open ones lose their (sender's) assignee."""
    moved = opened = 0
    tasks = Task.objects.select_for_update().filter(
        benefit_unit_id=transfer.benefit_unit_id, delivery_partner_id=transfer.from_partner_id
    )
    for task in tasks.order_by("id"):
        task.delivery_partner_id = transfer.to_partner_id
        fields = ["delivery_partner", "modified_at"]
        if task.status == TaskStatus.OPEN:
            task.assigned_to = None
            fields.append("assigned_to")
            opened += 1
        task._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        task.save(update_fields=fields)
        moved += 1
    return {"tasks": moved, "tasks_open_unassigned": opened} if moved else {}
