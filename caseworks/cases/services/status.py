"""Case status changes, checked against ALLOWED_TRANSITIONS."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from ..constants import (
    ALLOWED_TRANSITIONS,
    MANUAL_TRANSITIONS,
    REASON_REQUIRED,
    REINSTATEMENT_WINDOW_MONTHS,
    TRANSITION_SERVICES,
    CaseStatus,
)
from ..models import (
    BenefitUnit,
    CaseStatusChange,
)
from ._common import (
    _check_person_free,
    _member_create,
    _save_bumped,
    benefit_unit_lock,
)


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


def _check_manual(from_status: str, to_status: str, reason: str) -> None:
    """A caseworker's own status change: only MANUAL_TRANSITIONS, and always a reason."""
    if to_status not in MANUAL_TRANSITIONS[from_status]:
        service = TRANSITION_SERVICES.get((from_status, to_status))
        raise ApplicationError(
            _(
                "New status: a case becomes “%(to)s” only through %(service)s, not by "
                "changing its status here."
            )
            % {"to": CaseStatus(to_status).label, "service": service or _("another service")},
            field="to_status",
            code="transition_needs_service",
        )
    if not reason.strip():
        raise ApplicationError(
            _("Reason: give the reason for changing the case's status; the file keeps it."),
            field="reason",
            code="reason_required",
        )


@transaction.atomic
def case_status_change(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    to_status: str,
    reason: str = "",
    effective_on: dt.date | None = None,
    expected_version: int | None = None,
    manual: bool = False,
) -> BenefitUnit:
    """Move a case to a new status, only along ALLOWED_TRANSITIONS.

    `manual=True` is a caseworker's own change (the status form, the API's status operation):
    only MANUAL_TRANSITIONS, always with a reason. The other changes are made by the services
    that justify them (the eligibility decision grants or denies; payment actions suspend and
    reinstate, with their notices), which call this without `manual`."""
    require_capability(acting_user, Capability.CASE_STATUS_CHANGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    effective_on = effective_on or timezone.localdate()
    locked = benefit_unit_lock(benefit_unit, expected_version)
    error = case_status_transition_error(locked, to_status, effective_on)
    if error:
        raise ApplicationError(error, field="status", code="invalid_transition")
    if manual:
        _check_manual(locked.status, to_status, reason)
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
