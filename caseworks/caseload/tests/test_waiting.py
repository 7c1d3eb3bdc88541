"""Home counters of what waits, the task queue with bulk actions, and task hand-over notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.caseload.selectors_waiting import home_counters_for_user
from caseworks.cases.models import Task
from caseworks.cases.services import (
    task_bulk_assign,
    task_bulk_complete,
    task_create,
    task_notices_dismiss,
)
from caseworks.cases.tests.factories import make_case
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def _tasks(actor: Any, n: int, *, case: Any = None, due: dt.date = TODAY, **kw: Any) -> list[Any]:
    return [
        task_create(acting_user=actor, title=f"Call back {i}", due_on=due, benefit_unit=case, **kw)
        for i in range(n)
    ]


def _counts(user: Any) -> dict[str, int]:
    return {c.key: c.count for c in home_counters_for_user(user=user, today=TODAY)}


@freeze_time("2026-03-10 12:00")
def test_home_counters_count_what_waits_per_role(partner: Any, users: dict[str, Any]) -> None:
    worker, supervisor = users[Role.CASEWORKER], users[Role.SUPERVISOR]
    case = make_case(partner=partner, caseworker=worker)
    _tasks(worker, 2, case=case)
    _tasks(worker, 3, case=case, due=TODAY - dt.timedelta(days=2))
    counts = _counts(worker)
    assert counts["tasks"] == 5
    assert counts["tasks_overdue"] == 3
    assert "escalations" not in counts  # a caseworker supervises no one
    assert "overrides" not in counts
    sup = _counts(supervisor)
    assert sup["escalations"] == 3  # the team's overdue tasks
    assert sup["overrides"] == 0
    assert sup["runs_to_approve"] == 0
    urls = {c.key: c.url for c in home_counters_for_user(user=supervisor, today=TODAY)}
    assert urls["escalations"] == "/caseload/tasks/?scope=team&due=overdue"
    assert urls["overrides"] == reverse("eligibility:approvals")
    assert urls["runs_to_release"] == "/payments/runs/?status=approved"


@freeze_time("2026-03-10 12:00")
def test_home_counters_ignore_another_partners_tasks(
    partner: Any, other_partner: Any, users: dict[str, Any]
) -> None:
    other_supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    _tasks(users[Role.CASEWORKER], 2, due=TODAY - dt.timedelta(days=1))
    assert _counts(other_supervisor)["escalations"] == 0
    assert _counts(users[Role.SUPERVISOR])["escalations"] == 2


@freeze_time("2026-03-10 12:00")
def test_home_counters_take_the_same_few_queries_for_1_and_40_tasks(
    partner: Any, users: dict[str, Any]
) -> None:
    supervisor = users[Role.SUPERVISOR]
    case = make_case(partner=partner, caseworker=supervisor)
    _tasks(supervisor, 1, case=case)
    with CaptureQueriesContext(connection) as small:
        home_counters_for_user(user=supervisor, today=TODAY)
    _tasks(supervisor, 39, case=case, due=TODAY - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as big:
        home_counters_for_user(user=supervisor, today=TODAY)
    # tasks, caseload flags, override decisions, payment runs: one query each
    assert len(small.captured_queries) == len(big.captured_queries) == 4


@pytest.mark.parametrize(
    ("language", "heading", "label"),
    [
        ("en", "What waits for me", "My overdue tasks"),
        ("fr", "Ce qui m’attend", "Mes tâches en retard"),
    ],
)
@freeze_time("2026-03-10 12:00")
def test_home_page_shows_counters_as_links(
    partner: Any, users: dict[str, Any], language: str, heading: str, label: str
) -> None:
    worker = users[Role.CASEWORKER]
    _tasks(worker, 2, due=TODAY - dt.timedelta(days=1))
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(worker)
    page = client.get("/").content.decode()
    assert heading in page
    assert label in page
    assert 'href="/caseload/tasks/?due=overdue"><span class="big-number">2</span>' in page


def test_task_bulk_complete_closes_every_selected_task_with_an_audit_event_each(
    partner: Any, users: dict[str, Any]
) -> None:
    worker = users[Role.CASEWORKER]
    tasks = _tasks(worker, 3, due=TODAY)
    done = task_bulk_complete(acting_user=worker, task_ids=[t.pk for t in tasks[:2]])
    assert {t.pk for t in done} == {tasks[0].pk, tasks[1].pk}
    assert set(Task.objects.filter(status="done").values_list("pk", flat=True)) == {
        tasks[0].pk,
        tasks[1].pk,
    }
    assert AuditEvent.objects.filter(event_type="task_completed").count() == 2


def test_task_bulk_complete_changes_nothing_when_one_task_is_closed(
    partner: Any, users: dict[str, Any]
) -> None:
    worker = users[Role.CASEWORKER]
    tasks = _tasks(worker, 2, due=TODAY)
    task_bulk_complete(acting_user=worker, task_ids=[tasks[0].pk])
    with pytest.raises(ApplicationError) as err:
        task_bulk_complete(acting_user=worker, task_ids=[tasks[0].pk, tasks[1].pk])
    assert err.value.field == "tasks"
    assert Task.objects.get(pk=tasks[1].pk).status == "open"


def test_task_bulk_assign_hands_tasks_over_with_notice_and_email(
    partner: Any, users: dict[str, Any]
) -> None:
    worker, supervisor = users[Role.CASEWORKER], users[Role.SUPERVISOR]
    supervisor.email = "sup@example.org"
    supervisor.save(update_fields=["email"])
    case = make_case(partner=partner, caseworker=worker)
    tasks = _tasks(worker, 2, case=case, due=TODAY)
    moved = task_bulk_assign(
        acting_user=worker, task_ids=[t.pk for t in tasks], assigned_to=supervisor
    )
    assert all(t.assigned_to_id == supervisor.pk and t.assigned_by_id == worker.pk for t in moved)
    events = AuditEvent.objects.filter(event_type="task_assigned")
    assert events.count() == 2
    assert events.first().extra_data["to_user_id"] == supervisor.pk  # type: ignore[union-attr]
    assert Task.history.filter(id=tasks[0].pk, history_user=worker).count() >= 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sup@example.org"]
    assert "2 tasks" in mail.outbox[0].body
    assert "Call back" not in mail.outbox[0].body  # titles name clients: not in e-mail
    notices = Client()
    notices.force_login(supervisor)
    page = notices.get("/").content.decode()
    assert "Tasks colleagues handed to you" in page
    assert "Call back 0" in page
    seen = task_notices_dismiss(acting_user=supervisor, task_ids=[t.pk for t in tasks])
    assert seen == 2
    assert "Tasks colleagues handed to you" not in notices.get("/").content.decode()


def test_task_bulk_assign_refuses_a_colleague_of_another_partner(
    partner: Any, other_partner: Any, users: dict[str, Any]
) -> None:
    worker = users[Role.CASEWORKER]
    stranger = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
    tasks = _tasks(worker, 1, due=TODAY)
    with pytest.raises(ApplicationError) as err:
        task_bulk_assign(acting_user=worker, task_ids=[tasks[0].pk], assigned_to=stranger)
    assert err.value.field == "assigned_to"
    assert Task.objects.get(pk=tasks[0].pk).assigned_to_id == worker.pk
    assert not AuditEvent.objects.filter(event_type="task_assigned").exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Tasks: select at least one task."),
        ("fr", "Tâches : sélectionnez au moins une tâche."),
    ],
)
def test_task_queue_bulk_action_with_nothing_selected_names_the_field(
    partner: Any, users: dict[str, Any], language: str, message: str
) -> None:
    worker = users[Role.CASEWORKER]
    _tasks(worker, 2, due=TODAY)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(worker)
    response = client.post(reverse("caseload:tasks"), {"action": "complete"})
    page = response.content.decode()
    assert response.status_code == 422
    assert f'<a href="#id_tasks_0">{message}</a>' in page  # the error summary links the field
    assert Task.objects.filter(status="open").count() == 2


def test_task_queue_assign_without_colleague_names_the_field_and_keeps_the_ticks(
    partner: Any, users: dict[str, Any]
) -> None:
    worker = users[Role.CASEWORKER]
    tasks = _tasks(worker, 2, due=TODAY)
    client = Client()
    client.force_login(worker)
    response = client.post(reverse("caseload:tasks"), {"action": "assign", "tasks": [tasks[1].pk]})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Colleague: choose who takes the selected tasks." in page
    assert f'value="{tasks[1].pk}" id="id_tasks_1" checked' in page


def test_task_queue_bulk_assign_page_moves_the_tasks(partner: Any, users: dict[str, Any]) -> None:
    worker = users[Role.CASEWORKER]
    colleague = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    tasks = _tasks(worker, 3, due=TODAY)
    client = Client()
    client.force_login(worker)
    response = client.post(
        reverse("caseload:tasks"),
        {"action": "assign", "tasks": [t.pk for t in tasks], "assigned_to": colleague.pk},
    )
    assert response.status_code == 302
    assert Task.objects.filter(assigned_to=colleague).count() == 3


def test_task_queue_team_scope_refused_to_a_caseworker(partner: Any, users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CASEWORKER])
    assert client.get(reverse("caseload:tasks") + "?scope=team").status_code == 403


def test_task_create_refuses_a_title_longer_than_its_column(
    partner: Any, users: dict[str, Any]
) -> None:
    with pytest.raises(ApplicationError) as err:
        task_create(acting_user=users[Role.CASEWORKER], title="x" * 201, due_on=TODAY)
    assert err.value.field == "title"
    assert not Task.objects.exists()


def test_task_queue_team_scope_shows_a_task_with_no_one_assigned(
    partner: Any, users: dict[str, Any]
) -> None:
    (task,) = _tasks(users[Role.CASEWORKER], 1, due=TODAY)
    Task.objects.filter(pk=task.pk).update(assigned_to=None)  # as the Ministry hand-off leaves it
    client = Client()
    client.force_login(users[Role.SUPERVISOR])
    response = client.get(reverse("caseload:tasks") + "?scope=team")
    assert response.status_code == 200
    assert "No one" in response.content.decode()
