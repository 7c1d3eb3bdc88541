from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.cases.constants import CaseStatus, MemberRole, TaskStatus
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseNote, CaseStatusChange, Task
from caseworks.cases.services import (
    benefit_unit_member_add,
    case_note_create,
    case_status_change,
    task_create,
)
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

VIEW_ROLES = [
    Role.INTAKE_CLERK,
    Role.CASEWORKER,
    Role.EMPLOYMENT_CASEWORKER,
    Role.SUPERVISOR,
    Role.AUDITOR,
]


@pytest.fixture
def case(partner: Any, caseworker: Any) -> BenefitUnit:
    return make_case(partner=partner, caseworker=caseworker, first_name="Nadia", last_name="Roy")


def _status_post(case: BenefitUnit, **overrides: Any) -> dict[str, Any]:
    data = {
        "status-to_status": CaseStatus.WITHDRAWN,
        "status-reason": "The client withdrew the application",
        "status-effective_on": timezone.localdate().isoformat(),
        "status-expected_version": case.version,
    }
    data.update({f"status-{k}": v for k, v in overrides.items()})
    return data


@pytest.mark.parametrize("role", VIEW_ROLES)
def test_detail_renders_and_records_applicant_access_when_role_may_view(
    client: Client, case: BenefitUnit, users: dict[str, Any], role: str
) -> None:
    client.force_login(users[role])
    response = client.get(reverse("cases:detail", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.case_number in html
    assert "Nadia Roy" in html
    access = ClientFileAccess.objects.get(user=users[role])
    assert access.benefit_unit_id == case.pk
    assert access.person.last_name == "Roy"


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.MINISTRY_ANALYST])
def test_detail_refuses_with_403_when_role_may_not_view(
    client: Client, case: BenefitUnit, users: dict[str, Any], role: str
) -> None:
    client.force_login(users[role])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 403
    assert not ClientFileAccess.objects.exists()


def test_detail_refuses_with_404_when_other_partners_case(
    client: Client, case: BenefitUnit, other_caseworker: Any
) -> None:
    client.force_login(other_caseworker)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert (
        client.post(reverse("cases:status_change", args=[case.pk]), _status_post(case)).status_code
        == 404
    )


def test_detail_hides_change_forms_when_auditor(
    client: Client, case: BenefitUnit, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.AUDITOR])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:status_change", args=[case.pk]) not in html
    assert reverse("cases:note_add", args=[case.pk]) not in html
    response = client.post(reverse("cases:status_change", args=[case.pk]), _status_post(case))
    assert response.status_code == 403


def test_status_form_offers_only_allowed_next_statuses_when_pending(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    client.force_login(caseworker)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    select = html.split('id="id_status-to_status"')[1].split("</select>")[0]
    # Granting and denying belong to the eligibility decision, not to this form.
    assert 'value="withdrawn"' in select
    assert 'value="active"' not in select
    assert 'value="denied"' not in select
    assert 'value="closed"' not in select
    assert 'value="suspended"' not in select
    assert f'name="status-expected_version" value="{case.version}"' in html
    elsewhere = html.split('id="status-elsewhere"')[1].split("</ul>")[0]
    assert "To make the case “Active”: the eligibility decision (grant)" in elsewhere


def test_status_change_moves_case_and_records_history_when_allowed(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:status_change", args=[case.pk]), _status_post(case), follow=True
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    html = response.content.decode()
    assert "The case is now “Withdrawn”." in html
    assert "Application in progress → Withdrawn" in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "New status: a case becomes “Active” only through the eligibility decision"),
        ("fr", "Nouveau statut : un dossier devient « Actif » seulement par la décision"),
    ],
)
def test_status_change_refuses_active_by_hand_naming_the_decision(
    client: Client, case: BenefitUnit, caseworker: Any, language: str, message: str
) -> None:
    """Issue 15: a caseworker set a case to Active with no application, decision or reason."""
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:status_change", args=[case.pk]),
        _status_post(case, to_status=CaseStatus.ACTIVE, reason="Looks fine"),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="id_status-to_status_error"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert not CaseStatusChange.objects.filter(to_status=CaseStatus.ACTIVE).exists()


def test_status_change_refuses_invalid_transition_with_message_and_no_change(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    version = case.version
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:status_change", args=[case.pk]),
        _status_post(case, to_status=CaseStatus.SUSPENDED, reason="No contact"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot become “Suspended”" in html
    assert 'id="id_status-to_status_error"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert case.version == version


def test_status_change_puts_error_beside_reason_when_reason_missing(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    client.force_login(caseworker)
    html = client.post(
        reverse("cases:status_change", args=[case.pk]),
        _status_post(case, reason=""),
    ).content.decode()
    assert "Give the reason for changing the case&#x27;s status." in html
    assert 'id="id_status-reason_error"' in html
    assert 'aria-describedby="id_status-reason_helptext id_status-reason_error"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING


def test_status_change_shows_conflict_message_when_version_is_stale(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    stale = _status_post(case)
    case_status_change(
        acting_user=caseworker,
        benefit_unit=case,
        to_status=CaseStatus.WITHDRAWN,
        reason="Moved away",
    )
    client.force_login(caseworker)
    response = client.post(reverse("cases:status_change", args=[case.pk]), stale)
    html = response.content.decode()
    assert "Someone else changed this case while you were working on it" in html
    assert "There is a problem" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


def test_note_add_saves_note_when_body_given_and_refuses_when_empty(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    client.force_login(caseworker)
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"note-body": "   "})
    assert 'id="id_note-body_error"' in response.content.decode()
    assert not CaseNote.objects.exists()
    response = client.post(
        reverse("cases:note_add", args=[case.pk]), {"note-body": "Called; left message."}
    )
    assert response.status_code == 302
    assert CaseNote.objects.get().body == "Called; left message."


def test_task_add_and_complete_when_caseworker(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    client.force_login(caseworker)
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("cases:task_add", args=[case.pk]),
        {"task-title": "Ask for lease", "task-due_on": due},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.assigned_to == caseworker
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ask for lease" in html
    response = client.post(reverse("cases:task_complete", args=[task.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#tasks"
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_task_complete_refuses_with_404_when_other_partners_task(
    client: Client, case: BenefitUnit, caseworker: Any, other_caseworker: Any
) -> None:
    task = task_create(
        acting_user=caseworker, title="Check ID", due_on=case.opened_on, benefit_unit=case
    )
    client.force_login(other_caseworker)
    assert client.post(reverse("cases:task_complete", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_member_add_finds_person_in_partner_and_adds_when_valid(
    client: Client, partner: Any, other_partner: Any, case: BenefitUnit, caseworker: Any
) -> None:
    child = PersonFactory(
        delivery_partner=partner,
        first_name="Zoé",
        last_name="Roy",
        date_of_birth=dt.date(2018, 1, 2),
    )
    PersonFactory(delivery_partner=other_partner, first_name="Zack", last_name="Roy")
    client.force_login(caseworker)
    html = client.get(reverse("cases:detail", args=[case.pk]), {"member_q": "roy"}).content.decode()
    assert f'value="{child.pk}"' in html
    assert "Zack" not in html
    response = client.post(
        reverse("cases:member_add", args=[case.pk]),
        {
            "member-person": child.pk,
            "member-role": MemberRole.DEPENDANT_CHILD,
            "member-start_on": case.opened_on.isoformat(),
            "member-expected_version": case.version,
        },
    )
    assert response.status_code == 302
    assert BenefitUnitMember.objects.filter(person=child, end_on__isnull=True).exists()


def test_member_add_shows_rule_beside_role_when_child_is_adult(
    client: Client, partner: Any, case: BenefitUnit, caseworker: Any
) -> None:
    adult = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(1980, 1, 1))
    client.force_login(caseworker)
    html = client.get(
        reverse("cases:detail", args=[case.pk]), {"add_person": adult.pk}
    ).content.decode()
    assert f'value="{adult.pk}"' in html
    response = client.post(
        reverse("cases:member_add", args=[case.pk]),
        {
            "member-person": adult.pk,
            "member-role": MemberRole.DEPENDANT_CHILD,
            "member-start_on": case.opened_on.isoformat(),
            "member-expected_version": case.version,
        },
    )
    html = response.content.decode()
    assert 'id="id_member-role_error"' in html
    assert "must be under 18" in html
    assert not BenefitUnitMember.objects.filter(person=adult).exists()


def test_member_end_records_departure_when_reason_given(
    client: Client, partner: Any, case: BenefitUnit, caseworker: Any
) -> None:
    spouse = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(1985, 1, 1))
    member = benefit_unit_member_add(
        acting_user=caseworker,
        benefit_unit=case,
        person=spouse,
        role=MemberRole.SPOUSE,
        start_on=case.opened_on,
    )
    case.refresh_from_db()
    client.force_login(caseworker)
    url = reverse("cases:member_end", args=[case.pk, member.pk])
    prefix = f"end-{member.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-end_on": case.opened_on.isoformat(),
            f"{prefix}-reason": "",
            f"{prefix}-expected_version": case.version,
        },
    )
    assert f'id="id_{prefix}-reason_error"' in response.content.decode()
    response = client.post(
        url,
        {
            f"{prefix}-end_on": case.opened_on.isoformat(),
            f"{prefix}-reason": "Separated",
            f"{prefix}-expected_version": case.version,
        },
        follow=True,
    )
    member.refresh_from_db()
    assert member.end_on == case.opened_on
    assert "Past members" in response.content.decode()


def test_detail_runs_a_fixed_number_of_queries_when_case_is_busy(
    client: Client,
    partner: Any,
    case: BenefitUnit,
    caseworker: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for index in range(3):
        person = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2015, 1, 1 + index))
        benefit_unit_member_add(
            acting_user=caseworker,
            benefit_unit=case,
            person=person,
            role=MemberRole.DEPENDANT_CHILD,
            start_on=case.opened_on,
        )
    for index in range(20):
        case_note_create(acting_user=caseworker, benefit_unit=case, body=f"Note {index}")
        task_create(
            acting_user=caseworker, title=f"Task {index}", due_on=case.opened_on, benefit_unit=case
        )
    case.refresh_from_db()
    client.force_login(caseworker)
    client.get(reverse("home"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    html = response.content.decode()
    assert "Note 19" in html
    assert "Task 19" in html


def test_open_case_refuses_with_403_when_role_may_not_create(
    client: Client, partner: Any, users: dict[str, Any]
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client.force_login(users[Role.AUDITOR])
    assert client.post(reverse("cases:create"), {"person_id": person.pk}).status_code == 403
    assert not BenefitUnit.objects.exists()


def test_open_case_explains_when_person_already_on_a_case(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    applicant = case.members.get().person
    client.force_login(caseworker)
    response = client.post(reverse("cases:create"), {"person_id": applicant.pk}, follow=True)
    assert "already a member of a current case" in response.content.decode()
    assert BenefitUnit.objects.count() == 1


def test_detail_renders_in_french_when_language_is_french(
    client: Client, case: BenefitUnit, caseworker: Any
) -> None:
    client.force_login(caseworker)
    client.post(reverse("set_language"), {"language": "fr"})
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"Dossier {case.case_number}" in html
    assert "Demande en cours" in html
    assert "Changer le statut" in html


@pytest.mark.parametrize(
    ("role", "can_change_status", "can_note"),
    [
        (Role.INTAKE_CLERK, False, True),
        (Role.EMPLOYMENT_CASEWORKER, False, True),
        (Role.SUPERVISOR, True, True),
        (Role.AUDITOR, False, False),
    ],
)
def test_case_forms_follow_role_capabilities_when_posted(
    client: Client,
    case: BenefitUnit,
    users: dict[str, Any],
    role: str,
    can_change_status: bool,
    can_note: bool,
) -> None:
    client.force_login(users[role])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (reverse("cases:status_change", args=[case.pk]) in html) is can_change_status
    assert (reverse("cases:note_add", args=[case.pk]) in html) is can_note
    response = client.post(reverse("cases:status_change", args=[case.pk]), _status_post(case))
    assert response.status_code == (302 if can_change_status else 403)
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"note-body": "Seen today."})
    assert response.status_code == (302 if can_note else 403)
    assert CaseNote.objects.exists() is can_note
