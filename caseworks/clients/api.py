"""API: find, read, register and correct clients. Reads go through the partner-scoped
selectors; every read of a client file is logged (ClientFileAccess, channel "api")."""

from __future__ import annotations

from ninja import Query, Router, Schema, Status

from caseworks.accounts.auth import ApiRequest
from caseworks.accounts.constants import Capability
from caseworks.accounts.schemas import ErrorOut, RecordId, Text
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.schemas import (
    ClientFileAccessOut,
    DuplicateErrorOut,
    PersonCreateIn,
    PersonOut,
    PersonSummaryOut,
    PersonUpdateIn,
)
from caseworks.clients.selectors import (
    PersonSearch,
    client_file_access_list_for_user,
    person_get_for_user,
    person_search_for_user,
)
from caseworks.clients.services import (
    client_file_access_record,
    client_file_accesses_record,
    person_create,
    person_search_detail,
    person_update,
)
from caseworks.core.access import require_capability

router = Router(tags=["clients"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACCESS_LOG_LIMIT = 500


class SearchQuery(Schema):
    q: Text = ""


@router.get(
    "",
    response={200: list[PersonSummaryOut], 401: ErrorOut, 403: ErrorOut},
    summary="Search clients by name, date of birth (YYYY-MM-DD), SIN last 3 digits or case number",
)
def client_search(request: ApiRequest, query: Query[SearchQuery]) -> list[Person]:
    search = PersonSearch.from_text(query.q)
    people = person_search_for_user(user=request.auth, search=search)
    client_file_accesses_record(
        user=request.auth,
        person_ids=[person.pk for person in people],
        view_name="api:client_search",
        channel="api",
        detail=person_search_detail(search),
    )
    return people


@router.get("/{person_id}", response={200: PersonOut, **ERRORS}, summary="A client's file")
def client_detail(request: ApiRequest, person_id: RecordId) -> Person:
    person = person_get_for_user(user=request.auth, person_id=person_id)
    client_file_access_record(
        user=request.auth, person=person, view_name="api:client_detail", channel="api"
    )
    return person


@router.post(
    "",
    response={201: PersonOut, 409: DuplicateErrorOut, **ERRORS},
    summary="Register a client (possible duplicates anywhere in the province answer 409)",
)
def client_create(request: ApiRequest, payload: PersonCreateIn) -> Status[Person]:
    return Status(201, person_create(acting_user=request.auth, channel="api", **payload.dict()))


@router.patch(
    "/{person_id}", response={200: PersonOut, **ERRORS}, summary="Correct a client's details"
)
def client_update(request: ApiRequest, person_id: RecordId, payload: PersonUpdateIn) -> Person:
    require_capability(request.auth, Capability.CLIENT_EDIT)
    person = person_get_for_user(user=request.auth, person_id=person_id)
    return person_update(
        acting_user=request.auth, person=person, data=payload.dict(exclude_unset=True)
    )


@router.get(
    "/{person_id}/access-log",
    response={200: list[ClientFileAccessOut], **ERRORS},
    summary="Who viewed this client's file (auditors)",
)
def client_access_log(request: ApiRequest, person_id: RecordId) -> list[ClientFileAccess]:
    return list(
        client_file_access_list_for_user(user=request.auth, person_id=person_id)[:ACCESS_LOG_LIMIT]
    )
