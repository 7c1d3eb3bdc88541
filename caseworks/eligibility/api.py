"""API: run a determination, read it, decide from it, read the decision."""

from __future__ import annotations

from ninja import Router, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId
from caseworks.accounts.second_factor import require_second_factor
from caseworks.applications.api import log_application_read
from caseworks.applications.selectors import application_get_for_user
from caseworks.cases.services import case_file_read_record
from caseworks.core.access import require_capability

from .models import Decision, Determination
from .schemas import DecisionIn, DecisionOut, DeterminationOut, DeterminationRunIn
from .selectors import decision_get_for_user, determination_get_for_user
from .services import decision_make, determination_run

router = Router(tags=["eligibility"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post(
    "/applications/{application_id}/determinations",
    response={201: DeterminationOut, **ERRORS},
    summary="Run the rules on the application and store the determination",
)
def determination_create(
    request: ApiRequest, application_id: RecordId, payload: DeterminationRunIn | None = None
) -> Status[Determination]:
    require_capability(request.auth, Capability.DETERMINATION_RUN)
    application = application_get_for_user(user=request.auth, application_id=application_id)
    log_application_read(request, application, "api:determination_create")
    determination = determination_run(
        acting_user=request.auth,
        application=application,
        benefit_month=payload.benefit_month if payload else None,
    )
    return Status(201, determination)


@router.get(
    "/determinations/{determination_id}",
    response={200: DeterminationOut, **ERRORS},
    summary="A stored determination: result, budget lines with citations, what is missing",
)
def determination_detail(request: ApiRequest, determination_id: RecordId) -> Determination:
    determination = determination_get_for_user(user=request.auth, determination_id=determination_id)
    case_file_read_record(
        user=request.auth,
        benefit_unit=determination.benefit_unit,
        view_name="api:determination_detail",
        channel="api",
    )
    return determination


@router.post(
    "/determinations/{determination_id}/decision",
    response={201: DecisionOut, **ERRORS},
    summary="Grant or deny; going against the rules needs override_reason and a supervisor",
)
def decision_create(
    request: ApiRequest, determination_id: RecordId, payload: DecisionIn
) -> Status[Decision]:
    require_capability(request.auth, Capability.DECISION_MAKE)
    require_second_factor(request)  # a grant pays; an override needs a supervisor's approval
    determination = determination_get_for_user(user=request.auth, determination_id=determination_id)
    decision = decision_make(
        acting_user=request.auth,
        determination=determination,
        outcome=payload.outcome,
        effective_on=payload.effective_on,
        reason=payload.reason,
        override_reason=payload.override_reason,
    )
    return Status(201, decision)


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    summary="A decision, with its notices (document ids) once final",
)
def decision_detail(request: ApiRequest, decision_id: RecordId) -> Decision:
    decision = decision_get_for_user(user=request.auth, decision_id=decision_id)
    case_file_read_record(
        user=request.auth,
        benefit_unit=decision.benefit_unit,
        view_name="api:decision_detail",
        channel="api",
    )
    return decision
