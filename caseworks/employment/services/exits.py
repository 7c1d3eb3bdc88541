"""Writes for exits from assistance."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import case_status_change
from caseworks.core.access import require_capability
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from ..constants import (
    ExitReason,
)
from ..models import (
    AssistanceExit,
    EmploymentOutcome,
)
from ._common import _audit_case, _save

# --- Exits --------------------------------------------------------------------------------


@transaction.atomic
def assistance_exit_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    reason: str,
    exit_on: dt.date,
    details: str = "",
    outcome: EmploymentOutcome | None = None,
    expected_version: int | None = None,
) -> AssistanceExit:
    """The case leaves assistance: record why, and close it through case_status_change."""
    require_capability(acting_user, Capability.CASE_STATUS_CHANGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if reason not in ExitReason.values:
        raise ApplicationError(_("Choose the reason for leaving assistance."), field="reason")
    if reason == ExitReason.OTHER and not details.strip():
        raise ApplicationError(_("Describe the reason for leaving."), field="details")
    if outcome is not None and outcome.benefit_unit_id != benefit_unit.pk:
        raise ApplicationError(_("That job belongs to another case."), field="outcome")
    if benefit_unit.status not in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        raise ApplicationError(
            _("Only an active or suspended case can leave assistance."), field="status"
        )
    label = str(ExitReason(reason).label)
    closed = case_status_change(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        to_status=CaseStatus.CLOSED,
        reason=_("Exit from assistance: %(reason)s. %(details)s")
        % {"reason": label, "details": details.strip()},
        effective_on=exit_on,
        expected_version=expected_version,
    )
    exit_record = AssistanceExit(
        benefit_unit=closed,
        reason=reason,
        exit_on=exit_on,
        outcome=outcome,
        details=details.strip(),
        recorded_by=acting_user,
    )
    _save(exit_record, acting_user)
    _audit_case(
        acting_user,
        AuditEventType.ASSISTANCE_EXIT_RECORDED,
        exit_record,
        closed,
        None,
        reason=reason,
        exit_on=exit_on.isoformat(),
        outcome=outcome.pk if outcome else None,
    )
    return exit_record
