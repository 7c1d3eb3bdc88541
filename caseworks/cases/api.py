"""API: cases (benefit units), their members, status, notes; and my tasks.

Cases and people are loaded only through the partner-scoped selectors. A write first checks the
role's capability (403), then loads the record (404 for another partner's), as the pages do.
Reading a case or its notes is a read of the applicant's file and is logged (ClientFileAccess,
channel "api")."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseNote, Task
from caseworks.cases.schemas import (
    CaseCreateIn,
    CaseOut,
    MemberAddIn,
    MemberEndIn,
    MemberOut,
    NoteIn,
    NoteOut,
    StatusChangeIn,
    TaskOut,
)
from caseworks.cases.selectors import (
    benefit_unit_get_for_user,
    task_get_for_user,
    task_list_for_user,
)
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    benefit_unit_member_end,
    case_file_read_record,
    case_note_create,
    case_status_change,
    task_complete,
)
from caseworks.clients.selectors import person_get_for_user
from caseworks.core.access import require_capability

router = Router(tags=["cases"])
tasks_router = Router(tags=["tasks"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
NOTES_LIMIT = 200


def _log_case_read(request: ApiRequest, case: BenefitUnit, view_name: str) -> None:
    """A case file is the applicant's file: log the read against the applicant."""
    case_file_read_record(user=request.auth, benefit_unit=case, view_name=view_name, channel="api")


@router.get("/{benefit_unit_id}", response={200: CaseOut, **ERRORS}, summary="A case")
def case_detail(request: ApiRequest, benefit_unit_id: RecordId) -> BenefitUnit:
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    _log_case_read(request, case, "api:case_detail")
    return case


@router.post(
    "", response={201: CaseOut, **WRITE_ERRORS}, summary="Open a case with a client as applicant"
)
def case_create(request: ApiRequest, payload: CaseCreateIn) -> Status[BenefitUnit]:
    require_capability(request.auth, Capability.CASE_CREATE)
    applicant = person_get_for_user(user=request.auth, person_id=payload.person_id)
    case = benefit_unit_create(
        acting_user=request.auth,
        applicant=applicant,
        opened_on=payload.opened_on,
        caseworker=request.auth if payload.assign_to_me else None,
    )
    return Status(201, case)


@router.post(
    "/{benefit_unit_id}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    summary="Add a spouse or dependant to a case",
)
def case_member_add(
    request: ApiRequest, benefit_unit_id: RecordId, payload: MemberAddIn
) -> Status[BenefitUnitMember]:
    require_capability(request.auth, Capability.CASE_EDIT)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    person = person_get_for_user(user=request.auth, person_id=payload.person_id)
    member = benefit_unit_member_add(
        acting_user=request.auth,
        benefit_unit=case,
        person=person,
        role=payload.role,
        start_on=payload.start_on,
        expected_version=payload.expected_version,
    )
    return Status(201, member)


@router.post(
    "/{benefit_unit_id}/members/{member_id}/end",
    response={200: MemberOut, **WRITE_ERRORS},
    summary="A member leaves the case",
)
def case_member_end(
    request: ApiRequest, benefit_unit_id: RecordId, member_id: RecordId, payload: MemberEndIn
) -> BenefitUnitMember:
    require_capability(request.auth, Capability.CASE_EDIT)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    try:
        member = case.members.select_related("benefit_unit", "person").get(pk=member_id)
    except BenefitUnitMember.DoesNotExist as exc:
        raise Http404 from exc
    return benefit_unit_member_end(
        acting_user=request.auth,
        member=member,
        end_on=payload.end_on,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )


@router.post(
    "/{benefit_unit_id}/status",
    response={200: CaseOut, **WRITE_ERRORS},
    summary=(
        "Change a case's status by hand (withdraw, close: with a reason; granting, denying, "
        "suspending and reinstating belong to the decision and payment actions; 409 if stale)"
    ),
)
def case_status_update(
    request: ApiRequest, benefit_unit_id: RecordId, payload: StatusChangeIn
) -> BenefitUnit:
    require_capability(request.auth, Capability.CASE_STATUS_CHANGE)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    return case_status_change(
        acting_user=request.auth,
        benefit_unit=case,
        to_status=payload.to_status,
        reason=payload.reason,
        effective_on=payload.effective_on,
        expected_version=payload.expected_version,
        manual=True,
    )


@router.get(
    "/{benefit_unit_id}/notes",
    response={200: list[NoteOut], **ERRORS},
    summary="A case's notes, newest first",
)
def case_notes(request: ApiRequest, benefit_unit_id: RecordId) -> list[CaseNote]:
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    _log_case_read(request, case, "api:case_notes")
    return list(case.notes.select_related("author").order_by("-created_at", "-id")[:NOTES_LIMIT])


@router.post(
    "/{benefit_unit_id}/notes", response={201: NoteOut, **ERRORS}, summary="Add a note to a case"
)
def case_note_add(
    request: ApiRequest, benefit_unit_id: RecordId, payload: NoteIn
) -> Status[CaseNote]:
    require_capability(request.auth, Capability.CASE_NOTE_CREATE)
    case = benefit_unit_get_for_user(user=request.auth, benefit_unit_id=benefit_unit_id)
    return Status(
        201, case_note_create(acting_user=request.auth, benefit_unit=case, body=payload.body)
    )


@tasks_router.get(
    "", response={200: list[TaskOut], 401: ErrorOut, 403: ErrorOut}, summary="My open tasks"
)
def my_tasks(request: ApiRequest) -> list[Task]:
    return list(task_list_for_user(user=request.auth))


@tasks_router.post(
    "/{task_id}/complete", response={200: TaskOut, **ERRORS}, summary="Mark a task done"
)
def task_mark_done(request: ApiRequest, task_id: RecordId) -> Task:
    require_capability(request.auth, Capability.TASK_MANAGE)
    task = task_get_for_user(user=request.auth, task_id=task_id)
    return task_complete(acting_user=request.auth, task=task)
