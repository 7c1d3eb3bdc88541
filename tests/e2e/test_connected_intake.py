"""Issue 15 in the browser: intake connected end to end (inquiry → person → appointment →
application pre-filled from the pre-screen), the inquiry queue, appointments moved, cancelled
and missed, a worker's week, today's appointments on the home page, a status change refused
by hand, and the project's 404 page, in English and French. axe-core scans every page; the
submits of each journey are counted (the step budget)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import TEST_PASSWORD, UserFactory
from caseworks.applications.constants import AppointmentStatus, InquiryStatus
from caseworks.applications.models import Application, Appointment, Inquiry
from caseworks.applications.services import appointment_book, inquiry_record
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import Person
from caseworks.clients.tests.factories import PersonFactory

from .conftest import assert_accessible, login
from .steps import StepCounter

pytestmark = pytest.mark.django_db(transaction=True)


def submit(page: Page, selector: str) -> None:
    """Press a form's button and wait for the page it leads to (StepCounter counts the submit)."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("networkidle")


def _french(page: Page, base: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": base}])


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_inquiry_to_person_to_appointment_to_prefilled_application(
    page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner, first_name="Iris")
    worker = UserFactory(
        role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal", last_name="Roy"
    )
    steps = StepCounter(page)
    login(page, base, clerk.username, TEST_PASSWORD)
    steps.reset()  # signing in is not part of the journey
    page.get_by_role("link", name="New inquiry").first.click()
    page.fill("#id_caller_name", "Jean-Philippe Thériault")
    page.fill("#id_phone", "555-0142")
    page.fill("#id_children", "2")
    page.fill("#id_monthly_income", "450.00")
    page.fill("#id_shelter_cost", "950.00")
    submit(page, "#prescreen-submit")
    expect(page.locator("#inquiry-status")).to_contain_text("New")
    assert_accessible(page, "inquiry with next steps")
    # Register the caller: the name and the phone are already there.
    page.click("#register-person")
    expect(page.locator("#id_first_name")).to_have_value("Jean-Philippe")
    expect(page.locator("#id_last_name")).to_have_value("Thériault")
    expect(page.locator("#id_phone")).to_have_value("555-0142")
    assert_accessible(page, "register from inquiry")
    page.fill("#id_date_of_birth", "1985-04-02")
    submit(page, "#register-submit")
    expect(page.locator("#inquiry-person")).to_contain_text("Jean-Philippe Thériault")
    # Book the appointment from the inquiry.
    page.click("#book-appointment")
    page.select_option("#id_caseworker", str(worker.pk))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_day", tomorrow.isoformat())
    page.select_option("#id_start_time", "10:00")
    submit(page, "#book-submit")
    expect(page.get_by_text("Appointment booked")).to_be_visible()
    person = Person.objects.get(last_name="Thériault")
    appointment = Appointment.objects.get()
    assert (appointment.person_id, appointment.inquiry_id) == (person.pk, Inquiry.objects.get().pk)
    registered_and_booked = steps.submits
    steps.assert_within(submits=3, journey="record an inquiry, register the caller, book")
    sign_out(page)

    # The caseworker opens the appointment and starts the application: pre-filled.
    login(page, base, worker.username, TEST_PASSWORD)
    steps.reset()
    page.goto(f"{base}/applications/appointments/{appointment.pk}/")
    assert_accessible(page, "appointment page")
    page.click("#start-application")
    expect(page.locator("#start-prescreen")).to_be_visible()
    submit(page, "#start-submit")
    expect(page.locator("#prescreen-prefill")).to_be_visible()
    expect(page.locator("#id_app-shelter_cost")).to_have_value("950.00")
    expect(page.locator("#id_income-0-monthly_amount")).to_have_value("450.00")
    expect(page.locator("#prescreen-children")).to_contain_text("2 children")
    assert_accessible(page, "pre-filled application")
    # Confirm: choose the type of income, consent, save.
    page.select_option("#id_income-0-income_type", "earnings")
    page.check("#id_app-consent_to_verification")
    submit(page, "#save-application")
    application = Application.objects.get()
    assert application.shelter_cost_cents == 95_000
    assert list(application.incomes.values_list("monthly_amount_cents", flat=True)) == [45_000]
    assert Inquiry.objects.get().status == InquiryStatus.CLOSED
    # Step budget: inquiry, registration, booking (3); start and confirm the application (2).
    assert registered_and_booked == 3
    assert steps.submits == 2
    in_all = registered_and_booked + steps.submits
    assert in_all <= 5, f"inquiry to saved application: {in_all} submits, over its budget of 5"


@pytest.mark.parametrize(("language", "heading"), [("en", "Inquiries"), ("fr", "Demandes")])
def test_inquiry_queue_assign_and_close(
    page: Page, live_server: Any, partner: Any, language: str, heading: str
) -> None:
    base = live_server.url
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner, first_name="Iris")
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal")
    inquiry = inquiry_record(acting_user=clerk, caller_name="Amara Okafor-Test")
    login(page, base, clerk.username, TEST_PASSWORD)
    if language == "fr":
        _french(page, base)
    page.goto(f"{base}/applications/inquiries/")
    expect(page.locator("h1")).to_contain_text(heading)
    assert_accessible(page, f"inquiry queue ({language})")
    page.locator("#inquiry-queue").get_by_role("link", name="Amara Okafor-Test").click()
    page.select_option("#id_assign-assignee", str(worker.pk))
    with page.expect_navigation():
        page.click("#assign-submit")
    expect(page.locator("#inquiry-assignee")).to_contain_text("Chantal")
    # Closing without a reason names the field.
    with page.expect_navigation():
        page.click("#close-submit")
    expect(page.locator("#id_close-reason_error")).to_be_visible()
    assert_accessible(page, f"close refused ({language})")
    page.select_option("#id_close-reason", "no_contact")
    with page.expect_navigation():
        page.click("#close-submit")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to_id) == (InquiryStatus.CLOSED, worker.pk)


def test_appointment_reschedule_cancel_and_no_show(
    page: Page, live_server: Any, partner: Any
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal")
    person = PersonFactory(delivery_partner=partner, first_name="Luc", last_name="Gagnon")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    starts = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 0)))
    moved = appointment_book(acting_user=worker, caseworker=worker, starts_at=starts, person=person)
    missed = appointment_book(
        acting_user=worker,
        caseworker=worker,
        starts_at=starts + dt.timedelta(hours=3),
        person=person,
    )
    # The second one's time has come (set-up only: the service books the future alone).
    Appointment.objects.filter(pk=missed.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    steps = StepCounter(page)
    login(page, base, worker.username, TEST_PASSWORD)
    page.goto(f"{base}/applications/appointments/{moved.pk}/")
    steps.reset()  # signing in is not part of the journey
    assert_accessible(page, "appointment")
    page.select_option("#id_move-start_time", "14:00")
    submit(page, "#reschedule-submit")
    expect(page.get_by_text("The appointment is moved to")).to_be_visible()
    expect(page.locator("#appointment-when")).to_contain_text("14:00")
    submit(page, "#cancel-submit")
    expect(page.locator("#id_cancel-reason_error")).to_be_visible()
    page.fill("#id_cancel-reason", "The client is ill")
    submit(page, "#cancel-submit")
    expect(page.locator("#appointment-status")).to_contain_text("Cancelled")
    assert_accessible(page, "cancelled appointment")
    page.goto(f"{base}/applications/appointments/{missed.pk}/")
    page.check("#id_outcome-outcome_1")
    submit(page, "#outcome-submit")
    expect(page.locator("#appointment-status")).to_contain_text("Did not attend")
    moved.refresh_from_db()
    missed.refresh_from_db()
    assert (moved.status, moved.cancel_reason) == (AppointmentStatus.CANCELLED, "The client is ill")
    assert missed.status == AppointmentStatus.NO_SHOW
    # Move: 1 submit; cancel: 1 (plus 1 here, refused without a reason); no-show: 1.
    steps.assert_within(submits=4, journey="move, cancel (one refused try) and no-show")
    assert steps.submits == 4


@pytest.mark.parametrize(("language", "caption"), [("en", "Calendar of"), ("fr", "Calendrier de")])
def test_worker_week_calendar_and_todays_appointments_on_home(
    page: Page, live_server: Any, partner: Any, language: str, caption: str
) -> None:
    base = live_server.url
    worker = UserFactory(
        role=Role.CASEWORKER, delivery_partner=partner, first_name="Chantal", last_name="Roy"
    )
    person = PersonFactory(delivery_partner=partner, first_name="Ana", last_name="Lima")
    today = timezone.localdate()
    # Today at 00:05 (set-up through the ORM: booking refuses a time already past).
    Appointment.objects.create(
        delivery_partner=partner,
        caseworker=worker,
        booked_by=worker,
        person=person,
        starts_at=timezone.make_aware(dt.datetime.combine(today, dt.time(0, 5))),
        ends_at=timezone.make_aware(dt.datetime.combine(today, dt.time(0, 35))),
        purpose="Intake interview",
    )
    login(page, base, worker.username, TEST_PASSWORD)
    if language == "fr":
        _french(page, base)
        page.goto(f"{base}/")
    today_panel = page.locator("#today-appointments")
    expect(today_panel).to_contain_text("Ana Lima")
    expect(today_panel).to_contain_text("00:05")
    assert_accessible(page, f"home with today's appointments ({language})")
    page.click("#my-week")
    expect(page.locator("h2").first).to_contain_text(caption)
    week = page.locator("#week-calendar")
    expect(week.locator("tbody th[scope='row']")).to_have_count(7)
    expect(week).to_contain_text("Ana Lima")
    assert_accessible(page, f"worker's week ({language})")


@pytest.mark.parametrize(
    ("language", "where", "message"),
    [
        (
            "en",
            "To make the case “Active”: the eligibility decision (grant)",
            "only through the eligibility decision (grant)",
        ),
        (
            "fr",
            "Pour que le dossier devienne « Actif » : la décision d’admissibilité (accorder)",
            "seulement par la décision d’admissibilité (accorder)",
        ),
    ],
)
def test_status_change_to_active_by_hand_is_refused(
    page: Page, live_server: Any, partner: Any, language: str, where: str, message: str
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    case = make_case(partner=partner, caseworker=worker)
    login(page, base, worker.username, TEST_PASSWORD)
    if language == "fr":
        _french(page, base)
    page.goto(f"{base}/cases/{case.pk}/")
    options = page.locator("#id_status-to_status option")
    assert sorted(options.evaluate_all("els => els.map(e => e.value)")) == ["", "withdrawn"]
    expect(page.locator("#status-elsewhere")).to_contain_text(where)
    # A form made before the rule (or a crafted one) asks for Active: the service refuses it.
    page.evaluate(
        """() => { const s = document.querySelector('#id_status-to_status');
                   const o = document.createElement('option'); o.value = 'active';
                   o.textContent = 'Active'; s.appendChild(o); s.value = 'active'; }"""
    )
    page.fill("#id_status-reason", "Looks fine")
    with page.expect_navigation():
        page.click("#status-submit")
    expect(page.locator("#id_status-to_status_error")).to_contain_text(message)
    assert_accessible(page, f"status change refused ({language})")
    assert BenefitUnit.objects.get(pk=case.pk).status == CaseStatus.PENDING


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_another_partners_client_shows_the_translated_404_page(
    page: Page, live_server: Any, partner: Any, other_partner: Any, language: str, heading: str
) -> None:
    base = live_server.url
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=other_partner)
    person = PersonFactory(delivery_partner=partner)
    login(page, base, worker.username, TEST_PASSWORD)
    if language == "fr":
        _french(page, base)
    response = page.goto(f"{base}/clients/{person.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert "Traceback" not in page.content()
    assert_accessible(page, f"404 ({language})")


@pytest.mark.parametrize(
    ("language", "use", "linked"),
    [
        ("en", "Use this person", "no one new was registered"),
        ("fr", "Utiliser cette personne", "personne de nouveau n’a été inscrit"),
    ],
)
def test_duplicate_panel_use_this_person_links_the_inquiry_without_a_second_registration(
    page: Page, live_server: Any, partner: Any, language: str, use: str, linked: str
) -> None:
    base = live_server.url
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner, first_name="Iris")
    known = PersonFactory(
        delivery_partner=partner,
        first_name="Jean-Philippe",
        last_name="Thériault",
        date_of_birth=dt.date(1985, 4, 2),
    )
    worker = UserFactory(role=Role.CASEWORKER, delivery_partner=partner)
    inquiry = inquiry_record(acting_user=clerk, caller_name="Jean-Philippe Thériault")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    booked = appointment_book(
        acting_user=clerk,
        caseworker=worker,
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 0))),
        inquiry=inquiry,
    )
    steps = StepCounter(page)
    login(page, base, clerk.username, TEST_PASSWORD)
    if language == "fr":
        _french(page, base)
    page.goto(f"{base}/applications/inquiries/{inquiry.pk}/register/")
    steps.reset()
    page.fill("#id_date_of_birth", "1985-04-02")
    submit(page, "#register-submit")
    panel = page.locator("#duplicates")
    expect(panel).to_be_visible()
    assert_accessible(page, f"duplicate panel with 'use this person' ({language})")

    submit(page, f"#duplicates button:has-text('{use}')")
    expect(page.locator("#inquiry-person")).to_contain_text("Jean-Philippe Thériault")
    expect(page.locator("main")).to_contain_text(linked)
    assert_accessible(page, f"inquiry linked to the known client ({language})")
    assert Person.objects.count() == 1  # no duplicate registered
    inquiry.refresh_from_db()
    booked.refresh_from_db()
    assert (inquiry.person_id, booked.person_id) == (known.pk, known.pk)
    steps.assert_within(submits=2, journey="register a caller already known: use that person")
    assert steps.submits == 2
