"""API: inquiries (with the pre-screen), appointments, and applications.

Same rules as the pages: the role's capability first (403), then the record through the
partner-scoped selector (404 for another partner's). Reading an application is a read of the
applicant's file and is logged (ClientFileAccess, channel "api")."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId
from caseworks.cases.services import case_file_read_record
from caseworks.clients.selectors import person_get_for_user
from caseworks.core.access import require_capability
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.core.money import parse_dollars_to_cents

from .models import Application, Appointment, Inquiry, MemberCircumstances
from .schemas import (
    ApplicationCreateIn,
    ApplicationOut,
    ApplicationPatchIn,
    AppointmentIn,
    AppointmentOut,
    InquiryIn,
    InquiryOut,
    MemberCreateIn,
    VerificationIn,
)
from .selectors import application_get_for_user, caseworkers_for_user, inquiry_get_for_user
from .services import (
    ApplicationFacts,
    AssetFacts,
    IncomeFacts,
    MemberFacts,
    application_member_create,
    application_start,
    application_update,
    appointment_book,
    inquiry_record,
    verification_update,
)

router = Router(tags=["applications"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


def cents(value: str | None, field: str) -> int | None:
    """'1234.50' (machine format) → 123450, or a 422 naming the field. None stays None."""
    if value is None:
        return None
    try:
        amount = parse_dollars_to_cents(value)
    except (ValueError, ArithmeticError) as exc:  # decimal.InvalidOperation: "1e30"
        raise ApplicationError(
            _('Enter an amount in dollars and cents as text, like "1234.50".'), field=field
        ) from exc
    if amount < 0:
        raise ApplicationError(_("The amount cannot be negative."), field=field)
    return amount


def _required_cents(value: str, field: str) -> int:
    amount = cents(value, field)
    assert amount is not None
    return amount


def log_application_read(request: ApiRequest, application: Application, view_name: str) -> None:
    case_file_read_record(
        user=request.auth,
        benefit_unit=application.benefit_unit,
        view_name=view_name,
        channel="api",
    )


@router.post(
    "/inquiries",
    response={201: InquiryOut, **ERRORS},
    summary="Record a caller and pre-screen them with the rules",
)
def inquiry_create(request: ApiRequest, payload: InquiryIn) -> Status[Inquiry]:
    require_capability(request.auth, Capability.INQUIRY_RECORD)
    inquiry = inquiry_record(
        acting_user=request.auth,
        caller_name=payload.caller_name,
        phone=payload.phone,
        adults=payload.adults,
        children=payload.children,
        has_spouse=payload.has_spouse,
        monthly_income_cents=_required_cents(payload.monthly_income, "monthly_income"),
        shelter_cost_cents=_required_cents(payload.shelter_cost, "shelter_cost"),
        assets_cents=_required_cents(payload.assets, "assets"),
    )
    return Status(201, inquiry)


@router.post(
    "/appointments",
    response={201: AppointmentOut, **WRITE_ERRORS},
    summary="Book an intake appointment (no double booking)",
)
def appointment_create(request: ApiRequest, payload: AppointmentIn) -> Status[Appointment]:
    require_capability(request.auth, Capability.APPOINTMENT_BOOK)
    worker = next(
        (w for w in caseworkers_for_user(user=request.auth) if w.pk == payload.caseworker_id),
        None,
    )
    if worker is None:
        raise ApplicationError(_("Choose a caseworker of your office."), field="caseworker_id")
    inquiry = (
        inquiry_get_for_user(user=request.auth, inquiry_id=payload.inquiry_id)
        if payload.inquiry_id
        else None
    )
    person = (
        person_get_for_user(user=request.auth, person_id=payload.person_id)
        if payload.person_id
        else None
    )
    try:
        appointment = appointment_book(
            acting_user=request.auth,
            caseworker=worker,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            inquiry=inquiry,
            person=person,
            purpose=payload.purpose,
        )
    except ApplicationError as exc:
        if exc.code == "double_booking":
            raise ApplicationError(exc.message, field="starts_at", code=exc.code) from exc
        raise
    return Status(201, appointment)


@router.post(
    "/applications",
    response={201: ApplicationOut, **WRITE_ERRORS},
    summary="Start an application: opens a pending case with the person as applicant",
)
def application_create(request: ApiRequest, payload: ApplicationCreateIn) -> Status[Application]:
    require_capability(request.auth, Capability.APPLICATION_EDIT)
    person = person_get_for_user(user=request.auth, person_id=payload.person_id)
    application = application_start(
        acting_user=request.auth, applicant=person, applied_on=payload.applied_on
    )
    return Status(201, application)


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="An application with its members, income, assets and checklist",
)
def application_detail(request: ApiRequest, application_id: RecordId) -> Application:
    application = application_get_for_user(user=request.auth, application_id=application_id)
    log_application_read(request, application, "api:application_detail")
    return application


def _facts(payload: ApplicationPatchIn) -> ApplicationFacts:
    sent = payload.model_fields_set
    return ApplicationFacts(
        shelter_type=payload.shelter_type,
        shelter_cost_cents=cents(payload.shelter_cost, "shelter_cost"),
        heat_cents=cents(payload.heat, "heat"),
        utilities_cents=cents(payload.utilities, "utilities"),
        remote_community=payload.remote_community,
        months_in_receipt=payload.months_in_receipt,
        consent_to_verification=payload.consent_to_verification,
        address_line=payload.address_line,
        city=payload.city,
        postal_code=payload.postal_code,
        members=None
        if payload.members is None
        else [
            MemberFacts(
                person_id=m.person_id,
                full_time_student=m.full_time_student,
                pregnant_or_breastfeeding=m.pregnant_or_breastfeeding,
                special_diet_cents=_required_cents(m.special_diet, f"members[{i}].special_diet"),
                child_care_costs_cents=_required_cents(
                    m.child_care_costs, f"members[{i}].child_care_costs"
                ),
            )
            for i, m in enumerate(payload.members)
        ],
        incomes=None
        if payload.incomes is None
        else [
            IncomeFacts(
                person_id=x.person_id,
                income_type=x.income_type,
                monthly_amount_cents=_required_cents(
                    x.monthly_amount, f"incomes[{i}].monthly_amount"
                ),
                description=x.description,
            )
            for i, x in enumerate(payload.incomes)
        ],
        assets=None
        if payload.assets is None
        else [
            AssetFacts(
                asset_type=a.asset_type,
                value_cents=_required_cents(a.value, f"assets[{i}].value"),
                description=a.description,
            )
            for i, a in enumerate(payload.assets)
        ],
        changed=sorted(sent),
    )


def _api_field(error: ApplicationError) -> ApplicationError:
    """The service names `incomes[0].monthly_amount_cents`; the API field is `monthly_amount`."""
    field = error.field or ""
    for suffix in ("_cents",):
        if field.endswith(suffix):
            field = field[: -len(suffix)]
    if field.endswith(".person"):
        field += "_id"
    return ApplicationError(error.message, field=field or None, code=error.code)


@router.patch(
    "/applications/{application_id}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Save part of an application (only the fields sent; 409 if the version is stale)",
)
def application_patch(
    request: ApiRequest, application_id: RecordId, payload: ApplicationPatchIn
) -> Application:
    require_capability(request.auth, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=request.auth, application_id=application_id)
    facts = _facts(payload)
    try:
        return application_update(
            acting_user=request.auth,
            application=application,
            facts=facts,
            expected_version=payload.expected_version,
        )
    except ApplicationError as exc:
        if isinstance(exc, ConflictError):
            raise
        raise _api_field(exc) from exc


@router.post(
    "/applications/{application_id}/members",
    response={201: ApplicationOut, **WRITE_ERRORS},
    summary="Register a new person (e.g. a newborn) and add them to the case and application",
)
def application_member_new(
    request: ApiRequest, application_id: RecordId, payload: MemberCreateIn
) -> Status[Application]:
    require_capability(request.auth, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=request.auth, application_id=application_id)
    circumstances: MemberCircumstances = application_member_create(
        acting_user=request.auth,
        application=application,
        first_name=payload.first_name,
        last_name=payload.last_name,
        date_of_birth=payload.date_of_birth,
        role=payload.role,
        expected_version=payload.expected_version,
        acknowledge_possible_duplicates=payload.acknowledge_possible_duplicates,
    )
    return Status(
        201,
        application_get_for_user(user=request.auth, application_id=circumstances.application_id),
    )


@router.post(
    "/applications/{application_id}/verifications/{item_id}",
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Verify, waive (with a reason) or reopen one item of the verification checklist",
)
def application_verification(
    request: ApiRequest, application_id: RecordId, item_id: RecordId, payload: VerificationIn
) -> Application:
    from caseworks.documents.models import Document  # noqa: PLC0415  # app order

    require_capability(request.auth, Capability.APPLICATION_EDIT)
    application = application_get_for_user(user=request.auth, application_id=application_id)
    item = application.verifications.filter(pk=item_id).first()
    if item is None:
        raise Http404
    document = None
    if payload.document_id is not None:
        document = Document.objects.filter(
            pk=payload.document_id, benefit_unit_id=application.benefit_unit_id
        ).first()
        if document is None:
            raise ApplicationError(_("The document is not on this case."), field="document_id")
    verification_update(
        acting_user=request.auth,
        item=item,
        status=payload.status,
        document=document,
        waived_reason=payload.waived_reason,
    )
    log_application_read(request, application, "api:application_verification")
    return application_get_for_user(user=request.auth, application_id=application_id)
