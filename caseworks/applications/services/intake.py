"""Pre-screening and inquiries: the first contact, before an application."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.calculation import engine
from caseworks.clients.models import Person
from caseworks.clients.services import person_create
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import own_partner_id

from ..constants import (
    InquiryCloseReason,
    InquiryStatus,
    PrescreenResult,
)
from ..models import (
    Inquiry,
)
from ._common import MAX_ASSET_CENTS, _check_cents, _require_own

# --- Screening ------------------------------------------------------------------------------


def prescreen_unit(
    *,
    adults: int,
    children: int,
    has_spouse: bool,
    monthly_income_cents: int,
    shelter_cost_cents: int,
    assets_cents: int,
    benefit_month: dt.date,
) -> dict[str, Any]:
    """A rough benefit unit for a phone pre-screen, made by the one rules-input builder."""
    from caseworks.payments.facts import prescreen_facts, rules_unit  # noqa: PLC0415  # app order

    unit, _missing = rules_unit(
        prescreen_facts(
            adults=adults,
            children=children,
            has_spouse=has_spouse,
            monthly_income_cents=monthly_income_cents,
            shelter_cost_cents=shelter_cost_cents,
            assets_cents=assets_cents,
            benefit_month=benefit_month,
        ),
        benefit_month,
    )
    assert unit is not None  # a pre-screen household always has an applicant and housing
    return unit


@transaction.atomic
def inquiry_record(
    *,
    acting_user: User,
    caller_name: str,
    phone: str = "",
    adults: int = 1,
    children: int = 0,
    has_spouse: bool = False,
    monthly_income_cents: int = 0,
    shelter_cost_cents: int = 0,
    assets_cents: int = 0,
    person: Person | None = None,
) -> Inquiry:
    """Record a caller and pre-screen them with the rules engine (likely eligible or not, why)."""
    require_capability(acting_user, Capability.INQUIRY_RECORD)
    if not caller_name.strip():
        raise ApplicationError(_("Enter the caller's name."), field="caller_name")
    if not 1 <= adults <= 20:
        raise ApplicationError(_("Adults must be between 1 and 20."), field="adults")
    if not 0 <= children <= 20:
        raise ApplicationError(_("Children must be between 0 and 20."), field="children")
    if has_spouse and adults < 2:
        raise ApplicationError(_("A spouse counts as a second adult."), field="adults")
    for name, value in (
        ("monthly_income_cents", monthly_income_cents),
        ("shelter_cost_cents", shelter_cost_cents),
    ):
        _check_cents(value, name)
    _check_cents(assets_cents, "assets_cents", MAX_ASSET_CENTS)
    if person is not None:
        _require_own(acting_user, person.delivery_partner_id)
    unit = prescreen_unit(
        adults=adults,
        children=children,
        has_spouse=has_spouse,
        monthly_income_cents=monthly_income_cents,
        shelter_cost_cents=shelter_cost_cents,
        assets_cents=assets_cents,
        benefit_month=timezone.localdate().replace(day=1),
    )
    result = engine.calculate(unit)
    inquiry = Inquiry(
        delivery_partner_id=own_partner_id(acting_user),
        recorded_by=acting_user,
        person=person,
        caller_name=caller_name.strip(),
        phone=phone.strip(),
        adults=adults,
        children=children,
        has_spouse=has_spouse,
        monthly_income_cents=monthly_income_cents,
        shelter_cost_cents=shelter_cost_cents,
        assets_cents=assets_cents,
        prescreen_result=PrescreenResult.LIKELY_ELIGIBLE
        if result["eligible"]
        else PrescreenResult.LIKELY_INELIGIBLE,
        prescreen_snapshot={"input": unit, "output": result},
        rules_version=result["rules_version"],
    )
    inquiry._history_user = acting_user  # type: ignore[attr-defined]
    inquiry.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INQUIRY_RECORDED,
        subject=inquiry,
        delivery_partner_id=inquiry.delivery_partner_id,
        person_id=person.pk if person else None,
        extra_data={"prescreen_result": inquiry.prescreen_result},
    )
    return inquiry


# --- The intake queue -------------------------------------------------------------------------


def _lock_inquiry(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


@transaction.atomic
def inquiry_assign(*, acting_user: User, inquiry: Inquiry, assignee: User) -> Inquiry:
    """Give an inquiry to a member of staff of the same partner who screens callers."""
    require_capability(acting_user, Capability.INQUIRY_RECORD)
    _require_own(acting_user, inquiry.delivery_partner_id)
    if (
        assignee.delivery_partner_id != inquiry.delivery_partner_id
        or not assignee.is_active
        or not assignee.has_capability(Capability.INQUIRY_RECORD)
    ):
        raise ApplicationError(
            _("Choose a member of your partner's staff who handles inquiries."),
            field="assignee",
            code="assignee_not_allowed",
        )
    locked = _lock_inquiry(inquiry)
    if locked.status == InquiryStatus.CLOSED:
        raise ApplicationError(
            _("This inquiry is closed; it cannot be assigned."), field="status", code="closed"
        )
    old = locked.assigned_to_id
    locked.assigned_to = assignee
    locked.status = InquiryStatus.ASSIGNED
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["assigned_to", "status", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INQUIRY_ASSIGNED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={"old": old, "new": assignee.pk},
    )
    return locked


@transaction.atomic
def inquiry_close(*, acting_user: User, inquiry: Inquiry, reason: str) -> Inquiry:
    """Take an inquiry out of the queue, with one of the listed reasons."""
    require_capability(acting_user, Capability.INQUIRY_RECORD)
    _require_own(acting_user, inquiry.delivery_partner_id)
    if reason not in InquiryCloseReason.values:
        raise ApplicationError(
            _("Choose the reason for closing the inquiry from the list."),
            field="reason",
            code="reason_required",
        )
    locked = _lock_inquiry(inquiry)
    if locked.status == InquiryStatus.CLOSED:
        raise ApplicationError(
            _("This inquiry is already closed."), field="status", code="already_closed"
        )
    return inquiry_closed_save(acting_user=acting_user, locked=locked, reason=reason)


def inquiry_closed_save(*, acting_user: User, locked: Inquiry, reason: str) -> Inquiry:
    """Close a locked, open inquiry (for `inquiry_close` and the application's start)."""
    old = locked.status
    locked.status = InquiryStatus.CLOSED
    locked.close_reason = reason
    locked.closed_at = timezone.now()
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "close_reason", "closed_at", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INQUIRY_CLOSED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={"old": old, "new": InquiryStatus.CLOSED, "reason": reason},
    )
    return locked


def inquiry_person_link_error(inquiry: Inquiry) -> ApplicationError | None:
    """Why a person cannot be linked to `inquiry` now, or None."""
    if inquiry.person_id is not None:
        return ApplicationError(
            _("This inquiry is already linked to a registered person."),
            field="person",
            code="already_linked",
        )
    return None


@transaction.atomic
def inquiry_person_link(*, acting_user: User, inquiry: Inquiry, person: Person) -> Inquiry:
    """Link the caller of an inquiry to the person registered for them: the inquiry, and the
    appointments booked from it, then show on that person's file."""
    require_capability(acting_user, Capability.INQUIRY_RECORD)
    _require_own(acting_user, inquiry.delivery_partner_id)
    _require_own(acting_user, person.delivery_partner_id)
    locked = _lock_inquiry(inquiry)
    error = inquiry_person_link_error(locked)
    if error is not None:
        raise error
    locked.person = person
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["person", "modified_at"])
    appointments = list(
        locked.appointments.select_for_update().filter(person__isnull=True).order_by("id")
    )
    for appointment in appointments:
        appointment.person = person
        appointment._history_user = acting_user  # type: ignore[attr-defined]
        appointment.save(update_fields=["person", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.INQUIRY_PERSON_LINKED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=person.pk,
        extra_data={"person": person.pk, "appointments": [a.pk for a in appointments]},
    )
    return locked


def inquiry_person_register(
    *,
    acting_user: User,
    inquiry: Inquiry,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    **details: Any,
) -> Person:
    """Register the caller of an inquiry as a client and link them to it (one submit).

    The registration is `person_create` (its duplicate check and its audit); the link is
    `inquiry_person_link`. An inquiry already linked is refused before anyone is registered.
    """
    require_capability(acting_user, Capability.INQUIRY_RECORD)
    _require_own(acting_user, inquiry.delivery_partner_id)
    error = inquiry_person_link_error(Inquiry.objects.get(pk=inquiry.pk))  # as it is now
    if error is not None:
        raise error
    person = person_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        **details,
    )
    inquiry_person_link(acting_user=acting_user, inquiry=inquiry, person=person)
    return person


def inquiry_name_parts(caller_name: str) -> tuple[str, str]:
    """The caller's name as first and last name, to pre-fill the registration form: the last
    word is the last name ("Jean-Philippe Thériault" → "Jean-Philippe", "Thériault")."""
    words = caller_name.split()
    if len(words) < 2:  # one word: a last name only
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]
