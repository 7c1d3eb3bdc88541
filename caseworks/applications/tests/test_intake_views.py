"""Connected intake pages (issue 15): the inquiry queue, registering the caller from the
inquiry, the appointment page, the worker's week, today's appointments on the home page, the
missing application of a pending case, and the error pages, in English and French."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from caseworks.accounts.constants import Role
from caseworks.applications.constants import AppointmentStatus, InquiryStatus
from caseworks.applications.models import Application, Appointment, Inquiry
from caseworks.applications.services import appointment_book, inquiry_record
from caseworks.cases.services import benefit_unit_create
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


class Journey:
    """A test client that counts the forms submitted (the step budget)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.submits = 0

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
        self.submits += 1
        return self.client.post(url, data, **kwargs)


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_journey_inquiry_person_appointment_prefilled_application_in_four_submits(
    client: Client, users: dict[str, Any]
) -> None:
    clerk, worker = users[Role.INTAKE_CLERK], users[Role.CASEWORKER]
    journey = Journey(client)
    client.force_login(clerk)
    response = journey.post(
        reverse("applications:inquiry_create"),
        {
            "idempotency_key": uuid.uuid4().hex,
            "caller_name": "Jean-Philippe Thériault",
            "phone": "555-0142",
            "adults": "1",
            "children": "2",
            "monthly_income": "450.00",
            "shelter_cost": "950.00",
            "assets": "",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.url == reverse("applications:inquiry_detail", args=[inquiry.pk])
    # Register the caller: name and phone already there.
    register_url = reverse("applications:inquiry_register", args=[inquiry.pk])
    form = client.get(register_url).content.decode()
    assert 'value="Jean-Philippe"' in form
    assert 'value="Thériault"' in form
    assert 'value="555-0142"' in form
    response = journey.post(
        register_url,
        {
            "first_name": "Jean-Philippe",
            "last_name": "Thériault",
            "date_of_birth": "1985-04-02",
            "language_preference": "fr",
            "phone": "555-0142",
        },
    )
    person = Person.objects.get()
    inquiry.refresh_from_db()
    assert inquiry.person_id == person.pk
    # Book: the appointment is the person's.
    response = journey.post(
        reverse("applications:appointment_book") + f"?inquiry={inquiry.pk}",
        {
            "caseworker": worker.pk,
            "day": _tomorrow().isoformat(),
            "start_time": "10:00",
            "duration_minutes": "60",
            "purpose": "",
            "inquiry": inquiry.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    appointment = Appointment.objects.get()
    assert (appointment.person_id, appointment.inquiry_id) == (person.pk, inquiry.pk)
    # The caseworker starts the application from the appointment: pre-filled from the pre-screen.
    client.force_login(worker)
    page = client.get(reverse("applications:appointment_detail", args=[appointment.pk]))
    assert reverse("applications:start", args=[person.pk]) in page.content.decode()
    response = journey.post(
        reverse("applications:start", args=[person.pk]),
        {"applied_on": timezone.localdate().isoformat()},
    )
    application = Application.objects.get()
    assert application.inquiry_id == inquiry.pk
    html = client.get(response.url).content.decode()
    assert 'id="prescreen-prefill"' in html
    assert 'name="app-shelter_cost" value="950.00"' in html
    assert 'name="income-0-monthly_amount" value="450.00"' in html
    assert "The caller spoke of 2 children not yet on the case" in html
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    # Register from the inquiry, book, start: nothing the caller said is typed twice.
    assert journey.submits == 4


@pytest.mark.parametrize(
    ("language", "heading", "new_label"),
    [("en", "Inquiries", "New"), ("fr", "Demandes de renseignements", "Nouvelle")],
)
def test_inquiry_queue_lists_filters_assigns_and_closes(
    client: Client, users: dict[str, Any], language: str, heading: str, new_label: str
) -> None:
    clerk, worker = users[Role.INTAKE_CLERK], users[Role.CASEWORKER]
    first = inquiry_record(acting_user=clerk, caller_name="Amara Okafor-Test")
    second = inquiry_record(acting_user=clerk, caller_name="Luc Gagnon")
    client.force_login(clerk)
    queue = client.get(reverse("applications:inquiry_list"), HTTP_ACCEPT_LANGUAGE=language)
    html = queue.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "Amara Okafor-Test" in html
    assert "Luc Gagnon" in html
    assert new_label in html
    detail = reverse("applications:inquiry_detail", args=[first.pk])
    response = client.post(detail, {"action": "assign", "assign-assignee": worker.pk})
    assert response.status_code == 302
    response = client.post(detail.replace(str(first.pk), str(second.pk)), {"action": "close"})
    assert response.status_code == 400
    assert "Choose the reason for closing the inquiry." in response.content.decode()
    client.post(
        reverse("applications:inquiry_detail", args=[second.pk]),
        {"action": "close", "close-reason": "no_contact"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.assigned_to_id) == (InquiryStatus.ASSIGNED, worker.pk)
    assert (second.status, second.close_reason) == (InquiryStatus.CLOSED, "no_contact")
    open_queue = client.get(reverse("applications:inquiry_list")).content.decode()
    assert "Amara Okafor-Test" in open_queue
    assert "Luc Gagnon" not in open_queue
    closed = client.get(reverse("applications:inquiry_list") + "?status=closed").content.decode()
    assert "Luc Gagnon" in closed
    assert "Amara Okafor-Test" not in closed
    client.force_login(worker)
    mine = client.get(reverse("applications:inquiry_list") + "?mine=on").content.decode()
    assert "Amara Okafor-Test" in mine


def test_inquiry_pages_are_404_for_another_partner(
    client: Client, users: dict[str, Any], other_caseworker: Any
) -> None:
    inquiry = inquiry_record(acting_user=users[Role.INTAKE_CLERK], caller_name="Sam Caller")
    client.force_login(other_caseworker)
    assert client.get(reverse("applications:inquiry_detail", args=[inquiry.pk])).status_code == 404
    assert (
        client.get(reverse("applications:inquiry_register", args=[inquiry.pk])).status_code == 404
    )
    assert "Sam Caller" not in client.get(reverse("applications:inquiry_list")).content.decode()


@pytest.mark.parametrize(
    ("language", "moved", "cancelled"),
    [
        ("en", "The appointment is moved to", "The appointment is cancelled."),
        ("fr", "Le rendez-vous est déplacé au", "Le rendez-vous est annulé."),
    ],
)
def test_appointment_page_moves_then_cancels_with_reason(
    client: Client, users: dict[str, Any], partner: Any, language: str, moved: str, cancelled: str
) -> None:
    clerk, worker = users[Role.INTAKE_CLERK], users[Role.CASEWORKER]
    person = PersonFactory(delivery_partner=partner)
    appointment = appointment_book(
        acting_user=clerk, caseworker=worker, starts_at=_at(_tomorrow(), 9), person=person
    )
    url = reverse("applications:appointment_detail", args=[appointment.pk])
    client.force_login(clerk)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert ClientFileAccess.objects.filter(view_name="applications:appointment_detail").exists()
    response = client.post(
        url,
        {
            "action": "reschedule",
            "move-day": _tomorrow().isoformat(),
            "move-start_time": "13:30",
            "move-duration_minutes": "30",
        },
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert moved in response.content.decode()
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).time() == dt.time(13, 30)
    refused = client.post(url, {"action": "cancel", "cancel-reason": ""})
    assert refused.status_code == 400
    assert "Give the reason for cancelling." in refused.content.decode()
    response = client.post(
        url,
        {"action": "cancel", "cancel-reason": "Client is ill"},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert cancelled in response.content.decode()
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason) == ("cancelled", "Client is ill")


def test_appointment_page_records_a_no_show_once_started(
    client: Client, users: dict[str, Any], partner: Any
) -> None:
    worker = users[Role.CASEWORKER]
    with freeze_time(timezone.now() - dt.timedelta(hours=2)):
        appointment = appointment_book(
            acting_user=users[Role.INTAKE_CLERK],
            caseworker=worker,
            starts_at=timezone.now() + dt.timedelta(minutes=30),
            person=PersonFactory(delivery_partner=partner),
        )
    client.force_login(worker)
    url = reverse("applications:appointment_detail", args=[appointment.pk])
    assert 'id="outcome-form"' in client.get(url).content.decode()
    client.post(url, {"action": "outcome", "outcome-outcome": AppointmentStatus.NO_SHOW})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


@pytest.mark.parametrize(
    ("language", "caption", "empty"),
    [("en", "Calendar of", "No appointments."), ("fr", "Calendrier de", "Aucun rendez-vous.")],
)
def test_calendar_shows_one_workers_week_as_a_table(
    client: Client, users: dict[str, Any], language: str, caption: str, empty: str
) -> None:
    worker = users[Role.CASEWORKER]
    appointment = appointment_book(
        acting_user=users[Role.INTAKE_CLERK], caseworker=worker, starts_at=_at(_tomorrow(), 11)
    )
    client.force_login(worker)
    url = reverse("applications:calendar")
    html = client.get(
        f"{url}?day={_tomorrow():%Y-%m-%d}&view=week&caseworker={worker.pk}",
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()
    table = html.split('id="week-calendar"')[1].split("</table>")[0]
    assert caption in html
    assert table.count('<th scope="row"') == 7  # one row header per day of the week
    assert reverse("applications:appointment_detail", args=[appointment.pk]) in table
    assert empty in table


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Today's appointments"), ("fr", "Rendez-vous d’aujourd’hui")]
)
def test_home_page_shows_todays_appointments(
    client: Client, users: dict[str, Any], language: str, heading: str
) -> None:
    worker = users[Role.CASEWORKER]
    with freeze_time("2026-12-07 14:00:00"):  # 09:00 in Toronto
        appointment_book(
            acting_user=users[Role.INTAKE_CLERK],
            caseworker=worker,
            starts_at=timezone.now() + dt.timedelta(hours=2),
            inquiry=inquiry_record(acting_user=users[Role.INTAKE_CLERK], caller_name="Ana Lima"),
        )
        client.force_login(worker)
        html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    section = html.split('id="today-appointments"')[1].split("</section>")[0]
    assert heading in section
    assert "11:00" in section
    assert "Ana Lima" in section


def test_pending_case_without_application_offers_to_start_it(
    client: Client, users: dict[str, Any], partner: Any
) -> None:
    worker = users[Role.CASEWORKER]
    case = benefit_unit_create(
        acting_user=worker, applicant=PersonFactory(delivery_partner=partner)
    )
    client.force_login(worker)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "This case has no application." in html
    start = reverse("applications:start_for_case", args=[case.pk])
    assert start in html
    response = client.post(start)
    application = Application.objects.get(benefit_unit=case)
    assert response.url == reverse("applications:edit", args=[application.pk])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "This case has no application." not in html
    assert 'id="panel-next-step"' in html


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_another_partners_client_is_the_projects_404_in_the_users_language(
    client: Client, other_caseworker: Any, partner: Any, language: str, heading: str
) -> None:
    person = PersonFactory(delivery_partner=partner)
    client.force_login(other_caseworker)
    response = client.get(
        reverse("clients:detail", args=[person.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in html
    assert f'lang="{language}"' in html
    assert "Traceback" not in html
    assert "URLconf" not in html


def test_use_this_person_links_the_inquiry_and_refuses_a_missing_person_or_a_second_link(
    client: Client, users: dict[str, Any], partner: Any, other_partner: Any
) -> None:
    clerk = users[Role.INTAKE_CLERK]
    known = PersonFactory(delivery_partner=partner, first_name="Sam", last_name="Caller")
    stranger = PersonFactory(delivery_partner=other_partner)
    inquiry = inquiry_record(acting_user=clerk, caller_name="Sam Caller")
    url = reverse("applications:inquiry_link", args=[inquiry.pk])
    client.force_login(clerk)

    # No person chosen: back to the registration, the error names the field, nothing linked.
    response = client.post(url, {"person": "x"}, follow=True)
    assert "Person: choose the person to link to this inquiry." in response.content.decode()
    # Another partner's person is not found (404), never linked.
    assert client.post(url, {"person": stranger.pk}).status_code == 404
    inquiry.refresh_from_db()
    assert inquiry.person_id is None

    response = client.post(url, {"person": known.pk}, follow=True)
    assert "no one new was registered" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.person_id == known.pk
    assert Person.objects.count() == 2  # the known client and the stranger: no one new

    # A second "Use this person" (another person, or a replay): refused, the link kept.
    other = PersonFactory(delivery_partner=partner)
    response = client.post(url, {"person": other.pk}, follow=True)
    assert "already linked to a registered person" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.person_id == known.pk
