"""The cases API: partner-scoped reads that log access, versioned writes, clear refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import CaseStatus, MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseNote, CaseStatusChange
from caseworks.cases.services import benefit_unit_member_add, case_note_create, task_create
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(user: Any, url: str, data: dict[str, Any]) -> Any:
    return _client(user).post(url, data, content_type="application/json")


def test_case_detail_returns_members_status_version_and_logs_applicant_access(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    applicant = case.members.get().person
    response = _client(caseworker).get(f"/api/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["case_number"], body["status"], body["version"]) == (
        case.case_number,
        "pending",
        case.version,
    )
    assert [(m["person_id"], m["role"], m["end_on"]) for m in body["members"]] == [
        (applicant.pk, "applicant", None)
    ]
    access = ClientFileAccess.objects.get()
    assert (access.person, access.benefit_unit_id, access.channel) == (applicant, case.pk, "api")


def test_case_detail_returns_404_when_case_belongs_to_other_partner(
    partner: Any, other_caseworker: Any
) -> None:
    case = make_case(partner=partner)
    response = _client(other_caseworker).get(f"/api/cases/{case.pk}")
    assert response.status_code == 404
    assert not ClientFileAccess.objects.exists()


def test_case_create_returns_201_with_applicant_when_person_is_free(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    response = _post(caseworker, "/api/cases", {"person_id": person.pk, "assign_to_me": True})
    assert response.status_code == 201, response.content
    case = BenefitUnit.objects.get(pk=response.json()["id"])
    assert case.caseworker == caseworker
    assert case.members.get().person == person


def test_case_create_returns_422_naming_person_when_already_on_a_case(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner)
    person = case.members.get().person
    response = _post(caseworker, "/api/cases", {"person_id": person.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "person"
    assert BenefitUnit.objects.count() == 1


def test_case_create_returns_404_when_person_belongs_to_other_partner(
    other_partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=other_partner)
    response = _post(caseworker, "/api/cases", {"person_id": person.pk})
    assert response.status_code == 404
    assert not BenefitUnit.objects.exists()


def test_case_member_add_returns_201_and_bumps_version_when_child_joins(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2020, 1, 1))
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/members",
        {
            "person_id": child.pk,
            "role": MemberRole.DEPENDANT_CHILD,
            "start_on": case.opened_on.isoformat(),
            "expected_version": case.version,
        },
    )
    assert response.status_code == 201, response.content
    case.refresh_from_db()
    assert case.version == 2
    assert case.members.filter(person=child, end_on__isnull=True).exists()


def test_case_member_end_returns_200_when_member_leaves(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2020, 1, 1))
    member = benefit_unit_member_add(
        acting_user=caseworker,
        benefit_unit=case,
        person=child,
        role=MemberRole.DEPENDANT_CHILD,
        start_on=case.opened_on,
    )
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/members/{member.pk}/end",
        {"end_on": timezone.localdate().isoformat(), "reason": "Moved to live with other parent"},
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.end_on == timezone.localdate()


def test_case_member_end_returns_404_when_member_is_on_another_case(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    other_case = make_case(partner=partner, caseworker=caseworker)
    other_member = other_case.members.get()
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/members/{other_member.pk}/end",
        {"end_on": timezone.localdate().isoformat(), "reason": "x"},
    )
    assert response.status_code == 404


def test_case_status_change_returns_200_when_transition_allowed(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/status",
        {"to_status": "withdrawn", "reason": "Withdrew", "expected_version": case.version},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["version"] == case.version + 1


def test_case_status_change_returns_422_when_active_belongs_to_the_decision(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/status",
        {"to_status": "active", "reason": "x", "expected_version": case.version},
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["field"], error["code"]) == ("to_status", "transition_needs_service")
    assert "eligibility decision (grant)" in error["message"]
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING


def test_case_status_change_returns_409_and_changes_nothing_when_version_is_stale(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    case_note_create(acting_user=caseworker, benefit_unit=case, body="first")
    events_before = AuditEvent.objects.count()
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/status",
        {"to_status": "active", "expected_version": case.version - 1},
    )
    assert response.status_code == 409
    error = response.json()["detail"][0]
    assert (error["field"], error["code"]) == ("version", "conflict")
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert AuditEvent.objects.count() == events_before


def test_case_status_change_returns_422_naming_rule_when_transition_not_allowed(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    history_before = case.history.count()
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/status",
        {"to_status": "suspended", "reason": "x", "expected_version": case.version},
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["field"], error["code"]) == ("status", "invalid_transition")
    assert "cannot become" in error["message"]
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert case.history.count() == history_before
    assert CaseStatusChange.objects.filter(benefit_unit=case).count() == 1


def test_case_status_change_returns_403_when_role_is_employment_caseworker(
    partner: Any, users: dict[str, Any]
) -> None:
    case = make_case(partner=partner)
    response = _post(
        users["employment_caseworker"],
        f"/api/cases/{case.pk}/status",
        {"to_status": "active", "expected_version": case.version},
    )
    assert response.status_code == 403


def test_case_notes_create_and_list_newest_first_and_log_access(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    first = _post(caseworker, f"/api/cases/{case.pk}/notes", {"body": "Called client."})
    second = _post(caseworker, f"/api/cases/{case.pk}/notes", {"body": "Docs received."})
    assert (first.status_code, second.status_code) == (201, 201)
    response = _client(caseworker).get(f"/api/cases/{case.pk}/notes")
    assert [n["body"] for n in response.json()] == ["Docs received.", "Called client."]
    assert ClientFileAccess.objects.filter(view_name="api:case_notes").count() == 1


def test_case_note_create_returns_422_naming_body_when_blank(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    response = _post(caseworker, f"/api/cases/{case.pk}/notes", {"body": "   "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body"
    assert not CaseNote.objects.exists()


def test_tasks_lists_only_my_open_tasks(partner: Any, caseworker: Any) -> None:
    colleague = UserFactory(role="caseworker", delivery_partner=partner)
    mine = task_create(acting_user=caseworker, title="Call back", due_on=timezone.localdate())
    task_create(
        acting_user=caseworker,
        title="Theirs",
        due_on=timezone.localdate(),
        assigned_to=colleague,
    )
    response = _client(caseworker).get("/api/tasks")
    assert [t["id"] for t in response.json()] == [mine.pk]


def test_task_complete_returns_200_when_done_and_404_when_other_partner(
    partner: Any, caseworker: Any, other_caseworker: Any
) -> None:
    task = task_create(acting_user=caseworker, title="Call back", due_on=timezone.localdate())
    refused = _post(other_caseworker, f"/api/tasks/{task.pk}/complete", {})
    assert refused.status_code == 404
    done = _post(caseworker, f"/api/tasks/{task.pk}/complete", {})
    assert done.status_code == 200
    assert done.json()["status"] == "done"


def test_case_member_add_returns_422_when_role_is_applicant(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    person = PersonFactory(delivery_partner=partner)
    response = _post(
        caseworker,
        f"/api/cases/{case.pk}/members",
        {"person_id": person.pk, "role": "applicant", "start_on": case.opened_on.isoformat()},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "role"
    assert not BenefitUnitMember.objects.filter(person=person).exists()
