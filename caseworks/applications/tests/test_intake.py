"""Connected intake: the inquiry queue, the caller registered from the inquiry, appointments
moved, cancelled, attended or missed and reminded, and the application started from the
pre-screen (issue 15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.constants import AppointmentStatus, InquiryCloseReason, InquiryStatus
from caseworks.applications.models import Application, Appointment
from caseworks.applications.selectors import (
    appointments_today_for_user,
    inquiry_list_for_user,
)
from caseworks.applications.services import (
    application_start,
    application_start_for_case,
    appointment_book,
    appointment_cancel,
    appointment_outcome_record,
    appointment_reminders_send,
    appointment_reschedule,
    inquiry_assign,
    inquiry_close,
    inquiry_name_parts,
    inquiry_person_link,
    inquiry_person_register,
    inquiry_record,
)
from caseworks.cases.constants import CaseStatus
from caseworks.cases.services import benefit_unit_create
from caseworks.clients.models import Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(partner: Any) -> Any:
    return UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner, first_name="Iris")


@pytest.fixture
def inquiry(clerk: Any) -> Any:
    return inquiry_record(
        acting_user=clerk,
        caller_name="Jean-Philippe Thériault",
        phone="555-0142",
        adults=1,
        children=2,
        monthly_income_cents=45_000,
        shelter_cost_cents=95_000,
        assets_cents=20_000,
    )


def _tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


# --- The queue --------------------------------------------------------------------------------


def test_inquiry_assign_sets_assignee_and_status_with_audit(
    clerk: Any, caseworker: Any, inquiry: Any
) -> None:
    assigned = inquiry_assign(acting_user=clerk, inquiry=inquiry, assignee=caseworker)
    assert (assigned.status, assigned.assigned_to_id) == (InquiryStatus.ASSIGNED, caseworker.pk)
    event = AuditEvent.objects.get(event_type="inquiry_assigned")
    assert event.extra_data == {"old": None, "new": caseworker.pk}
    assert assigned.history.first().history_user_id == clerk.pk
    assert [i.pk for i in inquiry_list_for_user(user=clerk, assigned_to_id=caseworker.pk)] == [
        inquiry.pk
    ]


def test_inquiry_assign_refuses_staff_of_another_partner(
    clerk: Any, other_caseworker: Any, inquiry: Any
) -> None:
    with pytest.raises(ApplicationError) as err:
        inquiry_assign(acting_user=clerk, inquiry=inquiry, assignee=other_caseworker)
    assert (err.value.field, err.value.code) == ("assignee", "assignee_not_allowed")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


def test_inquiry_close_needs_a_listed_reason_and_leaves_the_open_queue(
    clerk: Any, inquiry: Any
) -> None:
    with pytest.raises(ApplicationError) as err:
        inquiry_close(acting_user=clerk, inquiry=inquiry, reason="")
    assert (err.value.field, err.value.code) == ("reason", "reason_required")
    closed = inquiry_close(acting_user=clerk, inquiry=inquiry, reason=InquiryCloseReason.NO_CONTACT)
    assert closed.status == InquiryStatus.CLOSED
    assert closed.closed_at is not None
    assert inquiry_list_for_user(user=clerk) == []
    assert [i.pk for i in inquiry_list_for_user(user=clerk, status="closed")] == [inquiry.pk]
    with pytest.raises(ApplicationError) as again:
        inquiry_close(acting_user=clerk, inquiry=inquiry, reason=InquiryCloseReason.DUPLICATE)
    assert again.value.code == "already_closed"
    with pytest.raises(ApplicationError):
        inquiry_assign(acting_user=clerk, inquiry=closed, assignee=clerk)


def test_inquiry_list_is_scoped_to_the_partner(
    clerk: Any, inquiry: Any, other_partner: Any
) -> None:
    other_clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=other_partner)
    assert inquiry_list_for_user(user=other_clerk) == []


# --- Registering the caller -------------------------------------------------------------------


def test_inquiry_name_parts_splits_the_last_word() -> None:
    assert inquiry_name_parts("Jean-Philippe Thériault") == ("Jean-Philippe", "Thériault")
    assert inquiry_name_parts("Anne Marie  Okafor-Test") == ("Anne Marie", "Okafor-Test")
    assert inquiry_name_parts("Cher") == ("", "Cher")


def test_inquiry_person_register_links_inquiry_and_its_appointments(
    clerk: Any, caseworker: Any, inquiry: Any
) -> None:
    appointment = appointment_book(
        acting_user=clerk, caseworker=caseworker, starts_at=_tomorrow_at(10), inquiry=inquiry
    )
    assert appointment.person_id is None
    person = inquiry_person_register(
        acting_user=clerk,
        inquiry=inquiry,
        first_name="Jean-Philippe",
        last_name="Thériault",
        date_of_birth=dt.date(1985, 4, 2),
        phone="555-0142",
    )
    inquiry.refresh_from_db()
    appointment.refresh_from_db()
    assert inquiry.person_id == person.pk
    assert appointment.person_id == person.pk
    assert person.phone == "555-0142"
    event = AuditEvent.objects.get(event_type="inquiry_person_linked")
    assert event.extra_data == {"person": person.pk, "appointments": [appointment.pk]}
    assert AuditEvent.objects.filter(event_type="person_created").count() == 1


def test_inquiry_person_register_refuses_a_linked_inquiry_before_registering(
    clerk: Any, inquiry: Any, partner: Any
) -> None:
    inquiry_person_link(
        acting_user=clerk, inquiry=inquiry, person=PersonFactory(delivery_partner=partner)
    )
    before = Person.objects.count()
    with pytest.raises(ApplicationError) as err:
        inquiry_person_register(
            acting_user=clerk,
            inquiry=inquiry,
            first_name="Jean",
            last_name="Roy",
            date_of_birth=dt.date(1985, 4, 2),
        )
    assert (err.value.field, err.value.code) == ("person", "already_linked")
    assert Person.objects.count() == before


def test_inquiry_person_link_refuses_another_partners_person(
    clerk: Any, inquiry: Any, other_partner: Any
) -> None:
    with pytest.raises(ApplicationError):
        inquiry_person_link(
            acting_user=clerk, inquiry=inquiry, person=PersonFactory(delivery_partner=other_partner)
        )
    inquiry.refresh_from_db()
    assert inquiry.person_id is None


# --- The application from the pre-screen ------------------------------------------------------


def test_application_start_from_inquiry_links_it_and_closes_it(
    clerk: Any, caseworker: Any, inquiry: Any, partner: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    inquiry_person_link(acting_user=clerk, inquiry=inquiry, person=person)
    application = application_start(acting_user=caseworker, applicant=person, inquiry=inquiry)
    assert application.inquiry_id == inquiry.pk
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason) == (
        InquiryStatus.CLOSED,
        InquiryCloseReason.APPLICATION_STARTED,
    )


def test_application_start_refuses_an_inquiry_about_someone_else(
    caseworker: Any, inquiry: Any, partner: Any
) -> None:
    with pytest.raises(ApplicationError) as err:
        application_start(
            acting_user=caseworker,
            applicant=PersonFactory(delivery_partner=partner),
            inquiry=inquiry,
        )
    assert (err.value.field, err.value.code) == ("inquiry", "inquiry_other_person")
    assert not Application.objects.exists()


def test_application_start_for_case_opens_the_missing_application(
    caseworker: Any, partner: Any
) -> None:
    case = benefit_unit_create(
        acting_user=caseworker,
        applicant=PersonFactory(delivery_partner=partner),
        opened_on=timezone.localdate() - dt.timedelta(days=3),
    )
    application = application_start_for_case(acting_user=caseworker, benefit_unit=case)
    assert application.applied_on == case.opened_on
    assert application.member_circumstances.count() == 1
    assert application.verifications.count() == 6
    assert AuditEvent.objects.filter(event_type="application_started").count() == 1
    with pytest.raises(ApplicationError) as err:
        application_start_for_case(acting_user=caseworker, benefit_unit=case)
    assert (err.value.field, err.value.code) == ("application", "exists")


def test_application_start_for_case_refuses_a_case_not_pending(
    caseworker: Any, partner: Any
) -> None:
    case = benefit_unit_create(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    case.status = CaseStatus.WITHDRAWN
    case.save(update_fields=["status"])
    with pytest.raises(ApplicationError) as err:
        application_start_for_case(acting_user=caseworker, benefit_unit=case)
    assert (err.value.field, err.value.code) == ("status", "case_not_pending")
    assert not Application.objects.exists()


# --- Appointments ------------------------------------------------------------------------------


def test_appointment_reschedule_moves_it_and_refuses_a_clash(clerk: Any, caseworker: Any) -> None:
    first = appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=_tomorrow_at(9))
    appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=_tomorrow_at(11))
    with pytest.raises(ApplicationError) as err:
        appointment_reschedule(
            acting_user=clerk, appointment=first, starts_at=_tomorrow_at(11), duration_minutes=60
        )
    assert (err.value.field, err.value.code) == ("starts_at", "double_booking")
    # Moving within its own slot is no clash with itself.
    moved = appointment_reschedule(
        acting_user=clerk, appointment=first, starts_at=_tomorrow_at(14), duration_minutes=30
    )
    assert (moved.starts_at, moved.ends_at - moved.starts_at) == (
        _tomorrow_at(14),
        dt.timedelta(minutes=30),
    )
    event = AuditEvent.objects.get(event_type="appointment_rescheduled")
    assert dt.datetime.fromisoformat(event.extra_data["old"]["starts_at"]) == _tomorrow_at(9)


def test_appointment_cancel_keeps_the_reason_and_refuses_twice(clerk: Any, caseworker: Any) -> None:
    booked = appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=_tomorrow_at(9))
    with pytest.raises(ApplicationError) as err:
        appointment_cancel(acting_user=clerk, appointment=booked, reason=" ")
    assert err.value.field == "reason"
    cancelled = appointment_cancel(acting_user=clerk, appointment=booked, reason="Client is ill")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Client is ill")
    with pytest.raises(ApplicationError):
        appointment_reschedule(
            acting_user=clerk, appointment=booked, starts_at=_tomorrow_at(13), duration_minutes=60
        )


def test_appointment_outcome_record_only_once_the_time_has_come(
    clerk: Any, caseworker: Any
) -> None:
    booked = appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=_tomorrow_at(9))
    with pytest.raises(ApplicationError) as err:
        appointment_outcome_record(
            acting_user=caseworker, appointment=booked, outcome=AppointmentStatus.NO_SHOW
        )
    assert (err.value.field, err.value.code) == ("outcome", "not_started")
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    with pytest.raises(ApplicationError) as bad:
        appointment_outcome_record(acting_user=caseworker, appointment=booked, outcome="booked")
    assert bad.value.code == "invalid_outcome"
    done = appointment_outcome_record(
        acting_user=caseworker, appointment=booked, outcome=AppointmentStatus.NO_SHOW
    )
    assert done.status == AppointmentStatus.NO_SHOW
    assert AuditEvent.objects.get(event_type="appointment_outcome_recorded").extra_data == {
        "old": "booked",
        "new": "no_show",
    }


def test_appointment_reminders_send_once_in_the_clients_language(
    clerk: Any, caseworker: Any, partner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    french = PersonFactory(delivery_partner=partner, email="marie@example.org")
    french.language_preference = "fr"
    french.save(update_fields=["language_preference"])
    soon = timezone.now().replace(microsecond=0) + dt.timedelta(hours=3)
    appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=soon, person=french)
    # Too far ahead, and no e-mail address: no reminder.
    appointment_book(
        acting_user=clerk,
        caseworker=caseworker,
        starts_at=soon + dt.timedelta(days=3),
        person=PersonFactory(delivery_partner=partner, email="far@example.org"),
    )
    appointment_book(
        acting_user=clerk,
        caseworker=caseworker,
        starts_at=soon + dt.timedelta(hours=2),
        person=PersonFactory(delivery_partner=partner, email=""),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["marie@example.org"]
    assert "rendez-vous" in mail.outbox[0].subject.lower()
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(event_type="appointment_reminder_sent").count() == 1


def test_appointments_today_for_user_shows_a_caseworker_their_own(
    clerk: Any, caseworker: Any, partner: Any
) -> None:
    colleague = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    with freeze_time("2026-12-07 14:00:00"):  # 09:00 in Toronto
        later = timezone.now() + dt.timedelta(hours=2)
        mine = appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=later)
        appointment_book(acting_user=clerk, caseworker=colleague, starts_at=later)
        appointment_book(
            acting_user=clerk, caseworker=caseworker, starts_at=later + dt.timedelta(days=1)
        )
        assert [a.pk for a in appointments_today_for_user(user=caseworker) or []] == [mine.pk]
        assert len(appointments_today_for_user(user=clerk) or []) == 2
    auditor = UserFactory(role=Role.AUDITOR, delivery_partner=None)
    assert appointments_today_for_user(user=auditor) is None


def test_appointment_reminders_task_calls_the_service(
    clerk: Any, caseworker: Any, partner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from caseworks.applications.tasks import appointment_reminders_send_task  # noqa: PLC0415

    appointment_book(
        acting_user=clerk,
        caseworker=caseworker,
        starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(hours=5),
        person=PersonFactory(delivery_partner=partner, email="sam@example.org"),
    )
    assert appointment_reminders_send_task.name == "applications.appointment_reminders_send"
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send_task(timestamp=0) == 1
    assert mail.outbox[0].subject == "Reminder: your Ontario Works appointment"
