"""Changes a client reports (address, shelter cost, household), verified by the caseworker."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import Person
from caseworks.clients.services import person_update
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.payments.facts import month_start
from caseworks.payments.models import CircumstancesChange
from caseworks.payments.services import circumstances_change_record

from ..constants import (
    ReportedChangeKind,
    ReportedChangeStatus,
)
from ..models import ReportedChange
from ._common import (
    MAX_MONTHLY_CENTS,
    STALE,
    _client_audit,
    _require_own_partner,
    client_benefit_unit,
)


@transaction.atomic
def reported_change_submit_from_client(
    *,
    person: Person,
    benefit_unit: BenefitUnit,
    kind: str,
    changed_on: dt.date,
    address_line: str = "",
    city: str = "",
    postal_code: str = "",
    shelter_cost_cents: int | None = None,
    details: str = "",
) -> ReportedChange:
    """A change the client reports (a move, a new housing cost, someone moving in or out):
    pending until the caseworker verifies it. Nothing the payment is calculated from changes
    before then."""
    unit = client_benefit_unit(person=person, benefit_unit_id=benefit_unit.pk)
    if kind not in ReportedChangeKind.values:
        raise ApplicationError(_("Choose what changed."), field="kind")
    today = timezone.localdate()
    if changed_on > today + dt.timedelta(days=90):
        raise ApplicationError(
            _("The date of the change can be at most 90 days from today."), field="changed_on"
        )
    if kind == ReportedChangeKind.ADDRESS:
        for name, value in (
            ("address_line", address_line),
            ("city", city),
            ("postal_code", postal_code),
        ):
            if not value.strip():
                raise ApplicationError(
                    _("Give the new address, the city and the postal code."), field=name
                )
    if kind == ReportedChangeKind.SHELTER_COST or shelter_cost_cents is not None:
        if (
            shelter_cost_cents is None
            or isinstance(shelter_cost_cents, bool)
            or not isinstance(shelter_cost_cents, int)
            or shelter_cost_cents < 0
        ):
            raise ApplicationError(
                _("Give the new monthly cost, in dollars and cents."), field="shelter_cost"
            )
        if shelter_cost_cents > MAX_MONTHLY_CENTS:
            raise ApplicationError(_("The amount is too large; check it."), field="shelter_cost")
    if kind == ReportedChangeKind.HOUSEHOLD and not details.strip():
        raise ApplicationError(
            _("Say who moved in or out, and when."), field="details", code="required"
        )
    change = ReportedChange(
        benefit_unit=unit,
        reported_by=person,
        kind=kind,
        changed_on=changed_on,
        address_line=address_line.strip()[:300],
        city=city.strip()[:100],
        postal_code=postal_code.strip().upper()[:7],
        shelter_cost_cents=shelter_cost_cents,
        details=details.strip(),
    )
    change.save()
    audit_record(
        acting_user=None,
        event_type=AuditEventType.REPORTED_CHANGE_SUBMITTED,
        subject=change,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=unit.pk,
        extra_data={
            **_client_audit(person),
            "kind": kind,
            "changed_on": changed_on.isoformat(),
            "shelter_cost_cents": shelter_cost_cents,
        },
    )
    return change


def _in_force(unit: BenefitUnit, month: dt.date) -> CircumstancesChange | None:
    return (
        CircumstancesChange.objects.filter(benefit_unit=unit, effective_month__lte=month)
        .order_by("-effective_month", "-id")
        .first()
    )


@transaction.atomic
def reported_change_decide(
    *,
    acting_user: User,
    change: ReportedChange,
    status: str,
    reason: str,
    expected_version: int | None = None,
) -> ReportedChange:
    """The caseworker verifies a reported change (an address or a housing cost becomes a new
    dated version of the case's circumstances from the month of the change; the reporting
    client's address is updated for a move) or rejects it; a reason either way. A change of
    household is verified here and the membership itself changed on the case's members page."""
    require_capability(acting_user, Capability.CASE_EDIT)
    locked = (
        ReportedChange.objects.select_for_update()
        .select_related("benefit_unit", "reported_by")
        .get(pk=change.pk)
    )
    unit = locked.benefit_unit
    _require_own_partner(acting_user, unit)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(STALE, field="version")
    if locked.status != ReportedChangeStatus.PENDING:
        raise ApplicationError(_("This change is already decided."), field="status")
    if status not in (ReportedChangeStatus.VERIFIED, ReportedChangeStatus.REJECTED):
        raise ApplicationError(_("Choose verified or not accepted."), field="status")
    if not reason.strip():
        raise ApplicationError(
            _("Give the reason (the proof seen, or why it is not accepted)."),
            field="reason",
            code="required",
        )
    version = None
    if status == ReportedChangeStatus.VERIFIED and locked.kind != ReportedChangeKind.HOUSEHOLD:
        month = month_start(locked.changed_on)
        in_force = _in_force(unit, month)
        if in_force is None:
            raise ApplicationError(
                _(
                    "The case has no circumstances on file yet: record the change on the "
                    "application instead."
                ),
                field="status",
                code="no_circumstances",
            )
        is_move = locked.kind == ReportedChangeKind.ADDRESS
        version = circumstances_change_record(
            acting_user=acting_user,
            benefit_unit=unit,
            effective_month=month,
            shelter_type=in_force.shelter_type,
            shelter_cost_cents=(
                locked.shelter_cost_cents
                if locked.shelter_cost_cents is not None
                else in_force.shelter_cost_cents
            ),
            heat_cents=in_force.heat_cents,
            utilities_cents=in_force.utilities_cents,
            address_line=locked.address_line if is_move else in_force.address_line,
            city=locked.city if is_move else in_force.city,
            postal_code=locked.postal_code if is_move else in_force.postal_code,
            remote_community=in_force.remote_community,
            reason=_("Reported by the client online; verified: %(reason)s")
            % {"reason": reason.strip()},
        )
        if is_move:
            person_update(
                acting_user=acting_user,
                person=locked.reported_by,
                data={
                    "address_line": locked.address_line,
                    "city": locked.city,
                    "postal_code": locked.postal_code,
                },
            )
    old = locked.status
    locked.status = status
    locked.decision_reason = reason.strip()
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.circumstances_change = version
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(
        update_fields=[
            "status",
            "decision_reason",
            "decided_by",
            "decided_at",
            "circumstances_change",
            "version",
            "modified_at",
        ]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.REPORTED_CHANGE_DECIDED,
        subject=locked,
        delivery_partner_id=unit.delivery_partner_id,
        person_id=locked.reported_by_id,
        benefit_unit_id=unit.pk,
        extra_data={
            "kind": locked.kind,
            "old": old,
            "new": status,
            "circumstances_change": version.pk if version else None,
        },
    )
    return locked
