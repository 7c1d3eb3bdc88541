"""Writes to cases: one transaction each, with an audit event and row history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.partners.models import DeliveryPartner, Office

from .constants import (
    ALLOWED_TRANSITIONS,
    REASON_REQUIRED,
    REINSTATEMENT_WINDOW_MONTHS,
    CaseStatus,
    MemberRole,
    TaskStatus,
    TransferKind,
)
from .models import (
    BenefitUnit,
    BenefitUnitMember,
    CaseNote,
    CaseStatusChange,
    CaseTransfer,
    Task,
)
from .signals import case_transferred

CASE_NUMBER_PREFIX = "CW"
NOTE_MAX_LENGTH = 10_000


def case_number_for(pk: int) -> str:
    """'CW' + 8 digits + a Luhn check digit, so a mistyped number is caught at the counter."""
    body = f"{pk:08d}"
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return f"{CASE_NUMBER_PREFIX}{body}{(10 - total % 10) % 10}"


def _require_own_partner(acting_user: Any, partner_id: int) -> None:
    if acting_user.delivery_partner_id != partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))


def case_version_conflict(field: str = "version") -> ConflictError:
    """The one message for a stale save of a case (optimistic concurrency)."""
    return ConflictError(
        _(
            "Someone else changed this case while you were working on it. "
            "Reload the page to see their change, then try again."
        ),
        field=field,
    )


def benefit_unit_lock(benefit_unit: BenefitUnit, expected_version: int | None) -> BenefitUnit:
    """Lock the case row; refuse if someone saved it since the caller read it."""
    locked = BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    if expected_version is not None and locked.version != expected_version:
        raise case_version_conflict()
    return locked


def _save_bumped(benefit_unit: BenefitUnit, acting_user: Any, fields: list[str]) -> None:
    benefit_unit.version += 1
    benefit_unit._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    benefit_unit.save(update_fields=[*fields, "version", "modified_at"])


def _member_create(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    person: Person,
    role: str,
    start_on: dt.date,
) -> BenefitUnitMember:
    member = BenefitUnitMember(
        benefit_unit=benefit_unit, person=person, role=role, start_on=start_on
    )
    member._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    member.save()
    return member


def _check_person_free(person: Person) -> None:
    if BenefitUnitMember.objects.filter(person=person, end_on__isnull=True).exists():
        raise ApplicationError(
            _("%(name)s is already a member of a current case.") % {"name": person.full_name},
            field="person",
            code="already_on_case",
        )


@transaction.atomic
def benefit_unit_create(
    *,
    acting_user: Any,
    applicant: Person,
    opened_on: dt.date | None = None,
    office: Office | None = None,
    caseworker: Any | None = None,
) -> BenefitUnit:
    """Open a case (status pending: application in progress) with `applicant` as its applicant."""
    require_capability(acting_user, Capability.CASE_CREATE)
    _require_own_partner(acting_user, applicant.delivery_partner_id)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ApplicationError(_("A case cannot open in the future."), field="opened_on")
    if office is not None and office.delivery_partner_id != applicant.delivery_partner_id:
        raise ApplicationError(_("The office belongs to another delivery partner."), field="office")
    if caseworker is not None and caseworker.delivery_partner_id != applicant.delivery_partner_id:
        raise ApplicationError(
            _("The caseworker works for another delivery partner."), field="caseworker"
        )
    Person.objects.select_for_update().get(pk=applicant.pk)
    _check_person_free(applicant)
    benefit_unit = BenefitUnit(
        case_number=f"TMP-{timezone.now().timestamp():.6f}"[:16],
        delivery_partner_id=applicant.delivery_partner_id,
        office=office or acting_user.office,
        caseworker=caseworker,
        status=CaseStatus.PENDING,
        opened_on=opened_on,
        status_changed_on=opened_on,
    )
    benefit_unit._history_user = acting_user  # type: ignore[attr-defined]
    benefit_unit.save()
    benefit_unit.case_number = case_number_for(benefit_unit.pk)
    benefit_unit.save(update_fields=["case_number"])
    _member_create(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        person=applicant,
        role=MemberRole.APPLICANT,
        start_on=opened_on,
    )
    CaseStatusChange.objects.create(
        benefit_unit=benefit_unit,
        from_status="",
        to_status=CaseStatus.PENDING,
        effective_on=opened_on,
        changed_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BENEFIT_UNIT_CREATED,
        subject=benefit_unit,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person_id=applicant.pk,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"case_number": benefit_unit.case_number, "opened_on": opened_on.isoformat()},
    )
    return benefit_unit


@transaction.atomic
def benefit_unit_member_add(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    person: Person,
    role: str,
    start_on: dt.date,
    expected_version: int | None = None,
) -> BenefitUnitMember:
    """Add a spouse or dependant to a case from `start_on`."""
    require_capability(acting_user, Capability.CASE_EDIT)
    _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
    if role not in MemberRole.values or role == MemberRole.APPLICANT:
        raise ApplicationError(
            _("Role must be spouse, dependent adult or dependent child."), field="role"
        )
    if person.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(
            _("This person belongs to another delivery partner."), field="person"
        )
    if start_on < benefit_unit.opened_on:
        raise ApplicationError(_("A member cannot join before the case opened."), field="start_on")
    locked = benefit_unit_lock(benefit_unit, expected_version)
    if locked.status not in (CaseStatus.PENDING, CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        raise ApplicationError(_("Members can only be added to an open case."), field="status")
    age = relativedelta(start_on, person.date_of_birth).years
    if role == MemberRole.DEPENDANT_CHILD and age >= 18:
        raise ApplicationError(_("A dependent child must be under 18."), field="role")
    if role in (MemberRole.DEPENDANT_ADULT, MemberRole.SPOUSE) and age < 16:
        raise ApplicationError(_("A spouse or dependent adult must be 16 or older."), field="role")
    Person.objects.select_for_update().get(pk=person.pk)
    _check_person_free(person)
    if (
        role == MemberRole.SPOUSE
        and locked.members.filter(role=MemberRole.SPOUSE, end_on__isnull=True).exists()
    ):
        raise ApplicationError(_("This case already has a spouse."), field="role")
    try:
        with transaction.atomic():
            member = _member_create(
                acting_user=acting_user,
                benefit_unit=locked,
                person=person,
                role=role,
                start_on=start_on,
            )
    except IntegrityError as exc:  # a concurrent add won the race for the same person
        raise ApplicationError(
            _("%(name)s is already a member of a current case.") % {"name": person.full_name},
            field="person",
        ) from exc
    _save_bumped(locked, acting_user, [])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BENEFIT_UNIT_MEMBER_ADDED,
        subject=member,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=locked.pk,
        extra_data={"role": role, "start_on": start_on.isoformat()},
    )
    return member


@transaction.atomic
def benefit_unit_member_end(
    *,
    acting_user: Any,
    member: BenefitUnitMember,
    end_on: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> BenefitUnitMember:
    """A member leaves the case on `end_on` (the applicant leaves only when the case closes)."""
    require_capability(acting_user, Capability.CASE_EDIT)
    benefit_unit = member.benefit_unit
    _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
    if member.role == MemberRole.APPLICANT:
        raise ApplicationError(
            _("The applicant stays on the case until it closes."), field="member"
        )
    if not reason.strip():
        raise ApplicationError(_("Give the reason the member left."), field="reason")
    locked = benefit_unit_lock(benefit_unit, expected_version)
    member = BenefitUnitMember.objects.select_for_update().get(pk=member.pk)
    if member.end_on is not None:
        raise ApplicationError(_("This member has already left the case."), field="member")
    if end_on < member.start_on:
        raise ApplicationError(_("The end date is before the member joined."), field="end_on")
    member.end_on = end_on
    member._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    member.save(update_fields=["end_on", "modified_at"])
    _save_bumped(locked, acting_user, [])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BENEFIT_UNIT_MEMBER_ENDED,
        subject=member,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=member.person_id,
        benefit_unit_id=locked.pk,
        extra_data={"end_on": end_on.isoformat(), "reason": reason.strip()},
    )
    return member


def case_status_transition_error(
    benefit_unit: BenefitUnit, to_status: str, on: dt.date
) -> str | None:
    """Why `benefit_unit` may not move to `to_status`, or None if it may."""
    if to_status not in CaseStatus.values:
        return _("Unknown case status “%(status)s”.") % {"status": to_status}
    if to_status not in ALLOWED_TRANSITIONS[benefit_unit.status]:
        allowed = ", ".join(
            str(CaseStatus(s).label) for s in sorted(ALLOWED_TRANSITIONS[benefit_unit.status])
        )
        return _("A case that is “%(from)s” cannot become “%(to)s”. Allowed: %(allowed)s.") % {
            "from": CaseStatus(benefit_unit.status).label,
            "to": CaseStatus(to_status).label,
            "allowed": allowed or _("none (this status is final)"),
        }
    if (
        benefit_unit.status == CaseStatus.CLOSED
        and benefit_unit.closed_on is not None
        and on > benefit_unit.closed_on + relativedelta(months=REINSTATEMENT_WINDOW_MONTHS)
    ):
        return _(
            "This case closed more than %(months)d months ago; the person must apply again."
        ) % {"months": REINSTATEMENT_WINDOW_MONTHS}
    return None


@transaction.atomic
def case_status_change(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    to_status: str,
    reason: str = "",
    effective_on: dt.date | None = None,
    expected_version: int | None = None,
) -> BenefitUnit:
    """Move a case to a new status, only along ALLOWED_TRANSITIONS."""
    require_capability(acting_user, Capability.CASE_STATUS_CHANGE)
    _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
    effective_on = effective_on or timezone.localdate()
    locked = benefit_unit_lock(benefit_unit, expected_version)
    error = case_status_transition_error(locked, to_status, effective_on)
    if error:
        raise ApplicationError(error, field="status", code="invalid_transition")
    if to_status in REASON_REQUIRED and not reason.strip():
        raise ApplicationError(_("Give the reason for this decision."), field="reason")
    if effective_on < locked.status_changed_on:
        raise ApplicationError(
            _("The effective date is before the case's last status change."), field="effective_on"
        )
    from_status = locked.status
    locked.status = to_status
    locked.status_changed_on = effective_on
    fields = ["status", "status_changed_on"]
    if to_status in (CaseStatus.CLOSED, CaseStatus.DENIED, CaseStatus.WITHDRAWN):
        locked.closed_on = effective_on
        # A closed case frees its members so that they can be served on another case. Each
        # membership is saved on its own so that its row history names the acting user.
        for member in locked.members.filter(end_on__isnull=True).select_for_update():
            member.end_on = effective_on
            member._history_user = acting_user  # type: ignore[attr-defined]
            member.save(update_fields=["end_on", "modified_at"])
        fields.append("closed_on")
    elif from_status == CaseStatus.CLOSED:
        for member in locked.members.filter(end_on=locked.closed_on).select_related("person"):
            _check_person_free(member.person)
            _member_create(
                acting_user=acting_user,
                benefit_unit=locked,
                person=member.person,
                role=member.role,
                start_on=effective_on,
            )
        locked.closed_on = None
        fields.append("closed_on")
    _save_bumped(locked, acting_user, fields)
    CaseStatusChange.objects.create(
        benefit_unit=locked,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason.strip(),
        changed_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_STATUS_CHANGED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.pk,
        extra_data={
            "old": from_status,
            "new": to_status,
            "effective_on": effective_on.isoformat(),
            "reason": reason.strip(),
        },
    )
    return locked


@transaction.atomic
def case_note_create(*, acting_user: Any, benefit_unit: BenefitUnit, body: str) -> CaseNote:
    require_capability(acting_user, Capability.CASE_NOTE_CREATE)
    _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
    body = body.strip()
    if not body:
        raise ApplicationError(_("The note is empty."), field="body")
    if len(body) > NOTE_MAX_LENGTH:
        raise ApplicationError(
            _("A note can be at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}, field="body"
        )
    note = CaseNote(benefit_unit=benefit_unit, author=acting_user, body=body)
    note._history_user = acting_user  # type: ignore[attr-defined]
    note.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_NOTE_CREATED,
        subject=note,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"length": len(body)},
    )
    return note


@transaction.atomic
def task_create(
    *,
    acting_user: Any,
    title: str,
    due_on: dt.date,
    benefit_unit: BenefitUnit | None = None,
    assigned_to: Any | None = None,
    kind: str = "general",
) -> Task:
    require_capability(acting_user, Capability.TASK_MANAGE)
    partner_id = acting_user.delivery_partner_id
    if benefit_unit is not None:
        _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
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
def task_complete(*, acting_user: Any, task: Task) -> Task:
    require_capability(acting_user, Capability.TASK_MANAGE)
    _require_own_partner(acting_user, task.delivery_partner_id)
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


@transaction.atomic
def case_reassign(
    *,
    acting_user: Any,
    benefit_unit: BenefitUnit,
    caseworker: Any,
    expected_version: int | None = None,
) -> BenefitUnit:
    """A supervisor gives a case to another caseworker of the same partner."""
    require_capability(acting_user, Capability.CASE_REASSIGN)
    _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
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
    acting_user: Any,
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
    _require_own_partner(acting_user, benefit_unit.delivery_partner_id)
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


def _tasks_move_with_case(*, acting_user: Any, transfer: CaseTransfer) -> dict[str, int]:
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
