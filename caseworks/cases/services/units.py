"""Creating a benefit unit and adding or ending its members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.partners.models import Office

from ..constants import (
    CaseStatus,
    MemberRole,
)
from ..models import (
    BenefitUnit,
    BenefitUnitMember,
    CaseStatusChange,
)
from ._common import (
    _check_person_free,
    _member_create,
    _save_bumped,
    benefit_unit_lock,
    case_number_for,
)


@transaction.atomic
def benefit_unit_create(
    *,
    acting_user: User,
    applicant: Person,
    opened_on: dt.date | None = None,
    office: Office | None = None,
    caseworker: Any | None = None,
) -> BenefitUnit:
    """Open a case (status pending: application in progress) with `applicant` as its applicant."""
    require_capability(acting_user, Capability.CASE_CREATE)
    require_same_partner(acting_user, applicant.delivery_partner_id)
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
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    role: str,
    start_on: dt.date,
    expected_version: int | None = None,
) -> BenefitUnitMember:
    """Add a spouse or dependant to a case from `start_on`."""
    require_capability(acting_user, Capability.CASE_EDIT)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
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
    acting_user: User,
    member: BenefitUnitMember,
    end_on: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> BenefitUnitMember:
    """A member leaves the case on `end_on` (the applicant leaves only when the case closes)."""
    require_capability(acting_user, Capability.CASE_EDIT)
    benefit_unit = member.benefit_unit
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
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
