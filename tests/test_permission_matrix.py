"""The permission matrix: every client/case URL, page and API, for every role, in three places.

For each URL in `URLS` and each actor in `ACTORS` this suite makes the real request and checks
the status code:

* a role of the record's own delivery partner gets exactly the rights written in `RIGHTS_GRID`
  (the success code if it holds every capability the URL needs, 403 otherwise);
* provincial staff (no partner) get the same rights, across every partner;
* the same role in ANOTHER delivery partner is refused: 404 (the record "does not exist" for
  them) when the role could otherwise do it, 403 when the role could not do it anyway;
* an anonymous caller gets 401 (API) or the login redirect (pages).

`test_every_url_is_in_the_matrix` walks Django's URL resolver and the OpenAPI schema and FAILS
when a URL taking a record id (person_id, benefit_unit_id, …), any URL of a client or case app,
or any API operation is missing from `URLS`. A new URL must be added here, with its rights.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from caseworks.accounts.constants import PROVINCIAL_ROLES, ROLE_CAPABILITIES, Role
from caseworks.accounts.constants import Capability as C  # noqa: N817  # short, for the table
from caseworks.accounts.models import ApiToken
from caseworks.accounts.services import api_token_create
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import MemberRole
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    case_note_create,
    task_create,
)
from caseworks.clients.tests.factories import PersonFactory
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from config.api import api

# ---------------------------------------------------------------------------------------------
# 1. Who may do what. One column per capability the URLs below need; "x" = the role has it.
#    test_rights_grid_matches_role_capabilities keeps this in step with ROLE_CAPABILITIES.
# ---------------------------------------------------------------------------------------------
COLUMNS = (
    C.CLIENT_VIEW,
    C.CLIENT_CREATE,
    C.CLIENT_EDIT,
    C.CASE_VIEW,
    C.CASE_CREATE,
    C.CASE_EDIT,
    C.CASE_STATUS_CHANGE,
    C.CASE_NOTE_CREATE,
    C.TASK_MANAGE,
    C.ACCESS_LOG_VIEW,
    C.STAFF_MANAGE,
)
RIGHTS_GRID: dict[str, str] = {
    #                          client     case                    task access staff
    #                          view new   view new  edit  status  note manage log  manage
    #                               edit
    Role.INTAKE_CLERK:          "x  x  .   x  x  .  .  x           .    .    .",
    Role.CASEWORKER:            "x  x  x   x  x  x  x  x           x    .    .",
    Role.EMPLOYMENT_CASEWORKER: "x  .  .   x  .  .  .  x           x    .    .",
    Role.SUPERVISOR:            "x  x  x   x  x  x  x  x           x    .    .",
    Role.PARTNER_ADMIN:         ".  .  .   .  .  .  .  .           .    .    x",
    Role.MINISTRY_ANALYST:      ".  .  .   .  .  .  .  .           .    .    .",
    Role.AUDITOR:               "x  .  .   x  .  .  .  .           .    x    .",
    Role.PROVIDER:              ".  .  .   .  .  .  .  .           .    .    .",
}  # fmt: skip
RIGHTS: dict[str, frozenset[C]] = {
    role: frozenset(c for c, mark in zip(COLUMNS, marks.split(), strict=True) if mark == "x")
    for role, marks in RIGHTS_GRID.items()
}


# ---------------------------------------------------------------------------------------------
# 2. The records every request is made against: all in partner A.
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass
class World:
    partner: Any
    other_partner: Any
    owner: Any  # partner A's caseworker who holds the case
    person: Any  # the applicant of `case`
    case: Any
    member: Any  # a dependent child on `case`
    free_person: Any  # registered, on no case
    free_child: Any  # registered, on no case, under 18
    task: Any
    note: Any

    def ids(self, path: str, actor_user: Any, where: str) -> dict[str, Any]:
        """Values for the {placeholders} of URL paths. Add one here (and to ID_PLACEHOLDERS)
        for each new kind of id."""
        ids: dict[str, Any] = {
            "person_id": self.person.pk,
            "benefit_unit_id": self.case.pk,
            "member_id": self.member.pk,
            "task_id": self.task.pk,
        }
        if "{token_id}" in path:
            # The caller's own token; another partner's caller (or nobody) is given partner
            # A's caseworker's token: someone else's, so 404.
            mine = where in ("own", "provincial")
            ids["token_id"] = _token_for(actor_user if mine else self.owner).pk
        return ids


ID_PLACEHOLDERS = ("person_id", "benefit_unit_id", "member_id", "task_id", "token_id")


def _token_for(user: Any) -> ApiToken:
    token, _ = api_token_create(acting_user=user, user=user, name="matrix")
    return token


def _build_world() -> World:
    partner = DeliveryPartnerFactory(code="matrix-a", name="Matrix Partner A")
    other_partner = DeliveryPartnerFactory(code="matrix-b", name="Matrix Partner B")
    owner = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    person = PersonFactory(delivery_partner=partner, first_name="Zoé", last_name="Quenneville")
    case = benefit_unit_create(acting_user=owner, applicant=person, caseworker=owner)
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2019, 3, 1))
    member = benefit_unit_member_add(
        acting_user=owner,
        benefit_unit=case,
        person=child,
        role=MemberRole.DEPENDANT_CHILD,
        start_on=case.opened_on,
    )
    case.refresh_from_db()
    return World(
        partner=partner,
        other_partner=other_partner,
        owner=owner,
        person=person,
        case=case,
        member=member,
        free_person=PersonFactory(delivery_partner=partner),
        free_child=PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2020, 6, 1)),
        task=task_create(
            acting_user=owner, title="Call back", due_on=timezone.localdate(), benefit_unit=case
        ),
        note=case_note_create(acting_user=owner, benefit_unit=case, body="First contact."),
    )


# ---------------------------------------------------------------------------------------------
# 3. Every URL. `needs`: every capability the request needs. `scope`:
#    "partner" — the path or body names a record of partner A (other partners: 404/403);
#    "own"     — the caller acts within their own partner or account (same rights everywhere);
#    "self"    — a record of the caller's own account (someone else's: 404).
#    `reveals(world, response)`: whether a list shows partner A's record (own: yes; other: no).
# ---------------------------------------------------------------------------------------------
Body = Callable[[World], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Url:
    method: str
    path: str
    needs: frozenset[C]
    ok: tuple[int, ...]
    scope: str = "partner"
    body: Body | None = None
    query: Body | None = None
    reveals: Callable[[World, Any], bool] | None = None

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _today() -> str:
    return timezone.localdate().isoformat()


def _ids_in(response: Any) -> set[int]:
    return {row["id"] for row in response.json()}


def _u(method: str, path: str, *needs: C, ok: int | tuple[int, ...], **kw: Any) -> Url:
    return Url(method, path, frozenset(needs), ok if isinstance(ok, tuple) else (ok,), **kw)


PAGE_POST_OK = (302,)  # a page form that succeeds redirects (with valid data, as here)

URLS: list[Url] = [
    # ----- API: me and tokens -----
    _u("GET", "/api/me", ok=200, scope="own"),
    _u("GET", "/api/me/tokens", ok=200, scope="own"),
    _u("POST", "/api/me/tokens", ok=201, scope="own", body=lambda w: {"name": "matrix script"}),
    _u("POST", "/api/me/tokens/{token_id}/revoke", ok=200, scope="self"),
    _u(
        "POST",
        "/api/staff",
        C.STAFF_MANAGE,
        ok=201,
        scope="own",
        body=lambda w: {
            "username": "matrix.new",
            "password": "a-long-and-unusual-passphrase-7",
            "role": "caseworker",
        },
    ),
    # ----- API: clients -----
    _u(
        "GET",
        "/api/clients",
        C.CLIENT_VIEW,
        ok=200,
        scope="own",
        query=lambda w: {"q": w.person.last_name},
        reveals=lambda w, r: w.person.pk in _ids_in(r),
    ),
    _u(
        "POST",
        "/api/clients",
        C.CLIENT_CREATE,
        ok=201,
        scope="own",
        body=lambda w: {"first_name": "New", "last_name": "Client", "date_of_birth": "1980-01-02"},
    ),
    _u("GET", "/api/clients/{person_id}", C.CLIENT_VIEW, ok=200),
    _u(
        "PATCH",
        "/api/clients/{person_id}",
        C.CLIENT_VIEW,
        C.CLIENT_EDIT,
        ok=200,
        body=lambda w: {"city": "Sudbury"},
    ),
    _u("GET", "/api/clients/{person_id}/access-log", C.CLIENT_VIEW, C.ACCESS_LOG_VIEW, ok=200),
    # ----- API: cases -----
    _u(
        "POST",
        "/api/cases",
        C.CLIENT_VIEW,
        C.CASE_CREATE,
        ok=201,
        body=lambda w: {"person_id": w.free_person.pk},
    ),
    _u("GET", "/api/cases/{benefit_unit_id}", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/members",
        C.CLIENT_VIEW,
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=201,
        body=lambda w: {
            "person_id": w.free_child.pk,
            "role": "dependant_child",
            "start_on": _today(),
            "expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/members/{member_id}/end",
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=200,
        body=lambda w: {
            "end_on": _today(),
            "reason": "Moved out",
            "expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/status",
        C.CASE_VIEW,
        C.CASE_STATUS_CHANGE,
        ok=200,
        body=lambda w: {"to_status": "active", "expected_version": w.case.version},
    ),
    _u("GET", "/api/cases/{benefit_unit_id}/notes", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/api/cases/{benefit_unit_id}/notes",
        C.CASE_VIEW,
        C.CASE_NOTE_CREATE,
        ok=201,
        body=lambda w: {"body": "Matrix note"},
    ),
    # ----- API: tasks -----
    _u(
        "GET",
        "/api/tasks",
        C.CASE_VIEW,
        ok=200,
        scope="own",
    ),
    _u("POST", "/api/tasks/{task_id}/complete", C.CASE_VIEW, C.TASK_MANAGE, ok=200),
    # ----- Pages: clients -----
    _u(
        "GET",
        "/clients/",
        C.CLIENT_VIEW,
        ok=200,
        scope="own",
        query=lambda w: {"q": w.person.last_name},
        reveals=lambda w, r: f"/clients/{w.person.pk}/" in r.content.decode(),
    ),
    _u("GET", "/clients/new/", C.CLIENT_CREATE, ok=200, scope="own"),
    _u(
        "POST",
        "/clients/new/",
        C.CLIENT_CREATE,
        ok=PAGE_POST_OK,
        scope="own",
        body=lambda w: {
            "first_name": "New",
            "last_name": "Client",
            "date_of_birth": "1980-01-02",
            "language_preference": "en",
        },
    ),
    _u("GET", "/clients/{person_id}/", C.CLIENT_VIEW, ok=200),
    _u("GET", "/clients/{person_id}/edit/", C.CLIENT_VIEW, C.CLIENT_EDIT, ok=200),
    _u(
        "POST",
        "/clients/{person_id}/edit/",
        C.CLIENT_VIEW,
        C.CLIENT_EDIT,
        ok=PAGE_POST_OK,
        body=lambda w: {
            "first_name": w.person.first_name,
            "last_name": w.person.last_name,
            "date_of_birth": w.person.date_of_birth.isoformat(),
            "language_preference": "en",
            "city": "Sudbury",
        },
    ),
    _u("GET", "/clients/{person_id}/access-log/", C.CLIENT_VIEW, C.ACCESS_LOG_VIEW, ok=200),
    # ----- Pages: cases -----
    _u(
        "POST",
        "/cases/new/",
        C.CLIENT_VIEW,
        C.CASE_CREATE,
        ok=302,
        body=lambda w: {"person_id": w.free_person.pk},
    ),
    _u("GET", "/cases/{benefit_unit_id}/", C.CASE_VIEW, ok=200),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/status/",
        C.CASE_VIEW,
        C.CASE_STATUS_CHANGE,
        ok=PAGE_POST_OK,
        body=lambda w: {
            "status-to_status": "active",
            "status-effective_on": _today(),
            "status-expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/notes/",
        C.CASE_VIEW,
        C.CASE_NOTE_CREATE,
        ok=PAGE_POST_OK,
        body=lambda w: {"note-body": "Matrix note"},
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/tasks/",
        C.CASE_VIEW,
        C.TASK_MANAGE,
        ok=PAGE_POST_OK,
        body=lambda w: {"task-title": "Matrix task", "task-due_on": _today()},
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/members/",
        C.CLIENT_VIEW,
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=PAGE_POST_OK,
        body=lambda w: {
            "member-person": w.free_child.pk,
            "member-role": "dependant_child",
            "member-start_on": _today(),
            "member-expected_version": w.case.version,
        },
    ),
    _u(
        "POST",
        "/cases/{benefit_unit_id}/members/{member_id}/end/",
        C.CASE_VIEW,
        C.CASE_EDIT,
        ok=PAGE_POST_OK,
        body=lambda w: {
            f"end-{w.member.pk}-end_on": _today(),
            f"end-{w.member.pk}-reason": "Moved out",
            f"end-{w.member.pk}-expected_version": w.case.version,
        },
    ),
    _u("POST", "/cases/tasks/{task_id}/done/", C.CASE_VIEW, C.TASK_MANAGE, ok=PAGE_POST_OK),
]


# ---------------------------------------------------------------------------------------------
# 4. Who asks: each role in partner A ("own"), provincial staff, each role in partner B
#    ("other"), and nobody.
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Actor:
    where: str  # own | provincial | other | anonymous
    role: str = ""

    @property
    def id(self) -> str:
        return f"{self.where}-{self.role}" if self.role else self.where


ACTORS = (
    [Actor("own", role.value) for role in Role]
    + [Actor("provincial", role.value) for role in sorted(PROVINCIAL_ROLES)]
    + [Actor("other", role.value) for role in Role]
    + [Actor("anonymous")]
)


def expected_statuses(url: Url, actor: Actor) -> tuple[int, ...]:
    if actor.where == "anonymous":
        return (401,) if url.is_api else (302,)
    if not url.needs <= RIGHTS[actor.role]:
        return (403,)
    if actor.where == "other" and url.scope in ("partner", "self"):
        return (404,)
    return url.ok


def _make_actor(actor: Actor, world: World) -> Any:
    if actor.where == "anonymous":
        return None
    partner = {"own": world.partner, "other": world.other_partner, "provincial": None}
    return UserFactory(role=actor.role, delivery_partner=partner[actor.where])


def _request(url: Url, world: World, user: Any, actor: Actor) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    path = url.path.format(**world.ids(url.path, user, actor.where))
    body = url.body(world) if url.body else {}
    if url.method == "GET":
        return client.get(path, url.query(world) if url.query else None)
    if url.is_api:
        return client.generic(
            url.method,
            path,
            data=json.dumps(body),
            content_type="application/json",
        )
    return client.post(path, body)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.id)
@pytest.mark.parametrize("url", URLS, ids=lambda u: u.id)
def test_permission_matrix(url: Url, actor: Actor) -> None:
    world = _build_world()
    user = _make_actor(actor, world)
    response = _request(url, world, user, actor)
    expected = expected_statuses(url, actor)
    assert response.status_code in expected, (
        f"{actor.id} {url.id}: got {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )
    if actor.where == "anonymous" and not url.is_api:
        assert "/login/" in response["Location"]
    if url.reveals is not None and response.status_code == 200:
        shown = url.reveals(world, response)
        # Partner A's record shows for partner A and provincial staff, never for partner B.
        assert shown is (actor.where != "other"), f"{actor.id} {url.id}: reveals={shown}"


# ---------------------------------------------------------------------------------------------
# 5. The matrix is complete and honest.
# ---------------------------------------------------------------------------------------------
def test_rights_grid_matches_role_capabilities() -> None:
    assert set(RIGHTS_GRID) == {r.value for r in Role}, "add the new role to RIGHTS_GRID"
    for role, rights in RIGHTS.items():
        actual = ROLE_CAPABILITIES[role] & set(COLUMNS)
        assert rights == actual, f"{role}: grid {sorted(rights)} != ROLE_CAPABILITIES {actual}"


# Apps whose every URL shows or changes client or case data.
CLIENT_CASE_NAMESPACES = {
    "clients",
    "cases",
    "applications",
    "documents",
    "eligibility",
    "plans",
    "employment",
    "caseload",
}
NOT_CLIENT_DATA = {"/api/", "/api/openapi.json", "/api/docs"}  # API root and its docs
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _normalise(route: str) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path() converters
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # re_path() groups
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def _django_routes() -> list[tuple[str, str]]:
    """(path, namespace) of every URL Django resolves, admin excepted."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif isinstance(pattern, URLPattern):
                found.append((_normalise(prefix + str(pattern.pattern)), namespace))

    walk(get_resolver().url_patterns, "", "")
    return found


def _api_operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    prefix = "/api"
    return {
        (method.upper(), path if path.startswith(prefix) else prefix + path)
        for path, operations in paths.items()
        for method in operations
    }


def test_every_url_is_in_the_matrix() -> None:
    covered_paths = {u.path for u in URLS}
    covered_operations = {(u.method, u.path) for u in URLS}
    missing: set[str] = set()
    for path, namespace in _django_routes():
        takes_an_id = bool(_PLACEHOLDER.search(path))
        if path in NOT_CLIENT_DATA:
            continue
        if (takes_an_id or namespace in CLIENT_CASE_NAMESPACES) and path not in covered_paths:
            missing.add(f"page/API URL {path} ({namespace or 'no namespace'})")
    missing |= {f"API {m} {p}" for m, p in _api_operations() - covered_operations}
    assert not missing, (
        "These URLs are not in tests/test_permission_matrix.py::URLS. Add each with the "
        "capabilities it needs (and any new id to World.ids):\n  " + "\n  ".join(sorted(missing))
    )


def test_matrix_has_no_stale_rows_and_knows_every_placeholder() -> None:
    existing = {path for path, _ in _django_routes()}
    known = set(ID_PLACEHOLDERS)
    for url in URLS:
        assert url.path in existing, f"{url.id} is in URLS but no such URL exists"
        unknown = set(_PLACEHOLDER.findall(url.path)) - known
        assert not unknown, f"{url.id}: add {unknown} to World.ids"
