"""Issue 13, transfers: the sending partner keeps reading or changing a case it transferred.

After partner A transfers a case to partner B, A's caseworker gets 404 on the case's document,
application, task, inquiry and appointment, B's caseworker gets all of them, and the audit event
lists what moved. The repair migrations move rows that earlier transfers left behind. A guard
fails when a model with its own copied `delivery_partner` is added next to a case or a person
without deciding whether a transfer moves it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import Client
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.constants import AppointmentStatus
from caseworks.applications.models import Application, Appointment, Inquiry
from caseworks.applications.services import (
    application_start,
    appointment_book,
    inquiry_record,
)
from caseworks.cases.constants import TaskStatus, TransferKind
from caseworks.cases.models import BenefitUnit, Task
from caseworks.cases.services import case_reassign, case_transfer, task_create
from caseworks.cases.signals import case_transferred
from caseworks.clients.models import Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.documents.services import document_upload
from caseworks.records.models import LegalHold
from caseworks.records.services import legal_hold_place

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Every model with its own `delivery_partner` column, and what a transfer does with its rows.
# A new model tied to a case or a person must be added to one of the two lists.
MOVES_WITH_THE_CASE = {
    "cases.benefitunit",
    "cases.task",
    "clients.person",
    "applications.application",
    "applications.inquiry",
    "applications.appointment",
    "documents.document",
    "records.legalhold",
}
STAYS_WITH_THE_PARTNER = {
    # The sending partner's own history and configuration.
    "core.auditevent",
    "records.purgedfile",  # only closed cases are purged, and closed cases are not transferred
    "payments.paymentrun",
    "payments.paymentapprover",  # who may approve the partner's payment runs
    "payments.returnsfile",  # the partner's bank returns files (its payments stay too)
    "payments.paymentfile",  # the partner's bank files built (runs' and reissues')
    "payments.onetimepolicy",  # the partner's one-time payment limits and approval threshold
    "payments.onetimebatch",  # the partner's between-run batches (like its runs)
    "surveys.surveyresponse",
    "accounts.user",
    "accounts.staffinvitation",  # the partner's invitations of staff (being added concurrently)
    "partners.office",
    "employment.serviceprovider",
    "employment.employmentprogram",
}


def _partner_models() -> set[str]:
    found = set()
    for model in django_apps.get_models():
        if model._meta.label_lower.split(".")[1].startswith("historical"):
            continue
        try:
            field = model._meta.get_field("delivery_partner")
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.ForeignKey):
            found.add(model._meta.label_lower)
    return found


def test_every_model_with_its_own_partner_column_is_decided() -> None:
    found = _partner_models()
    assert found - MOVES_WITH_THE_CASE - STAYS_WITH_THE_PARTNER == set(), (
        "A model carries its own delivery_partner: add it to MOVES_WITH_THE_CASE (and move it "
        "in a case_transferred receiver) or to STAYS_WITH_THE_PARTNER."
    )
    assert found >= MOVES_WITH_THE_CASE


class World:
    """Partner A's case with one of every case-bound record, transferred to partner B."""

    def __init__(self, partner: Any, other_partner: Any) -> None:
        self.a, self.b = partner, other_partner
        self.a_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
        self.a_supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
        self.b_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
        self.b_supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
        self.person = PersonFactory(delivery_partner=partner)
        self.application = application_start(acting_user=self.a_worker, applicant=self.person)
        self.case = self.application.benefit_unit
        self.document = document_upload(
            acting_user=self.a_worker,
            benefit_unit=self.case,
            title="Lease",
            filename="lease.pdf",
            content=PDF,
            person=self.person,
        )
        self.inquiry = inquiry_record(
            acting_user=self.a_worker, caller_name="Caller", person=self.person
        )
        start = timezone.localtime() + dt.timedelta(days=3)
        self.upcoming = appointment_book(
            acting_user=self.a_worker,
            caseworker=self.a_worker,
            starts_at=start.replace(hour=10, minute=0, second=0, microsecond=0),
            person=self.person,
            inquiry=self.inquiry,
        )
        self.task = task_create(
            acting_user=self.a_worker,
            benefit_unit=self.case,
            title="Request proof of rent",
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )
        self.hold = legal_hold_place(
            acting_user=self.a_supervisor, benefit_unit=self.case, reason="Appeal pending"
        )

    def transfer(self) -> None:
        case_transfer(
            acting_user=self.a_supervisor,
            benefit_unit=BenefitUnit.objects.get(pk=self.case.pk),
            to_partner=self.b,
            kind=TransferKind.CLIENT_MOVED,
            reason="Moved to B",
        )

    def urls(self) -> dict[str, str]:
        return {
            "document": f"/documents/{self.document.pk}/download/",
            "application": f"/applications/{self.application.pk}/",
            "verification": f"/applications/{self.application.pk}/verification/",
            "inquiry": f"/applications/inquiries/{self.inquiry.pk}/",
            "case": f"/cases/{self.case.pk}/",
            "api_application": f"/api/applications/{self.application.pk}",
        }


@pytest.fixture
def world(partner: Any, other_partner: Any) -> World:
    return World(partner, other_partner)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_after_a_transfer_the_sender_gets_404_and_the_receiver_gets_everything(
    world: World,
) -> None:
    sender, receiver = _client(world.a_worker), _client(world.b_worker)
    day = timezone.localtime(world.upcoming.starts_at).date()
    calendar_url = f"/applications/calendar/?day={day:%Y-%m-%d}"
    assert world.person.last_name in sender.get(calendar_url).content.decode()
    world.transfer()
    for name, url in world.urls().items():
        assert sender.get(url).status_code == 404, name
        assert receiver.get(url).status_code == 200, name
    # The sender can neither edit the application, run a determination on it nor close the task.
    assert sender.post(world.urls()["application"], {}).status_code == 404
    determinations = f"/api/applications/{world.application.pk}/determinations"
    assert sender.post(determinations, content_type="application/json").status_code == 404
    assert sender.post(f"/cases/tasks/{world.task.pk}/done/").status_code == 404
    world.task.refresh_from_db()
    assert world.task.status == TaskStatus.OPEN
    # The appointment left the sender's calendar; the receiver sees it (cancelled) on the inquiry.
    calendar = sender.get(calendar_url)
    assert calendar.status_code == 200
    assert world.person.last_name not in calendar.content.decode()
    inquiry_page = receiver.get(world.urls()["inquiry"]).content.decode()
    assert str(AppointmentStatus.CANCELLED.label) in inquiry_page
    # The receiver closes the task.
    assert receiver.post(f"/cases/tasks/{world.task.pk}/done/").status_code == 302
    world.task.refresh_from_db()
    assert world.task.status == TaskStatus.DONE


@pytest.mark.django_db
def test_a_transfer_moves_every_row_with_history_and_lists_them_in_the_audit_event(
    world: World,
) -> None:
    world.transfer()
    b = world.b.pk
    assert Application.objects.get(pk=world.application.pk).delivery_partner_id == b
    assert Document.objects.get(pk=world.document.pk).delivery_partner_id == b
    assert Inquiry.objects.get(pk=world.inquiry.pk).delivery_partner_id == b
    assert LegalHold.objects.get(pk=world.hold.pk).delivery_partner_id == b
    task = Task.objects.get(pk=world.task.pk)
    assert (task.delivery_partner_id, task.assigned_to_id) == (b, None)
    assert task.history.first().history_user == world.a_supervisor
    appointment = Appointment.objects.get(pk=world.upcoming.pk)
    assert (appointment.delivery_partner_id, appointment.status) == (b, AppointmentStatus.CANCELLED)
    assert appointment.history.first().history_user == world.a_supervisor
    assert AuditEvent.objects.filter(
        event_type="appointment_cancelled", subject_id=str(appointment.pk)
    ).exists()
    event = AuditEvent.objects.get(event_type="case_transferred", benefit_unit_id=world.case.pk)
    assert event.extra_data["moved"] == {
        "tasks": 1,
        "tasks_open_unassigned": 1,
        "applications": 1,
        "inquiries": 1,
        "appointments": 1,
        "appointments_cancelled": 1,
        "documents": 1,
        "legal_holds": 1,
    }


@pytest.mark.django_db
def test_the_receiving_supervisor_gives_the_unassigned_tasks_to_the_new_caseworker(
    world: World,
) -> None:
    world.transfer()
    case_reassign(
        acting_user=world.b_supervisor,
        benefit_unit=BenefitUnit.objects.get(pk=world.case.pk),
        caseworker=world.b_worker,
    )
    assert Task.objects.get(pk=world.task.pk).assigned_to == world.b_worker
    home = _client(world.b_worker).get("/").content.decode()
    assert "Request proof of rent" in home


@pytest.mark.django_db
def test_a_failing_receiver_rolls_the_whole_transfer_back(world: World) -> None:
    def broken(**kwargs: Any) -> dict[str, int]:
        raise RuntimeError("receiver failed")

    case_transferred.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError):
            world.transfer()
    finally:
        case_transferred.disconnect(dispatch_uid="test.broken")
    assert BenefitUnit.objects.get(pk=world.case.pk).delivery_partner_id == world.a.pk
    assert Task.objects.get(pk=world.task.pk).delivery_partner_id == world.a.pk
    assert Document.objects.get(pk=world.document.pk).delivery_partner_id == world.a.pk


def _migration(app_label: str, name: str) -> Any:
    return importlib.import_module(f"caseworks.{app_label}.migrations.{name}")


@pytest.mark.django_db
def test_the_repair_migrations_move_rows_left_behind_by_earlier_transfers(world: World) -> None:
    world.transfer()
    a = world.a.pk
    # What a transfer made before this fix left behind.
    Task.objects.filter(pk=world.task.pk).update(delivery_partner_id=a, assigned_to=world.a_worker)
    Application.objects.filter(pk=world.application.pk).update(delivery_partner_id=a)
    Document.objects.filter(pk=world.document.pk).update(delivery_partner_id=a)
    Inquiry.objects.filter(pk=world.inquiry.pk).update(delivery_partner_id=a)
    Appointment.objects.filter(pk=world.upcoming.pk).update(
        delivery_partner_id=a, status=AppointmentStatus.BOOKED
    )
    # A row of another person at partner A, and a case never transferred: untouched.
    bystander = inquiry_record(
        acting_user=world.a_worker,
        caller_name="Other",
        person=PersonFactory(delivery_partner=world.a),
    )

    _migration("cases", "0002_transfer_leftover_tasks").move_leftover_tasks(django_apps, None)
    _migration("applications", "0003_transfer_leftovers").move_leftover_application_rows(
        django_apps, None
    )
    _migration("documents", "0003_transfer_leftovers").move_leftover_documents(django_apps, None)

    b = world.b.pk
    task = Task.objects.get(pk=world.task.pk)
    assert (task.delivery_partner_id, task.assigned_to_id) == (b, None)
    assert Application.objects.get(pk=world.application.pk).delivery_partner_id == b
    assert Document.objects.get(pk=world.document.pk).delivery_partner_id == b
    assert Inquiry.objects.get(pk=world.inquiry.pk).delivery_partner_id == b
    appointment = Appointment.objects.get(pk=world.upcoming.pk)
    assert (appointment.delivery_partner_id, appointment.status) == (b, AppointmentStatus.CANCELLED)
    assert Inquiry.objects.get(pk=bystander.pk).delivery_partner_id == a
    events = AuditEvent.objects.filter(
        event_type="transfer_leftovers_moved", benefit_unit_id=world.case.pk
    )
    moved: dict[str, int] = {}
    for event in events:
        moved.update(event.extra_data["moved"])
    assert moved == {
        "tasks": 1,
        "tasks_open_unassigned": 1,
        "applications": 1,
        "inquiries": 1,
        "appointments": 1,
        "appointments_cancelled": 1,
        "documents": 1,
    }
    # Run again: nothing left to move, no new event.
    _migration("cases", "0002_transfer_leftover_tasks").move_leftover_tasks(django_apps, None)
    assert events.count() == 3
    assert Person.objects.get(pk=world.person.pk).delivery_partner_id == b
