"""The application: start, facts, members, submission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_lock,
    benefit_unit_member_add,
)
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError

from ..constants import (
    APPLICATION_EDITABLE,
    ApplicationStatus,
    AssetType,
    IncomeType,
    InquiryCloseReason,
    InquiryStatus,
    ShelterType,
    UnitRole,
)
from ..models import (
    Application,
    Asset,
    IncomeSource,
    Inquiry,
    MemberCircumstances,
    VerificationItem,
)
from ._common import MAX_ASSET_CENTS, PER_PERSON_CHECKS, PER_UNIT_CHECKS, _check_cents, _require_own
from .intake import inquiry_closed_save

# --- The application ------------------------------------------------------------------------


def _unit_role(member_role: str) -> str:
    if member_role == MemberRole.APPLICANT:
        return UnitRole.APPLICANT
    if member_role == MemberRole.SPOUSE:
        return UnitRole.SPOUSE
    return UnitRole.DEPENDANT


def _add_person_checks(application: Application, person: Person) -> None:
    for kind in PER_PERSON_CHECKS:
        VerificationItem.objects.get_or_create(application=application, kind=kind, person=person)


def _application_open(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    applied_on: dt.date,
    inquiry: Inquiry | None,
) -> Application:
    """The application of a pending case, with its members' circumstances and the checklist."""
    applicant = _case_applicant(benefit_unit)
    application = Application(
        benefit_unit=benefit_unit,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        inquiry=inquiry,
        applied_on=applied_on,
        address_line=applicant.address_line,
        city=applicant.city,
        postal_code=applicant.postal_code,
    )
    application._history_user = acting_user  # type: ignore[attr-defined]
    application.save()
    members = benefit_unit.members.filter(end_on__isnull=True).select_related("person")
    for member in members.order_by("start_on", "id"):
        MemberCircumstances.objects.create(
            application=application, person=member.person, role=_unit_role(member.role)
        )
        _add_person_checks(application, member.person)
    for kind in PER_UNIT_CHECKS:
        VerificationItem.objects.create(application=application, kind=kind)
    if inquiry is not None:
        locked_inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if locked_inquiry.status != InquiryStatus.CLOSED:
            # The caller applied: the inquiry leaves the intake queue.
            inquiry_closed_save(
                acting_user=acting_user,
                locked=locked_inquiry,
                reason=InquiryCloseReason.APPLICATION_STARTED,
            )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPLICATION_STARTED,
        subject=application,
        delivery_partner_id=application.delivery_partner_id,
        person_id=applicant.pk,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"inquiry": inquiry.pk if inquiry else None},
    )
    return application


def _case_applicant(benefit_unit: BenefitUnit) -> Person:
    member = (
        benefit_unit.members.filter(end_on__isnull=True, role=MemberRole.APPLICANT)
        .select_related("person")
        .first()
    )
    if member is None:
        raise ApplicationError(
            _("This case has no current applicant."), field="applicant", code="no_applicant"
        )
    return member.person


def _check_inquiry(acting_user: User, inquiry: Inquiry | None, applicant: Person) -> None:
    if inquiry is None:
        return
    _require_own(acting_user, inquiry.delivery_partner_id)
    if Inquiry.objects.filter(pk=inquiry.pk).values_list("person_id", flat=True).first() != (
        applicant.pk
    ):
        raise ApplicationError(
            _("This pre-screen is about another person: register the caller from it first."),
            field="inquiry",
            code="inquiry_other_person",
        )


@transaction.atomic
def application_start(
    *,
    acting_user: User,
    applicant: Person,
    applied_on: dt.date | None = None,
    inquiry: Inquiry | None = None,
) -> Application:
    """Open a case (pending) and its application, with the verification checklist. Started
    from a pre-screen (`inquiry`, about this person), the application form offers the
    pre-screen's income, rent and assets for the caseworker to confirm."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _check_inquiry(acting_user, inquiry, applicant)
    applied_on = applied_on or timezone.localdate()
    benefit_unit = benefit_unit_create(
        acting_user=acting_user,
        applicant=applicant,
        opened_on=applied_on,
        caseworker=acting_user if acting_user.role != Role.INTAKE_CLERK else None,
    )
    return _application_open(
        acting_user=acting_user,
        benefit_unit=benefit_unit,
        applied_on=applied_on,
        inquiry=inquiry,
    )


@transaction.atomic
def application_start_for_case(
    *, acting_user: User, benefit_unit: BenefitUnit, inquiry: Inquiry | None = None
) -> Application:
    """Start the application of a pending case that has none (a case opened before its
    application): dated the day the case opened, with every current member."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, benefit_unit.delivery_partner_id)
    locked = benefit_unit_lock(benefit_unit, None)
    if locked.status != CaseStatus.PENDING:
        raise ApplicationError(
            _(
                "Only a case whose application is in progress can start an application; "
                "this case is “%(status)s”."
            )
            % {"status": CaseStatus(locked.status).label},
            field="status",
            code="case_not_pending",
        )
    if Application.objects.filter(benefit_unit=locked).exists():
        raise ApplicationError(
            _("This case already has an application."), field="application", code="exists"
        )
    _check_inquiry(acting_user, inquiry, _case_applicant(locked))
    return _application_open(
        acting_user=acting_user,
        benefit_unit=locked,
        applied_on=locked.opened_on,
        inquiry=inquiry,
    )


@dataclass(frozen=True)
class MemberFacts:
    person_id: int
    full_time_student: bool = False
    pregnant_or_breastfeeding: bool = False
    special_diet_cents: int = 0
    child_care_costs_cents: int = 0


@dataclass(frozen=True)
class IncomeFacts:
    person_id: int
    income_type: str
    monthly_amount_cents: int
    description: str = ""


@dataclass(frozen=True)
class AssetFacts:
    asset_type: str
    value_cents: int
    description: str = ""


@dataclass
class ApplicationFacts:
    """What a caseworker saves from the application form. None means 'leave as it is'."""

    shelter_type: str | None = None
    shelter_cost_cents: int | None = None
    heat_cents: int | None = None
    utilities_cents: int | None = None
    remote_community: bool | None = None
    months_in_receipt: int | None = None
    consent_to_verification: bool | None = None
    address_line: str | None = None
    city: str | None = None
    postal_code: str | None = None
    members: list[MemberFacts] | None = None
    incomes: list[IncomeFacts] | None = None
    assets: list[AssetFacts] | None = None
    changed: list[str] = field(default_factory=list)


def _lock_application(application: Application, expected_version: int | None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "Someone else saved this application while you were working on it. "
                "Reload to see their changes, then enter yours again."
            ),
            field="version",
        )
    if locked.status not in APPLICATION_EDITABLE:
        raise ApplicationError(
            _("This application has been decided and can no longer be changed."), field="status"
        )
    return locked


def _validate_facts(application: Application, facts: ApplicationFacts) -> set[int]:
    """Check every field before anything is written; return the unit's current person ids."""
    if facts.shelter_type is not None and facts.shelter_type not in [*ShelterType.values, ""]:
        raise ApplicationError(_("Choose a type of housing from the list."), field="shelter_type")
    for name in ("shelter_cost_cents", "heat_cents", "utilities_cents"):
        value = getattr(facts, name)
        if value is not None:
            _check_cents(value, name)
    if facts.months_in_receipt is not None and not 0 <= facts.months_in_receipt <= 600:
        raise ApplicationError(
            _("Months of assistance must be between 0 and 600."), field="months_in_receipt"
        )
    person_ids = set(
        application.benefit_unit.members.filter(end_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    for index, member in enumerate(facts.members or []):
        prefix = f"members[{index}]"
        if member.person_id not in person_ids:
            raise ApplicationError(
                _("This person is not a current member of the case."), field=f"{prefix}.person"
            )
        _check_cents(member.special_diet_cents, f"{prefix}.special_diet_cents")
        _check_cents(member.child_care_costs_cents, f"{prefix}.child_care_costs_cents")
    for index, income in enumerate(facts.incomes or []):
        prefix = f"incomes[{index}]"
        if income.person_id not in person_ids:
            raise ApplicationError(
                _("This person is not a current member of the case."), field=f"{prefix}.person"
            )
        if income.income_type not in IncomeType.values:
            raise ApplicationError(
                _("Choose a type of income from the list."), field=f"{prefix}.income_type"
            )
        _check_cents(income.monthly_amount_cents, f"{prefix}.monthly_amount_cents")
    for index, asset in enumerate(facts.assets or []):
        prefix = f"assets[{index}]"
        if asset.asset_type not in AssetType.values:
            raise ApplicationError(
                _("Choose a type of asset from the list."), field=f"{prefix}.asset_type"
            )
        _check_cents(asset.value_cents, f"{prefix}.value_cents", MAX_ASSET_CENTS)
    return person_ids


@transaction.atomic
def application_update(
    *,
    acting_user: User,
    application: Application,
    facts: ApplicationFacts,
    expected_version: int | None = None,
) -> Application:
    """Save what the caseworker entered. A partial application saves; invalid input is refused
    whole (nothing is half-saved) with the field named."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    locked = _lock_application(application, expected_version)
    _validate_facts(locked, facts)
    changes: dict[str, Any] = {}
    for name in (
        "shelter_type",
        "shelter_cost_cents",
        "heat_cents",
        "utilities_cents",
        "remote_community",
        "months_in_receipt",
        "address_line",
        "city",
        "postal_code",
    ):
        value = getattr(facts, name)
        if value is not None and getattr(locked, name) != value:
            changes[name] = {"old": getattr(locked, name), "new": value}
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if facts.consent_to_verification is not None and (
        facts.consent_to_verification != locked.consent_to_verification
    ):
        changes["consent_to_verification"] = {
            "old": locked.consent_to_verification,
            "new": facts.consent_to_verification,
        }
        locked.consent_to_verification = facts.consent_to_verification
        locked.consent_recorded_at = timezone.now() if facts.consent_to_verification else None
    if facts.members is not None:
        for member in facts.members:
            MemberCircumstances.objects.filter(
                application=locked, person_id=member.person_id
            ).update(
                full_time_student=member.full_time_student,
                pregnant_or_breastfeeding=member.pregnant_or_breastfeeding,
                special_diet_cents=member.special_diet_cents,
                child_care_costs_cents=member.child_care_costs_cents,
                modified_at=timezone.now(),
            )
        changes["members"] = len(facts.members)
    if facts.incomes is not None:
        locked.incomes.all().delete()
        IncomeSource.objects.bulk_create(
            IncomeSource(
                application=locked,
                person_id=i.person_id,
                income_type=i.income_type,
                monthly_amount_cents=i.monthly_amount_cents,
                description=i.description.strip()[:200],
            )
            for i in facts.incomes
        )
        changes["incomes"] = [
            {"person": i.person_id, "type": i.income_type, "cents": i.monthly_amount_cents}
            for i in facts.incomes
        ]
    if facts.assets is not None:
        locked.assets.all().delete()
        Asset.objects.bulk_create(
            Asset(
                application=locked,
                asset_type=a.asset_type,
                value_cents=a.value_cents,
                description=a.description.strip()[:200],
            )
            for a in facts.assets
        )
        changes["assets"] = [{"type": a.asset_type, "cents": a.value_cents} for a in facts.assets]
    if not changes:
        return locked
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPLICATION_UPDATED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={"changes": changes},
    )
    return locked


@transaction.atomic
def application_member_add(
    *,
    acting_user: User,
    application: Application,
    person: Person,
    role: str,
    start_on: dt.date | None = None,
    expected_version: int | None = None,
) -> MemberCircumstances:
    """Add a spouse or dependant to the case and to the application, with their checklist."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    locked = _lock_application(application, expected_version)
    benefit_unit_member_add(
        acting_user=acting_user,
        benefit_unit=locked.benefit_unit,
        person=person,
        role=role,
        # The household declared on a pending application is the household from the date
        # of application: the decision and the first payment are calculated for it.
        start_on=start_on or locked.applied_on,
    )
    circumstances = MemberCircumstances.objects.create(
        application=locked, person=person, role=_unit_role(role)
    )
    _add_person_checks(locked, person)
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["version", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPLICATION_UPDATED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=locked.benefit_unit_id,
        extra_data={"member_added": person.pk, "role": role},
    )
    return circumstances


@transaction.atomic
def application_submit(*, acting_user: User, application: Application) -> Application:
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    locked = _lock_application(application, None)
    if locked.status != ApplicationStatus.DRAFT:
        return locked
    if not locked.consent_to_verification:
        raise ApplicationError(
            _("The applicant must consent to verification before the application is submitted."),
            field="consent_to_verification",
        )
    locked.status = ApplicationStatus.SUBMITTED
    locked.version += 1
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "version", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPLICATION_SUBMITTED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        benefit_unit_id=locked.benefit_unit_id,
    )
    return locked


def application_for_case(benefit_unit: BenefitUnit) -> Application:
    """The case's application (internal helper for services; callers checked access)."""
    try:
        return Application.objects.select_related("benefit_unit").get(benefit_unit=benefit_unit)
    except Application.DoesNotExist as exc:
        raise ApplicationError(_("This case has no application."), field="application") from exc
