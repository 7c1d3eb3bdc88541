"""Reported income and dated changes of the case's circumstances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.applications.constants import AssetType
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.cases.services import benefit_unit_lock
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner
from caseworks.documents.models import Document

from ..circumstances import version_record
from ..constants import (
    INCOME_REPORTING_LAG_MONTHS,
    IncomeKind,
    Residence,
)
from ..facts import month_start
from ..models import (
    CircumstancesChange,
    IncomeReport,
    Payment,
)
from ._common import require_not_negative

SHELTER_TYPES = ("rent", "own", "board_and_lodging", "no_fixed_address")


@transaction.atomic
def income_report_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    income_month: dt.date,
    amounts_cents: dict[str, int],
    proof: Document | None = None,
    expected_version: int | None = None,
) -> list[IncomeReport]:
    """Record what one member received in `income_month`, by kind (0 is a valid report:
    recipients report every month, even with no income). Applies to the following benefit
    month (reporting lag). Correcting an earlier report for a month already paid is a change
    of past data: see recalc.recalculation_preview before saving it."""
    require_capability(acting_user, Capability.INCOME_REPORT_RECORD)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    return _income_report_write(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        person=person,
        income_month=income_month,
        amounts_cents=amounts_cents,
        proof=proof,
        expected_version=expected_version,
    )


@transaction.atomic
def income_report_record_for_client(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    income_month: dt.date,
    amounts_cents: dict[str, int],
    proof: Document | None = None,
) -> list[IncomeReport]:
    """The client's own monthly report from the portal (issue 17): the same checks and records
    as staff's `income_report_record`, with the client's account as the acting user. Clients
    have no staff role: `caseworks.portal.services` checks, before calling, that `acting_user`
    is the portal account of an adult member of this benefit unit. A report that reaches a
    benefit month already paid is a change of past data for the caseworker: refused here."""
    if Payment.objects.filter(
        benefit_unit=benefit_unit,
        benefit_month__gte=month_start(income_month)
        + relativedelta(months=INCOME_REPORTING_LAG_MONTHS),
    ).exists():
        raise ApplicationError(
            _(
                "The payment this report counts for has already been made. Call your "
                "caseworker to correct it."
            ),
            field="income_month",
            code="report_month_paid",
        )
    return _income_report_write(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        person=person,
        income_month=income_month,
        amounts_cents=amounts_cents,
        proof=proof,
        expected_version=None,
    )


def _income_report_write(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    income_month: dt.date,
    amounts_cents: dict[str, int],
    proof: Document | None,
    expected_version: int | None,
) -> list[IncomeReport]:
    month = month_start(income_month)
    if month > month_start(timezone.localdate()):
        raise ApplicationError(
            _("Income cannot be reported for a month that has not started."), field="income_month"
        )
    # Income received in a month counts for the next benefit month (the reporting lag): the
    # person must be a member by the end of that benefit month.
    applies_to_end = month + relativedelta(months=INCOME_REPORTING_LAG_MONTHS + 1, days=-1)
    if not BenefitUnitMember.objects.filter(
        benefit_unit=benefit_unit, person=person, start_on__lte=applies_to_end
    ).exists():
        raise ApplicationError(_("This person is not a member of the case."), field="person")
    if proof is not None and proof.benefit_unit_id != benefit_unit.pk:
        raise ApplicationError(_("The proof must be a document on this case."), field="proof")
    if not amounts_cents:
        raise ApplicationError(_("Give at least one amount (0 if nothing)."), field="amounts")
    for kind, cents in amounts_cents.items():
        if kind not in IncomeKind.values:
            raise ApplicationError(
                _("Unknown kind of income “%(kind)s”.") % {"kind": kind}, field=kind
            )
        require_not_negative(cents, kind)
    locked = benefit_unit_lock(benefit_unit, expected_version)
    saved = []
    for kind, cents in amounts_cents.items():
        report = IncomeReport.objects.filter(
            benefit_unit=benefit_unit, person=person, income_month=month, kind=kind
        ).first() or IncomeReport(
            benefit_unit=benefit_unit,
            person=person,
            income_month=month,
            kind=kind,
            recorded_by=acting_user,
            amount_cents=cents,
        )
        old = report.amount_cents if report.pk else None
        report.amount_cents = cents
        report.proof = proof or report.proof
        report.recorded_by = acting_user
        report._history_user = acting_user  # type: ignore[attr-defined]
        report.save()
        saved.append(report)
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.INCOME_REPORT_RECORDED,
            subject=report,
            delivery_partner_id=benefit_unit.delivery_partner_id,
            person_id=person.pk,
            benefit_unit_id=benefit_unit.pk,
            extra_data={
                "income_month": month.isoformat(),
                "kind": kind,
                "amount_cents": cents,
                "previous_amount_cents": old,
            },
        )
    # The case's facts changed: a form opened before this report is now stale.
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["version", "modified_at"])
    return saved


# --- Changes of circumstances ---------------------------------------------------------------


@transaction.atomic
def circumstances_change_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    effective_month: dt.date,
    shelter_type: str,
    shelter_cost_cents: int = 0,
    heat_cents: int = 0,
    utilities_cents: int = 0,
    address_line: str = "",
    city: str = "",
    postal_code: str = "",
    remote_community: bool = False,
    reason: str = "",
    expected_version: int | None = None,
    assets: list[dict[str, Any]] | None = None,
    residence: str = Residence.COMMUNITY,
) -> CircumstancesChange:
    """The case's facts in force from `effective_month` (a new complete dated version):
    housing, address, remote community and assets. `assets` ([{"type", "value_cents",
    "description"}]) left out keeps the assets of the version in force that month. `residence`:
    a municipal emergency hostel (basic needs, no shelter amount) or an institution (the
    personal-needs allowance instead of basic needs and shelter); neither has a shelter cost."""
    require_capability(acting_user, Capability.CASE_EDIT)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if shelter_type not in SHELTER_TYPES:
        raise ApplicationError(_("Choose the type of housing."), field="shelter_type")
    if residence not in Residence.values:
        raise ApplicationError(_("Choose where the case lives."), field="residence")
    if residence != Residence.COMMUNITY and (
        shelter_type != "no_fixed_address" or shelter_cost_cents or heat_cents or utilities_cents
    ):
        raise ApplicationError(
            _(
                "A case living in an emergency hostel or an institution has no shelter cost "
                "in its budget (O. Reg. 134/98, s. 41(1) para 1 and s. 43(1)): choose "
                "“no fixed address” and leave the costs empty."
            ),
            field="shelter_type",
        )
    for name, cents in (
        ("shelter_cost", shelter_cost_cents),
        ("heat", heat_cents),
        ("utilities", utilities_cents),
    ):
        require_not_negative(cents, name)
    if not reason.strip():
        raise ApplicationError(_("Say what changed."), field="reason")
    month = month_start(effective_month)
    if assets is None:
        in_force = (
            CircumstancesChange.objects.filter(
                benefit_unit=benefit_unit, effective_month__lte=month
            )
            .order_by("-effective_month", "-id")
            .first()
        )
        assets = list(in_force.assets) if in_force else []
    assets = _checked_assets(assets)
    locked = benefit_unit_lock(benefit_unit, expected_version)
    change = CircumstancesChange(
        benefit_unit=locked,
        effective_month=month,
        shelter_type=shelter_type,
        shelter_cost_cents=shelter_cost_cents,
        heat_cents=heat_cents,
        utilities_cents=utilities_cents,
        address_line=address_line.strip(),
        city=city.strip(),
        postal_code=postal_code.strip().upper(),
        remote_community=remote_community,
        residence=residence,
        assets=assets,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    version: CircumstancesChange = version_record(
        acting_user=acting_user,
        benefit_unit=locked,
        version=change,
        extra_data={
            "effective_month": change.effective_month.isoformat(),
            "shelter_type": shelter_type,
            "shelter_cost_cents": shelter_cost_cents,
            "residence": residence,
            "address_changed": bool(address_line.strip()),
        },
    )
    return version


def _checked_assets(assets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    checked = []
    for index, item in enumerate(assets):
        kind = item.get("type")
        cents = item.get("value_cents")
        if kind not in AssetType.values:
            raise ApplicationError(_("Choose the type of asset."), field=f"assets[{index}].type")
        if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
            raise ApplicationError(
                _("An amount cannot be negative."), field=f"assets[{index}].value_cents"
            )
        checked.append(
            {"type": kind, "value_cents": cents, "description": str(item.get("description", ""))}
        )
    return checked


# --- Direct deposit -------------------------------------------------------------------------
