"""Intake and application writes: one transaction each, audited, with row history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import benefit_unit_create, benefit_unit_member_add
from caseworks.clients.models import Person
from caseworks.clients.services import person_create
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload
from caseworks.eligibility import engine

from .constants import (
    APPLICATION_EDITABLE,
    ApplicationStatus,
    AppointmentStatus,
    AssetType,
    IncomeType,
    PrescreenResult,
    ShelterType,
    UnitRole,
    VerificationKind,
    VerificationStatus,
)
from .models import (
    Application,
    Appointment,
    Asset,
    IncomeSource,
    Inquiry,
    MemberCircumstances,
    VerificationItem,
)

MAX_MONTHLY_CENTS = 100_000_000  # $1,000,000 a month: anything above is a typing mistake
MAX_ASSET_CENTS = 10_000_000_000
APPOINTMENT_MINUTES = (15, 30, 45, 60, 90, 120)

# Verification checklist: per person (adults for identity; everyone for SIN and status) and
# per benefit unit (Ontario Works Policy Directive 9.1, "Reviewing eligibility", third-party
# verification; Directive 2.1 "Application process").
PER_PERSON_CHECKS = (
    VerificationKind.IDENTITY,
    VerificationKind.SIN,
    VerificationKind.STATUS_IN_CANADA,
)
PER_UNIT_CHECKS = (VerificationKind.SHELTER_COST, VerificationKind.INCOME, VerificationKind.ASSETS)


def _require_own(acting_user: Any, partner_id: int) -> None:
    if acting_user.delivery_partner_id != partner_id:
        raise ApplicationError(_("This record belongs to another delivery partner."))


def _check_cents(value: Any, field_name: str, maximum: int = MAX_MONTHLY_CENTS) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApplicationError(_("Enter an amount in dollars and cents."), field=field_name)
    if value < 0:
        raise ApplicationError(_("The amount cannot be negative."), field=field_name)
    if value > maximum:
        raise ApplicationError(_("The amount is too large; check it."), field=field_name)
    return value


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
    acting_user: Any,
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
        delivery_partner_id=acting_user.delivery_partner_id,
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


# --- Appointments ---------------------------------------------------------------------------


@transaction.atomic
def appointment_book(
    *,
    acting_user: Any,
    caseworker: User,
    starts_at: dt.datetime,
    duration_minutes: int = 60,
    person: Person | None = None,
    inquiry: Inquiry | None = None,
    purpose: str = "",
) -> Appointment:
    """Book an intake appointment in a caseworker's calendar. Never double-books: the
    caseworker's row is locked while the calendar is checked, so two clerks booking the same
    slot at once get one booking and one clear refusal."""
    require_capability(acting_user, Capability.APPOINTMENT_BOOK)
    partner_id = acting_user.delivery_partner_id
    if caseworker.delivery_partner_id != partner_id or caseworker.role not in (
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.EMPLOYMENT_CASEWORKER,
    ):
        raise ApplicationError(_("Choose a caseworker of your office."), field="caseworker")
    if duration_minutes not in APPOINTMENT_MINUTES:
        raise ApplicationError(
            _("Choose a listed length of appointment."), field="duration_minutes"
        )
    if timezone.is_naive(starts_at):
        raise ApplicationError(_("The start time needs a time zone."), field="starts_at")
    if starts_at < timezone.now():
        raise ApplicationError(_("An appointment cannot start in the past."), field="starts_at")
    if starts_at > timezone.now() + dt.timedelta(days=2 * 366):
        raise ApplicationError(
            _("An appointment can be booked at most two years ahead."), field="starts_at"
        )
    if person is not None:
        _require_own(acting_user, person.delivery_partner_id)
    if inquiry is not None:
        _require_own(acting_user, inquiry.delivery_partner_id)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    User.objects.select_for_update().get(pk=caseworker.pk)
    clash = Appointment.objects.filter(
        caseworker=caseworker,
        status=AppointmentStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).first()
    if clash is not None:
        local = timezone.localtime(clash.starts_at)
        raise ApplicationError(
            _("%(worker)s already has an appointment at %(time)s.")
            % {
                "worker": caseworker.get_full_name() or caseworker.username,
                "time": f"{local:%H:%M}",
            },
            field="starts_at",
            code="double_booking",
        )
    appointment = Appointment(
        delivery_partner_id=partner_id,
        office=caseworker.office,
        caseworker=caseworker,
        person=person,
        inquiry=inquiry,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose.strip() or _("Intake interview"),
        booked_by=acting_user,
    )
    appointment._history_user = acting_user  # type: ignore[attr-defined]
    appointment.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_BOOKED,
        subject=appointment,
        delivery_partner_id=partner_id,
        person_id=person.pk if person else None,
        extra_data={"caseworker": caseworker.pk, "starts_at": starts_at.isoformat()},
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, acting_user: Any, appointment: Appointment, reason: str) -> Appointment:
    require_capability(acting_user, Capability.APPOINTMENT_BOOK)
    _require_own(acting_user, appointment.delivery_partner_id)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for cancelling."), field="reason")
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.status != AppointmentStatus.BOOKED:
        raise ApplicationError(_("Only a booked appointment can be cancelled."), field="status")
    locked.status = AppointmentStatus.CANCELLED
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "modified_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPOINTMENT_CANCELLED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.person_id,
        extra_data={"reason": reason.strip()},
    )
    return locked


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


@transaction.atomic
def application_start(
    *, acting_user: Any, applicant: Person, applied_on: dt.date | None = None
) -> Application:
    """Open a case (pending) and its application, with the verification checklist."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    applied_on = applied_on or timezone.localdate()
    benefit_unit = benefit_unit_create(
        acting_user=acting_user,
        applicant=applicant,
        opened_on=applied_on,
        caseworker=acting_user if acting_user.role != Role.INTAKE_CLERK else None,
    )
    application = Application(
        benefit_unit=benefit_unit,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        applied_on=applied_on,
        address_line=applicant.address_line,
        city=applicant.city,
        postal_code=applicant.postal_code,
    )
    application._history_user = acting_user  # type: ignore[attr-defined]
    application.save()
    MemberCircumstances.objects.create(
        application=application, person=applicant, role=UnitRole.APPLICANT
    )
    _add_person_checks(application, applicant)
    for kind in PER_UNIT_CHECKS:
        VerificationItem.objects.create(application=application, kind=kind)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.APPLICATION_STARTED,
        subject=application,
        delivery_partner_id=application.delivery_partner_id,
        person_id=applicant.pk,
        benefit_unit_id=benefit_unit.pk,
    )
    return application


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
    acting_user: Any,
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
    acting_user: Any,
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
def verification_update(
    *,
    acting_user: Any,
    item: VerificationItem,
    status: str,
    document: Document | None = None,
    waived_reason: str = "",
) -> VerificationItem:
    """Mark a checklist item verified (with the proving document), waived (with a reason),
    or back to pending."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    application = item.application
    _require_own(acting_user, application.delivery_partner_id)
    if status not in VerificationStatus.values:
        raise ApplicationError(_("Choose verified, pending or waived."), field="status")
    if status == VerificationStatus.WAIVED and not waived_reason.strip():
        raise ApplicationError(_("Give the reason for waiving this proof."), field="waived_reason")
    if document is not None and document.benefit_unit_id != application.benefit_unit_id:
        raise ApplicationError(_("The document is not on this case."), field="document")
    _lock_application(application, None)
    locked = VerificationItem.objects.select_for_update().get(pk=item.pk)
    old = locked.status
    locked.status = status
    locked.waived_reason = waived_reason.strip() if status == VerificationStatus.WAIVED else ""
    locked.document = document if status == VerificationStatus.VERIFIED else None
    locked.verified_by = acting_user if status != VerificationStatus.PENDING else None
    locked.verified_at = timezone.now() if status != VerificationStatus.PENDING else None
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.VERIFICATION_UPDATED,
        subject=locked,
        delivery_partner_id=application.delivery_partner_id,
        person_id=locked.person_id,
        benefit_unit_id=application.benefit_unit_id,
        extra_data={
            "kind": locked.kind,
            "old": old,
            "new": status,
            "document": document.pk if document else None,
        },
    )
    return locked


@transaction.atomic
def application_submit(*, acting_user: Any, application: Application) -> Application:
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


@transaction.atomic
def application_member_create(
    *,
    acting_user: Any,
    application: Application,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    role: str,
    expected_version: int | None = None,
    acknowledge_possible_duplicates: bool = False,
) -> MemberCircumstances:
    """Register a new person (a newborn, a spouse moving in) and add them to the case and the
    application in one step: either both happen or neither does."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    if role not in MemberRole.values or role == MemberRole.APPLICANT:
        raise ApplicationError(_("Choose the person's role in the case."), field="role")
    # Check the version before registering anyone, so a stale form changes nothing.
    _lock_application(application, expected_version)
    applicant = (
        application.benefit_unit.members.filter(role=MemberRole.APPLICANT, end_on__isnull=True)
        .select_related("person")
        .first()
    )
    contact = applicant.person if applicant else None
    person = person_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        address_line=contact.address_line if contact else "",
        city=contact.city if contact else "",
        postal_code=contact.postal_code if contact else "",
        language_preference=contact.language_preference if contact else "en",
        acknowledge_possible_duplicates=acknowledge_possible_duplicates,
    )
    return application_member_add(
        acting_user=acting_user,
        application=application,
        person=person,
        role=role,
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class VerificationEntry:
    """One line of the checklist form. `use_upload` means 'the file uploaded with this form'."""

    item_id: int
    status: str
    document_id: int | None = None
    use_upload: bool = False
    waived_reason: str = ""


@dataclass(frozen=True)
class UploadFacts:
    title: str
    filename: str
    content: bytes
    person_id: int | None = None


@transaction.atomic
def verification_checklist_save(
    *,
    acting_user: Any,
    application: Application,
    entries: list[VerificationEntry],
    upload: UploadFacts | None = None,
) -> list[VerificationItem]:
    """Save the whole checklist (and an uploaded proof) in one transaction: an error in any
    line, or in the file, saves nothing. Errors name the line: `items[2].waived_reason`."""
    require_capability(acting_user, Capability.APPLICATION_EDIT)
    _require_own(acting_user, application.delivery_partner_id)
    locked = _lock_application(application, None)
    items = {item.pk: item for item in locked.verifications.select_related("document")}
    documents = {
        d.pk: d
        for d in Document.objects.filter(benefit_unit_id=locked.benefit_unit_id).only(
            "id", "benefit_unit_id"
        )
    }
    uploaded: Document | None = None
    if upload is not None:
        person = None
        if upload.person_id is not None:
            person = locked.benefit_unit.members.filter(person_id=upload.person_id).first()
            if person is None:
                raise ApplicationError(
                    _("This person is not a member of the case."), field="upload.person"
                )
        try:
            uploaded = document_upload(
                acting_user=acting_user,
                benefit_unit=locked.benefit_unit,
                title=upload.title,
                filename=upload.filename,
                content=upload.content,
                person=person.person if person else None,
            )
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, field=f"upload.{exc.field or 'file'}", code=exc.code
            ) from exc
    elif any(entry.use_upload for entry in entries):
        raise ApplicationError(
            _("Choose a file to upload, or choose a document already on the case."),
            field="upload.file",
        )
    saved: list[VerificationItem] = []
    for index, entry in enumerate(entries):
        item = items.get(entry.item_id)
        if item is None:
            raise ApplicationError(
                _("This item is not on the application's checklist."), field=f"items[{index}]"
            )
        document: Document | None = None
        if entry.use_upload:
            document = uploaded
        elif entry.document_id is not None:
            if entry.document_id not in documents:
                raise ApplicationError(
                    _("The document is not on this case."), field=f"items[{index}].document"
                )
            document = documents[entry.document_id]  # content not loaded
        reason = entry.waived_reason.strip() if entry.status == VerificationStatus.WAIVED else ""
        wanted_document_id = (
            document.pk if document and entry.status == VerificationStatus.VERIFIED else None
        )
        if (
            item.status == entry.status
            and item.waived_reason == reason
            and item.document_id == wanted_document_id
        ):
            saved.append(item)
            continue
        try:
            saved.append(
                verification_update(
                    acting_user=acting_user,
                    item=item,
                    status=entry.status,
                    document=document,
                    waived_reason=entry.waived_reason,
                )
            )
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, field=f"items[{index}].{exc.field or 'status'}", code=exc.code
            ) from exc
    return saved


# --- Transfers ------------------------------------------------------------------------------


@transaction.atomic
def applications_move_with_case(
    *, acting_user: Any, transfer: Any, benefit_unit: BenefitUnit, person_ids: list[int]
) -> dict[str, int]:
    """Move the case's application, and its members' inquiries and appointments, from the
    sending partner to the receiving one (called by `case_transfer` through `case_transferred`,
    inside its transaction).

    An upcoming booked appointment is work in progress in the sender's calendar, with one of
    the sender's caseworkers: it is cancelled (with the transfer as the reason, and an
    `appointment_cancelled` event) rather than carried into the receiver's calendar, where the
    receiving team books its own. It still moves, so the receiver sees it on the client's
    inquiry and the sender's calendar no longer shows it.
    """
    from_id, to_id = transfer.from_partner_id, transfer.to_partner_id
    counts: dict[str, int] = {}
    application = (
        Application.objects.select_for_update()
        .filter(benefit_unit=benefit_unit, delivery_partner_id=from_id)
        .first()
    )
    if application is not None:
        application.delivery_partner_id = to_id
        application.version += 1
        application._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        application.save(update_fields=["delivery_partner", "version", "modified_at"])
        counts["applications"] = 1
    inquiries = list(
        Inquiry.objects.select_for_update()
        .filter(person_id__in=person_ids, delivery_partner_id=from_id)
        .order_by("id")
    )
    for inquiry in inquiries:
        inquiry.delivery_partner_id = to_id
        inquiry._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        inquiry.save(update_fields=["delivery_partner", "modified_at"])
    if inquiries:
        counts["inquiries"] = len(inquiries)
    appointments = (
        Appointment.objects.select_for_update()
        .filter(delivery_partner_id=from_id)
        .filter(
            models.Q(person_id__in=person_ids)
            | models.Q(inquiry_id__in=[inquiry.pk for inquiry in inquiries])
        )
        .order_by("id")
    )
    now = timezone.now()
    moved = cancelled = 0
    for appointment in appointments:
        fields = ["delivery_partner", "modified_at"]
        if appointment.status == AppointmentStatus.BOOKED and appointment.starts_at >= now:
            appointment.status = AppointmentStatus.CANCELLED
            fields.append("status")
            cancelled += 1
            audit_record(
                acting_user=acting_user,
                event_type=AuditEventType.APPOINTMENT_CANCELLED,
                subject=appointment,
                delivery_partner_id=from_id,
                person_id=appointment.person_id,
                extra_data={
                    "reason": _("The case was transferred to another delivery partner."),
                    "transfer": transfer.pk,
                },
            )
        appointment.delivery_partner_id = to_id
        appointment._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
        appointment.save(update_fields=fields)
        moved += 1
    if moved:
        counts["appointments"] = moved
    if cancelled:
        counts["appointments_cancelled"] = cancelled
    return counts
