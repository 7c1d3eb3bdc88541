"""Circumstances over time: the dated facts every month is calculated from.

At the grant, the application's facts become the first versions (`circumstances_from_application`):
the case's housing and assets, each member's circumstances, and the income declared on the
application as the income of the month before the first benefit month (the reporting lag), so
the first payment is calculated from exactly what the notice of decision was. After the grant,
changes are new versions (`member_circumstances_change_record` here, and
`services.circumstances_change_record` for housing and assets), with the month-by-month preview
of `recalc` when a paid month would change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.cases.services import benefit_unit_lock
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from .constants import FactSource
from .facts import application_facts, income_month_for, month_start
from .models import CircumstancesChange, IncomeReport, MemberCircumstancesChange

MAX_MONTHLY_CENTS = 100_000_00


def circumstances_from_application(
    *, acting_user: User, application: Any, first_month: dt.date
) -> None:
    """Write the application's facts as the case's first dated versions (inside the grant's
    transaction). Built from the same records the determination was calculated from."""
    unit = application.benefit_unit
    month = month_start(first_month)
    case, member_facts, incomes = application_facts(application)
    version = CircumstancesChange(
        benefit_unit=unit,
        effective_month=month,
        shelter_type=case.shelter_type,
        shelter_cost_cents=case.shelter_cost_cents,
        heat_cents=case.heat_cents,
        utilities_cents=case.utilities_cents,
        address_line=application.address_line,
        city=application.city,
        postal_code=application.postal_code,
        remote_community=case.remote_community,
        assets=[
            {"type": kind, "value_cents": cents, "description": ""} for kind, cents in case.assets
        ],
        source=FactSource.APPLICATION,
        reason=_("Facts of the application, at the grant"),
        recorded_by=acting_user,
    )
    version._history_user = acting_user  # type: ignore[attr-defined]
    version.save()
    for person_id, facts in member_facts.items():
        member = MemberCircumstancesChange(
            benefit_unit=unit,
            person_id=person_id,
            effective_month=month,
            full_time_student=facts.full_time_student,
            pregnant_or_breastfeeding=facts.pregnant_or_breastfeeding,
            special_diet_cents=facts.special_diet_cents,
            child_care_costs_cents=facts.child_care_costs_cents,
            source=FactSource.APPLICATION,
            reason=_("Facts of the application, at the grant"),
            recorded_by=acting_user,
        )
        member._history_user = acting_user  # type: ignore[attr-defined]
        member.save()
    income_month = income_month_for(month)
    declared = {
        (person_id, kind): cents for person_id, rows in incomes.items() for kind, cents in rows
    }
    on_file = {
        (person_id, kind): cents
        for person_id, kind, cents in IncomeReport.objects.filter(
            benefit_unit=unit, income_month=income_month
        ).values_list("person_id", "kind", "amount_cents")
    }
    # A member's report already on file for that month must say what the application says for
    # that member (a nil amount is the same as nothing), or the first payment would differ from
    # the notice. Members without a report get the declared income written below.
    reported = {person_id for person_id, _kind in on_file}
    if any(
        declared.get(key, 0) != on_file.get(key, 0)
        for key in set(declared) | set(on_file)
        if key[0] in reported
    ):
        raise ApplicationError(
            _(
                "An income report for %(month)s already differs from the income on the "
                "application; correct one of them before the grant."
            )
            % {"month": income_month.strftime("%Y-%m")},
            field="incomes",
        )
    for (person_id, kind), cents in declared.items():
        if person_id in reported:
            continue
        report = IncomeReport(
            benefit_unit=unit,
            person_id=person_id,
            income_month=income_month,
            kind=kind,
            amount_cents=cents,
            source=FactSource.APPLICATION,
            recorded_by=acting_user,
        )
        report._history_user = acting_user  # type: ignore[attr-defined]
        report.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CIRCUMSTANCES_CHANGE_RECORDED,
        subject=version,
        delivery_partner_id=unit.delivery_partner_id,
        benefit_unit_id=unit.pk,
        extra_data={
            "effective_month": month.isoformat(),
            "source": FactSource.APPLICATION,
            "members": len(member_facts),
            "income_month": income_month.isoformat(),
        },
    )


def version_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    version: Any,
    extra_data: dict[str, Any],
    person_id: int | None = None,
) -> Any:
    """Save a new dated version of a case's facts (the case locked by the caller): its row
    history, the case's version moved on (a form opened before is stale), the audit event."""
    version._history_user = acting_user
    version.save()
    benefit_unit.version += 1
    benefit_unit._history_user = acting_user  # type: ignore[attr-defined]
    benefit_unit.save(update_fields=["version", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CIRCUMSTANCES_CHANGE_RECORDED,
        subject=version,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person_id=person_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data=extra_data,
    )
    return version


def current_member_circumstances(
    benefit_unit: BenefitUnit, person: Person, month: dt.date
) -> MemberCircumstancesChange | None:
    return (
        MemberCircumstancesChange.objects.filter(
            benefit_unit=benefit_unit, person=person, effective_month__lte=month_start(month)
        )
        .order_by("-effective_month", "-id")
        .first()
    )


@transaction.atomic
def member_circumstances_change_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    effective_month: dt.date,
    full_time_student: bool,
    pregnant_or_breastfeeding: bool,
    special_diet_cents: int,
    child_care_costs_cents: int,
    reason: str,
    expected_version: int | None = None,
    no_child_benefits: bool = False,
) -> MemberCircumstancesChange:
    """A member's circumstances in force from `effective_month` (a new dated version).
    `no_child_benefits`: a child under 18 for whom the family receives neither the Ontario
    nor the Canada Child Benefit (Transition Child Benefit, OW Directive 7.6)."""
    require_capability(acting_user, Capability.CASE_EDIT)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    month = month_start(effective_month)
    if not BenefitUnitMember.objects.filter(
        benefit_unit=benefit_unit, person=person, start_on__lte=month.replace(day=28)
    ).exists():
        raise ApplicationError(_("This person is not a member of the case."), field="person")
    for name, cents in (
        ("special_diet", special_diet_cents),
        ("child_care_costs", child_care_costs_cents),
    ):
        if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
            raise ApplicationError(_("An amount cannot be negative."), field=name)
        if cents > MAX_MONTHLY_CENTS:
            raise ApplicationError(_("The amount is too large; check it."), field=name)
    if not reason.strip():
        raise ApplicationError(_("Say what changed."), field="reason")
    if (
        no_child_benefits
        and not BenefitUnitMember.objects.filter(
            benefit_unit=benefit_unit,
            person=person,
            role=MemberRole.DEPENDANT_CHILD,
            start_on__lte=month.replace(day=28),
        ).exists()
    ):
        raise ApplicationError(
            _(
                "The Transition Child Benefit is only for a dependent child under 18 (OW Policy "
                "Directive 7.6)."
            ),
            field="no_child_benefits",
        )
    locked = benefit_unit_lock(benefit_unit, expected_version)
    change = MemberCircumstancesChange(
        benefit_unit=locked,
        person=person,
        effective_month=month,
        full_time_student=full_time_student,
        pregnant_or_breastfeeding=pregnant_or_breastfeeding,
        special_diet_cents=special_diet_cents,
        child_care_costs_cents=child_care_costs_cents,
        no_child_benefits=no_child_benefits,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    return version_record(
        acting_user=acting_user,
        benefit_unit=locked,
        version=change,
        person_id=person.pk,
        extra_data={
            "effective_month": month.isoformat(),
            "full_time_student": full_time_student,
            "pregnant_or_breastfeeding": pregnant_or_breastfeeding,
            "special_diet_cents": special_diet_cents,
            "child_care_costs_cents": child_care_costs_cents,
            "no_child_benefits": no_child_benefits,
        },
    )
