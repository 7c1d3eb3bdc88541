"""Clients online: messages that do not get lost, reported changes, proofs, review requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.constants import VerificationStatus
from caseworks.applications.services import application_start
from caseworks.cases.constants import TransferKind
from caseworks.cases.services import case_transfer
from caseworks.cases.tests.factories import make_case
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.business_days import add_business_days, ontario_holidays
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.messaging.constants import ReportedChangeStatus
from caseworks.messaging.models import ClientUpload, Message, MessageThread, ReportedChange
from caseworks.messaging.selectors import (
    checklist_items_for_client,
    inbox_counts_for_user,
    threads_for_client,
    threads_for_user,
)
from caseworks.messaging.services import (
    ClientFile,
    checklist_document_upload_from_client,
    client_upload_accept,
    message_mark_read,
    message_reply,
    message_send_from_client,
    message_threads_escalate,
    reported_change_decide,
    reported_change_submit_from_client,
)
from caseworks.messaging.tasks import message_threads_escalate_task
from caseworks.partners.tests.factories import OfficeFactory
from caseworks.payments.models import CircumstancesChange
from caseworks.payments.tests.builders import active_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% synthetic proof\n"


def _applicant(unit: Any) -> Any:
    return unit.members.get(role="applicant").person


# --- Business days ----------------------------------------------------------------------------
def test_ontario_holidays_match_the_published_dates_for_2026_and_2027() -> None:
    assert sorted(ontario_holidays(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 16),
        dt.date(2026, 4, 3),
        dt.date(2026, 5, 18),
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 7),
        dt.date(2026, 10, 12),
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 28),  # Boxing Day on a Saturday: observed Monday
    ]
    # Christmas on a Saturday (Monday) and Boxing Day on a Sunday (Tuesday).
    assert {dt.date(2027, 3, 26), dt.date(2027, 12, 27), dt.date(2027, 12, 28)} <= (
        ontario_holidays(2027)
    )


def test_add_business_days_skips_weekends_and_holidays() -> None:
    assert add_business_days(dt.date(2026, 12, 18), 2) == dt.date(2026, 12, 22)  # Fri → Tue
    # Wed 23 → Thu 24 (1), Fri 25 Christmas, weekend, Mon 28 Boxing Day observed → Tue 29 (2).
    assert add_business_days(dt.date(2026, 12, 23), 2) == dt.date(2026, 12, 29)


# --- Messages ---------------------------------------------------------------------------------
def test_message_send_from_client_starts_the_two_business_day_clock_and_is_audited(
    partner: Any, caseworker: Any
) -> None:
    unit = make_case(partner=partner, caseworker=caseworker)
    person = _applicant(unit)
    with freeze_time("2026-12-18 15:00"):  # a Friday
        message = message_send_from_client(
            person=person,
            benefit_unit=unit,
            body="  My rent went up.  ",
            attachments=[ClientFile("lease.pdf", PDF)],
        )
    thread = MessageThread.objects.get(benefit_unit=unit)
    assert (message.body, message.author_person, message.author_user) == (
        "My rent went up.",
        person,
        None,
    )
    assert thread.reply_due_on == dt.date(2026, 12, 22)
    assert list(message.attachments.values_list("uploaded_by_person", flat=True)) == [person.pk]
    event = AuditEvent.objects.get(event_type=AuditEventType.MESSAGE_SENT)
    assert (event.acting_user, event.person_id, event.benefit_unit_id) == (None, person.pk, unit.pk)
    assert event.extra_data["client_person_id"] == person.pk
    assert message.history.count() == 1


def test_message_send_from_client_refuses_another_unit_and_empty_body_leaving_nothing(
    partner: Any, caseworker: Any
) -> None:
    unit = make_case(partner=partner, caseworker=caseworker)
    other = make_case(partner=partner, caseworker=caseworker)
    person = _applicant(unit)
    with pytest.raises(Http404):
        message_send_from_client(person=person, benefit_unit=other, body="Hello")
    with pytest.raises(ApplicationError) as excinfo:
        message_send_from_client(person=person, benefit_unit=unit, body="   ")
    assert (excinfo.value.field, excinfo.value.code) == ("body", "required")
    with pytest.raises(ApplicationError) as excinfo:
        message_send_from_client(
            person=person,
            benefit_unit=unit,
            body="Here",
            attachments=[ClientFile("x.exe", b"MZ not a proof")],
        )
    assert excinfo.value.field == "attachments[0]"
    assert not Message.objects.exists()
    assert not Document.objects.exists()
    # Someone on no case at all: not found either.
    with pytest.raises(Http404):
        threads_for_client(person=PersonFactory(delivery_partner=partner))


def test_message_reply_stops_the_clock_and_marks_the_clients_messages_read(
    partner: Any, caseworker: Any, other_caseworker: Any
) -> None:
    unit = make_case(partner=partner, caseworker=caseworker)
    person = _applicant(unit)
    first = message_send_from_client(person=person, benefit_unit=unit, body="Question")
    thread = first.thread
    colleague = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    reply = message_reply(acting_user=colleague, thread=thread, body="Answered")
    thread.refresh_from_db()
    first.refresh_from_db()
    assert (thread.awaiting_reply_since, thread.reply_due_on) == (None, None)
    assert (first.read_by_user, reply.author_user) == (colleague, colleague)
    assert [m.body for m in threads_for_client(person=person)[0].messages.all()] == [
        "Question",
        "Answered",
    ]
    with pytest.raises(Http404):
        message_reply(acting_user=other_caseworker, thread=thread, body="Not mine")
    analyst = UserFactory(role=Role.AUDITOR, delivery_partner=partner)
    with pytest.raises(PermissionDeniedError):
        message_reply(acting_user=analyst, thread=thread, body="No")
    assert Message.objects.count() == 2


def test_message_mark_read_records_who_read_once(partner: Any, caseworker: Any) -> None:
    unit = make_case(partner=partner, caseworker=caseworker)
    message = message_send_from_client(person=_applicant(unit), benefit_unit=unit, body="Hi")
    assert message_mark_read(acting_user=caseworker, thread=message.thread) == 1
    assert message_mark_read(acting_user=caseworker, thread=message.thread) == 0
    message.refresh_from_db()
    assert message.read_by_user == caseworker
    assert AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_READ).count() == 1


def test_team_inbox_shows_the_office_when_the_caseworker_is_away_and_counts_for_home(
    partner: Any,
) -> None:
    office = OfficeFactory(delivery_partner=partner)
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, office=office)
    teammate = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, office=office)
    elsewhere = UserFactory(
        role=Role.CASEWORKER,
        delivery_partner=partner,
        office=OfficeFactory(delivery_partner=partner),
    )
    unit = make_case(partner=partner, caseworker=worker)
    message_send_from_client(person=_applicant(unit), benefit_unit=unit, body="Anyone there?")
    assert [t.benefit_unit_id for t in threads_for_user(user=teammate)] == [unit.pk]
    assert list(threads_for_user(user=elsewhere)) == []
    assert inbox_counts_for_user(user=teammate).waiting == 1
    assert inbox_counts_for_user(user=elsewhere).waiting == 0


# --- Escalation -------------------------------------------------------------------------------
def test_escalation_after_two_business_days_across_a_weekend(partner: Any) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    unit = make_case(partner=partner, caseworker=worker)
    with freeze_time("2026-12-18 16:00"):  # Friday
        message_send_from_client(person=_applicant(unit), benefit_unit=unit, body="Help")
    with freeze_time("2026-12-22 23:00"):  # Tuesday: still the second business day
        assert message_threads_escalate().escalated == 0
    with freeze_time("2026-12-23 07:30"):  # Wednesday
        assert message_threads_escalate().escalated == 1
        assert message_threads_escalate().escalated == 0  # idempotent
    thread = MessageThread.objects.get(benefit_unit=unit)
    assert thread.escalated_to == supervisor
    assert thread.is_escalated
    assert inbox_counts_for_user(user=supervisor).escalated_to_me == 1
    event = AuditEvent.objects.get(event_type=AuditEventType.MESSAGE_THREAD_ESCALATED)
    assert event.extra_data["escalated_to"] == supervisor.pk


def test_escalation_waits_over_christmas_and_boxing_day(partner: Any) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    unit = make_case(partner=partner, caseworker=worker)
    with freeze_time("2026-12-23 10:00"):  # Wednesday before Christmas
        message_send_from_client(person=_applicant(unit), benefit_unit=unit, body="Help")
    for day in ("2026-12-24", "2026-12-28", "2026-12-29"):
        with freeze_time(f"{day} 12:00"):
            assert message_threads_escalate().escalated == 0, day
    with freeze_time("2026-12-30 12:00"):
        assert message_threads_escalate_task(timestamp=0) == 1


def test_a_reply_before_the_deadline_means_no_escalation_and_a_new_message_restarts_it(
    partner: Any,
) -> None:
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    unit = make_case(partner=partner, caseworker=worker)
    person = _applicant(unit)
    with freeze_time("2026-12-14 09:00"):
        message = message_send_from_client(person=person, benefit_unit=unit, body="Q1")
        message_reply(acting_user=worker, thread=message.thread, body="A1")
    with freeze_time("2026-12-21 09:00"):
        assert message_threads_escalate().escalated == 0
        message_send_from_client(person=person, benefit_unit=unit, body="Q2")
    thread = MessageThread.objects.get(benefit_unit=unit)
    assert thread.reply_due_on == dt.date(2026, 12, 23)


# --- Transfers --------------------------------------------------------------------------------
def test_a_transfer_takes_the_thread_changes_and_uploads_with_the_case(
    partner: Any, other_partner: Any
) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    application = application_start(
        acting_user=supervisor, applicant=PersonFactory(delivery_partner=partner)
    )
    unit = application.benefit_unit
    person = _applicant(unit)
    message_send_from_client(person=person, benefit_unit=unit, body="Moving to Ottawa")
    reported_change_submit_from_client(
        person=person,
        benefit_unit=unit,
        kind="household",
        changed_on=timezone.localdate(),
        details="My sister moved in",
    )
    item = application.verifications.first()
    checklist_document_upload_from_client(person=person, item=item, file=ClientFile("a.pdf", PDF))
    case_transfer(
        acting_user=supervisor,
        benefit_unit=unit,
        to_partner=other_partner,
        kind=TransferKind.CLIENT_MOVED,
        reason="Moved",
    )
    sender = UserFactory(role=Role.SUPERVISOR, delivery_partner=partner)
    receiver = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    assert list(threads_for_user(user=sender)) == []
    assert [t.benefit_unit_id for t in threads_for_user(user=receiver)] == [unit.pk]
    thread = MessageThread.objects.get(benefit_unit=unit)
    with pytest.raises(Http404):
        message_reply(acting_user=sender, thread=thread, body="Still ours?")
    message_reply(acting_user=receiver, thread=thread, body="Welcome to Ottawa")
    change = ReportedChange.objects.get()
    with pytest.raises(Http404):
        reported_change_decide(acting_user=sender, change=change, status="verified", reason="x")
    reported_change_decide(
        acting_user=receiver, change=change, status="verified", reason="Lease seen"
    )
    assert client_upload_accept(acting_user=receiver, upload=ClientUpload.objects.get())
    # The documents (copied partner column) moved too.
    assert set(Document.objects.values_list("delivery_partner_id", flat=True)) == {other_partner.pk}


# --- Reported changes -------------------------------------------------------------------------
def test_a_reported_move_is_pending_then_verified_into_a_dated_version_and_the_address(
    partner: Any, caseworker: Any
) -> None:
    unit = active_case(partner=partner, actor=caseworker, first_name="Ana", last_name="Roy")
    person = _applicant(unit)
    versions = CircumstancesChange.objects.count()
    change = reported_change_submit_from_client(
        person=person,
        benefit_unit=unit,
        kind="address",
        changed_on=dt.date(2026, 3, 15),
        address_line="12 Elm St",
        city="Sudbury",
        postal_code="p3a 1a1",
        shelter_cost_cents=95_000,
    )
    assert change.status == ReportedChangeStatus.PENDING
    assert CircumstancesChange.objects.count() == versions  # nothing paid changes yet
    decided = reported_change_decide(
        acting_user=caseworker,
        change=change,
        status="verified",
        reason="New lease seen",
        expected_version=change.version,
    )
    version = decided.circumstances_change
    assert version is not None
    assert (version.effective_month, version.shelter_cost_cents, version.postal_code) == (
        dt.date(2026, 3, 1),
        95_000,
        "P3A 1A1",
    )
    assert version.shelter_type == "rent"  # kept from the version in force
    person.refresh_from_db()
    assert (person.address_line, person.city) == ("12 Elm St", "Sudbury")
    event = AuditEvent.objects.get(event_type=AuditEventType.REPORTED_CHANGE_DECIDED)
    assert event.extra_data["new"] == "verified"
    with pytest.raises(ApplicationError) as excinfo:
        reported_change_decide(acting_user=caseworker, change=change, status="rejected", reason="x")
    assert excinfo.value.field == "status"


def test_reported_change_refusals_name_the_field_and_leave_nothing(
    partner: Any, caseworker: Any
) -> None:
    unit = active_case(partner=partner, actor=caseworker, first_name="Ana", last_name="Roy")
    person = _applicant(unit)
    today = timezone.localdate()
    cases = [
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "address", "address_line": "1 Main", "city": "X"}, "postal_code"),
        ({"kind": "shelter_cost", "shelter_cost_cents": -5}, "shelter_cost"),
        ({"kind": "shelter_cost"}, "shelter_cost"),
        ({"kind": "household"}, "details"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ApplicationError) as excinfo:
            reported_change_submit_from_client(
                person=person, benefit_unit=unit, changed_on=today, **kwargs
            )
        assert excinfo.value.field == field, kwargs
    other_unit = make_case(partner=partner, caseworker=caseworker)
    with pytest.raises(Http404):
        reported_change_submit_from_client(
            person=person, benefit_unit=other_unit, kind="household", changed_on=today, details="x"
        )
    assert not ReportedChange.objects.exists()
    change = reported_change_submit_from_client(
        person=person,
        benefit_unit=unit,
        kind="shelter_cost",
        changed_on=today,
        shelter_cost_cents=1,
    )
    with pytest.raises(ApplicationError) as excinfo:
        reported_change_decide(acting_user=caseworker, change=change, status="rejected", reason=" ")
    assert excinfo.value.field == "reason"
    rejected = reported_change_decide(
        acting_user=caseworker, change=change, status="rejected", reason="Typing error: $1"
    )
    assert (rejected.status, rejected.circumstances_change) == ("rejected", None)


# --- Checklist proofs -------------------------------------------------------------------------
def test_checklist_upload_from_client_then_accepted_verifies_the_item(
    partner: Any, caseworker: Any
) -> None:
    application = application_start(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    person = _applicant(application.benefit_unit)
    items = checklist_items_for_client(person=person)
    assert len(items) >= 2
    assert all(i.status == VerificationStatus.PENDING for i in items)
    upload = checklist_document_upload_from_client(
        person=person, item=items[0], file=ClientFile("id.pdf", PDF)
    )
    assert upload.document.uploaded_by is None
    assert upload.document.uploaded_by_person == person
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CLIENT_UPLOAD_RECEIVED, person_id=person.pk
    ).exists()
    client_upload_accept(acting_user=caseworker, upload=upload)
    items[0].refresh_from_db()
    assert (items[0].status, items[0].document_id) == ("verified", upload.document_id)
    with pytest.raises(ApplicationError):
        checklist_document_upload_from_client(
            person=person, item=items[0], file=ClientFile("id.pdf", PDF)
        )
    # Another case's item: not found.
    stranger = make_case(partner=partner, caseworker=caseworker)
    with pytest.raises(Http404):
        checklist_document_upload_from_client(
            person=_applicant(stranger), item=items[1], file=ClientFile("id.pdf", PDF)
        )
