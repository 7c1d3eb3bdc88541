"""Intake and application pages through the Django test client, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.applications.constants import ApplicationStatus, VerificationStatus
from caseworks.applications.models import (
    Application,
    Appointment,
    Asset,
    IncomeSource,
    Inquiry,
    VerificationItem,
)
from caseworks.applications.selectors import verification_items
from caseworks.applications.services import application_start
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnitMember
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.documents.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class Journey:
    """A test client that counts the forms submitted (the step budget)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.submits = 0

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
        self.submits += 1
        return self.client.post(url, data, **kwargs)


def edit_data(application: Application, **overrides: Any) -> dict[str, Any]:
    """The application form as the page sends it, with the current values."""
    members = list(
        application.benefit_unit.members.filter(end_on__isnull=True).order_by("start_on", "id")
    )
    incomes = list(application.incomes.order_by("id"))
    assets = list(application.assets.order_by("id"))
    data: dict[str, Any] = {
        "app-expected_version": application.version,
        "app-address_line": application.address_line,
        "app-city": application.city,
        "app-postal_code": application.postal_code,
        "app-shelter_type": application.shelter_type,
        "app-shelter_cost": str(application.shelter_cost_cents / 100) if False else "",
        "app-heat": "",
        "app-utilities": "",
        "app-months_in_receipt": "",
        "member-TOTAL_FORMS": len(members),
        "member-INITIAL_FORMS": len(members),
        "income-TOTAL_FORMS": len(incomes) + 1,
        "income-INITIAL_FORMS": len(incomes),
        "asset-TOTAL_FORMS": len(assets) + 1,
        "asset-INITIAL_FORMS": len(assets),
    }
    for index, member in enumerate(members):
        data[f"member-{index}-person_id"] = member.person_id
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def checklist_data(application: Application, status: str = "pending", **overrides: Any) -> dict:
    items = verification_items(application=application)
    data: dict[str, Any] = {"item-TOTAL_FORMS": len(items), "item-INITIAL_FORMS": len(items)}
    for index, item in enumerate(items):
        data[f"item-{index}-item_id"] = item.pk
        data[f"item-{index}-status"] = status
        data[f"item-{index}-document"] = ""
        data[f"item-{index}-waived_reason"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def person(partner: Any) -> Person:
    return PersonFactory(
        delivery_partner=partner, first_name="Marie", last_name="Gagnon", language_preference="fr"
    )


@pytest.fixture
def application(person: Person, caseworker: Any) -> Application:
    return application_start(acting_user=caseworker, applicant=person)


# --- The journey and the step budget ----------------------------------------------------------


def test_journey_intake_to_notice_within_step_budget_when_single_person_has_one_income(
    client: Client, users: dict[str, Any], person: Person
) -> None:
    clerk, worker = users[Role.INTAKE_CLERK], users[Role.CASEWORKER]
    # Intake clerk: inquiry, pre-screen, book an appointment with the caseworker.
    client.force_login(clerk)
    response = client.post(
        reverse("applications:inquiry_create"),
        {
            "idempotency_key": uuid.uuid4().hex,
            "caller_name": "Marie Gagnon",
            "adults": "1",
            "children": "0",
            "monthly_income": "300",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.url == reverse("applications:inquiry_detail", args=[inquiry.pk])
    page = client.get(response.url).content.decode()
    assert "Likely eligible" in page
    assert "O. Reg. 134/98" in page
    booking = reverse("applications:appointment_book") + f"?inquiry={inquiry.pk}"
    assert client.get(booking).status_code == 200
    response = client.post(
        booking,
        {
            "inquiry": inquiry.pk,
            "caseworker": worker.pk,
            "day": _tomorrow().isoformat(),
            "start_time": "10:00",
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.caseworker == worker
    assert timezone.localtime(appointment.starts_at).hour == 10
    assert "Marie Gagnon" in client.get(response.url).content.decode()

    # Caseworker: at most 6 submits from the person to the granted decision and its notice.
    client.force_login(worker)
    journey = Journey(client)
    response = journey.post(
        reverse("applications:start", args=[person.pk]),
        {"applied_on": timezone.localdate().isoformat()},
    )
    application = Application.objects.get()
    assert response.url == reverse("applications:edit", args=[application.pk])
    assert "Marie Gagnon" in client.get(response.url).content.decode()
    response = journey.post(
        response.url,
        edit_data(
            application,
            **{
                "app-shelter_type": "rent",
                "app-shelter_cost": "800.00",
                "app-consent_to_verification": "on",
                "income-0-person": person.pk,
                "income-0-income_type": "earnings",
                "income-0-monthly_amount": "300.00",
                "income-0-description": "Café Lumière",
                "save_and_verify": "1",
            },
        ),
    )
    assert response.url == reverse("applications:verification", args=[application.pk])
    assert client.get(response.url).status_code == 200
    application.refresh_from_db()
    checklist = checklist_data(application, status=VerificationStatus.VERIFIED)
    checklist.update(
        {f"item-{i}-document": "uploaded" for i in range(checklist["item-TOTAL_FORMS"])}
    )
    checklist.update(
        {
            "upload-file": SimpleUploadedFile("lease.pdf", PDF, "application/pdf"),
            "upload-title": "Lease and ID",
        }
    )
    response = journey.post(response.url, checklist)
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get(kind="upload")
    assert set(VerificationItem.objects.values_list("status", flat=True)) == {"verified"}
    assert set(VerificationItem.objects.values_list("document", flat=True)) == {document.pk}
    response = journey.post(reverse("eligibility:run", args=[application.pk]), {})
    determination_url = response.url
    page = client.get(determination_url).content.decode()
    assert "Eligible" in page
    assert "O. Reg. 134/98, s. 41(1)" in page
    response = journey.post(
        determination_url.rstrip("/") + "/decide/",
        {
            "idempotency_key": uuid.uuid4().hex,
            "outcome": "grant",
            "effective_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Download the notice in French (PDF)" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert application.benefit_unit.status == CaseStatus.ACTIVE
    notice = Document.objects.get(kind="notice", language="fr")
    download = client.get(reverse("documents:download", args=[notice.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert bytes(download.content).startswith(b"%PDF")
    assert journey.submits <= 6


def test_member_create_adds_child_within_three_steps_when_case_exists(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    steps = 0
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    steps += 1
    add_url = reverse("applications:member_create", args=[application.pk])
    assert add_url in page
    assert client.get(add_url).status_code == 200
    steps += 1
    response = client.post(
        add_url,
        {
            "expected_version": application.version,
            "first_name": "Léa",
            "last_name": "Gagnon",
            "date_of_birth": "2025-06-01",
            "role": "dependant_child",
        },
    )
    steps += 1
    assert response.status_code == 302
    assert steps <= 3
    child = Person.objects.get(first_name="Léa")
    assert BenefitUnitMember.objects.filter(person=child, role="dependant_child").exists()
    assert application.member_circumstances.filter(person=child, role="dependant").exists()
    assert VerificationItem.objects.filter(application=application, person=child).count() == 3
    page = client.get(response.url).content.decode()
    assert "Léa Gagnon" in page
    assert "2025-06-01" in page


# --- Bad input: clear errors, nothing saved ---------------------------------------------------


def test_member_create_refuses_impossible_date_and_saves_nothing(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    people, members = Person.objects.count(), BenefitUnitMember.objects.count()
    response = client.post(
        reverse("applications:member_create", args=[application.pk]),
        {
            "expected_version": application.version,
            "first_name": "Léa",
            "last_name": "Gagnon",
            "date_of_birth": "2026-02-30",
            "role": "dependant_child",
        },
    )
    assert response.status_code == 200
    assert 'id="id_date_of_birth_error"' in response.content.decode()
    assert (Person.objects.count(), BenefitUnitMember.objects.count()) == (people, members)


def test_member_create_refuses_unknown_role_and_saves_nothing(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    people = Person.objects.count()
    response = client.post(
        reverse("applications:member_create", args=[application.pk]),
        {
            "expected_version": application.version,
            "first_name": "Léa",
            "last_name": "Gagnon",
            "date_of_birth": "2025-02-28",
            "role": "grandparent",
        },
    )
    assert 'id="id_role_error"' in response.content.decode()
    assert Person.objects.count() == people


def test_edit_refuses_negative_income_shows_it_beside_field_and_saves_nothing(
    client: Client, caseworker: Any, application: Application, person: Person
) -> None:
    client.force_login(caseworker)
    version = application.version
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        edit_data(
            application,
            **{
                "app-shelter_type": "rent",
                "app-shelter_cost": "1,234.50",
                "income-0-person": person.pk,
                "income-0-income_type": "earnings",
                "income-0-monthly_amount": "-50.00",
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Monthly amount: the amount cannot be negative." in html
    assert 'aria-describedby="id_income-0-monthly_amount_error"' in html
    assert 'value="-50.00"' in html  # what was typed is kept
    assert 'value="1,234.50"' in html
    application.refresh_from_db()
    assert application.version == version
    assert application.shelter_type == ""
    assert IncomeSource.objects.count() == 0


def test_edit_saves_partial_application_in_cents_when_only_some_sections_are_filled(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        edit_data(
            application,
            **{
                "app-shelter_cost": "1,234.50",
                "asset-0-asset_type": "bank_account",
                "asset-0-value": "250",
            },
        ),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.shelter_cost_cents == 123_450
    assert Asset.objects.get().value_cents == 25_000
    page = client.get(response.url).content.decode()
    assert 'value="1,234.50"' in page  # the stored cents, shown in the page's language


def test_edit_shows_conflict_and_saves_nothing_when_version_is_stale(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        edit_data(
            application,
            **{"app-expected_version": application.version - 1 or 99, "app-city": "Sudbury"},
        ),
    )
    assert response.status_code == 409
    assert "Someone else saved this application" in response.content.decode()
    application.refresh_from_db()
    assert application.city != "Sudbury"


def test_verification_refuses_renamed_exe_and_saves_nothing(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    data = checklist_data(application, status=VerificationStatus.VERIFIED)
    data["item-0-document"] = "uploaded"
    data["upload-file"] = SimpleUploadedFile("payslip.pdf", EXE, "application/pdf")
    data["upload-title"] = "Pay slip"
    response = client.post(reverse("applications:verification", args=[application.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only PDF, PNG and JPEG files can be uploaded." in html
    assert 'id="id_upload-file_error"' in html
    assert Document.objects.count() == 0
    assert set(VerificationItem.objects.values_list("status", flat=True)) == {"pending"}


def test_verification_refuses_oversized_upload_and_saves_nothing(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    data = checklist_data(application, status=VerificationStatus.VERIFIED)
    data["upload-file"] = SimpleUploadedFile(
        "scan.png", PNG + b"\x00" * (10 * 1024 * 1024), "image/png"
    )
    data["upload-title"] = "Scan"
    response = client.post(reverse("applications:verification", args=[application.pk]), data)
    assert "larger than 10 MB" in response.content.decode()
    assert Document.objects.count() == 0
    assert set(VerificationItem.objects.values_list("status", flat=True)) == {"pending"}


def test_verification_refuses_waiver_without_reason_and_saves_nothing(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    data = checklist_data(application, status=VerificationStatus.VERIFIED)
    data["item-1-status"] = "waived"
    response = client.post(reverse("applications:verification", args=[application.pk]), data)
    assert 'id="id_item-1-waived_reason_error"' in response.content.decode()
    assert set(VerificationItem.objects.values_list("status", flat=True)) == {"pending"}


def test_appointment_book_refuses_double_booking_with_clear_message(
    client: Client, users: dict[str, Any]
) -> None:
    clerk, worker = users[Role.INTAKE_CLERK], users[Role.CASEWORKER]
    client.force_login(clerk)
    data = {
        "caseworker": worker.pk,
        "day": _tomorrow().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "60",
    }
    assert client.post(reverse("applications:appointment_book"), data).status_code == 302
    response = client.post(
        reverse("applications:appointment_book"), {**data, "start_time": "10:30"}
    )
    assert response.status_code == 200
    assert "already has an appointment at 10:00" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_appointment_book_refuses_impossible_date(client: Client, users: dict[str, Any]) -> None:
    client.force_login(users[Role.INTAKE_CLERK])
    response = client.post(
        reverse("applications:appointment_book"),
        {
            "caseworker": users[Role.CASEWORKER].pk,
            "day": "2026-02-30",
            "start_time": "10:00",
            "duration_minutes": "60",
        },
    )
    assert 'id="id_day_error"' in response.content.decode()
    assert Appointment.objects.count() == 0


def test_inquiry_create_replayed_with_the_same_key_records_one_inquiry(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.INTAKE_CLERK])
    data = {
        "idempotency_key": uuid.uuid4().hex,
        "caller_name": "Marie Gagnon",
        "adults": "1",
        "children": "0",
        "monthly_income": "300",
    }
    first = client.post(reverse("applications:inquiry_create"), data)
    replay = client.post(reverse("applications:inquiry_create"), data)
    assert first.status_code == replay.status_code == 302
    assert replay.url == first.url
    assert Inquiry.objects.count() == 1
    changed = client.post(reverse("applications:inquiry_create"), {**data, "adults": "2"})
    assert changed.status_code == 422
    assert Inquiry.objects.count() == 1


def test_inquiry_create_refuses_negative_income_and_saves_nothing(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.INTAKE_CLERK])
    response = client.post(
        reverse("applications:inquiry_create"),
        {
            "idempotency_key": uuid.uuid4().hex,
            "caller_name": "X",
            "adults": "1",
            "children": "0",
            "monthly_income": "-1",
        },
    )
    assert "Total monthly income: the amount cannot be negative." in response.content.decode()
    assert Inquiry.objects.count() == 0


def test_calendar_lists_each_caseworkers_appointments_for_the_week(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.INTAKE_CLERK])
    worker = users[Role.CASEWORKER]
    client.post(
        reverse("applications:appointment_book"),
        {
            "caseworker": worker.pk,
            "day": _tomorrow().isoformat(),
            "start_time": "13:30",
            "duration_minutes": "30",
        },
    )
    page = client.get(
        reverse("applications:calendar") + f"?day={_tomorrow().isoformat()}&view=week"
    ).content.decode()
    assert "13:30" in page
    assert worker.get_full_name() in page


# --- Who may see what -------------------------------------------------------------------------


@pytest.fixture
def other_partner_application(other_partner: Any, other_caseworker: Any) -> Application:
    person = PersonFactory(delivery_partner=other_partner)
    return application_start(acting_user=other_caseworker, applicant=person)


def _urls(application: Application, inquiry: Inquiry, person: Person) -> list[tuple[str, str]]:
    return [
        ("get", reverse("applications:edit", args=[application.pk])),
        ("post", reverse("applications:edit", args=[application.pk])),
        ("get", reverse("applications:verification", args=[application.pk])),
        ("post", reverse("applications:verification", args=[application.pk])),
        ("get", reverse("applications:member_create", args=[application.pk])),
        ("post", reverse("applications:member_create", args=[application.pk])),
        ("get", reverse("applications:start", args=[person.pk])),
        ("post", reverse("applications:start", args=[person.pk])),
        ("get", reverse("applications:inquiry_detail", args=[inquiry.pk])),
        ("get", reverse("applications:appointment_book") + f"?inquiry={inquiry.pk}"),
    ]


def test_pages_answer_404_when_record_belongs_to_another_partner(
    client: Client, caseworker: Any, other_partner_application: Application, other_caseworker: Any
) -> None:
    from caseworks.applications.services import inquiry_record  # noqa: PLC0415

    inquiry = inquiry_record(acting_user=other_caseworker, caller_name="Z")
    person = other_partner_application.benefit_unit.members.get().person
    client.force_login(caseworker)
    for method, url in _urls(other_partner_application, inquiry, person):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    assert Application.objects.count() == 1
    assert ClientFileAccess.objects.filter(user=caseworker).count() == 0


@pytest.mark.parametrize(
    ("role", "name", "expected"),
    [
        (Role.AUDITOR, "edit_post", 403),
        (Role.INTAKE_CLERK, "edit_post", 403),
        (Role.EMPLOYMENT_CASEWORKER, "verification_post", 403),
        (Role.INTAKE_CLERK, "member_create", 403),
        (Role.INTAKE_CLERK, "start", 403),
        (Role.AUDITOR, "inquiry_create", 403),
        (Role.EMPLOYMENT_CASEWORKER, "appointment_book", 403),
        (Role.PARTNER_ADMIN, "calendar", 403),
        (Role.PARTNER_ADMIN, "edit", 403),
        (Role.AUDITOR, "edit", 200),
    ],
)
def test_pages_refuse_roles_without_the_capability(
    client: Client,
    users: dict[str, Any],
    application: Application,
    person: Person,
    role: str,
    name: str,
    expected: int,
) -> None:
    urls = {
        "edit_post": ("post", reverse("applications:edit", args=[application.pk])),
        "edit": ("get", reverse("applications:edit", args=[application.pk])),
        "verification_post": ("post", reverse("applications:verification", args=[application.pk])),
        "member_create": ("get", reverse("applications:member_create", args=[application.pk])),
        "start": ("get", reverse("applications:start", args=[person.pk])),
        "inquiry_create": ("get", reverse("applications:inquiry_create")),
        "appointment_book": ("get", reverse("applications:appointment_book")),
        "calendar": ("get", reverse("applications:calendar")),
    }
    method, url = urls[name]
    client.force_login(users[role])
    assert getattr(client, method)(url).status_code == expected


def test_pages_send_anonymous_users_to_sign_in(client: Client, application: Application) -> None:
    response = client.get(reverse("applications:edit", args=[application.pk]))
    assert response.status_code == 302
    assert "login" in response.url


def test_edit_records_a_view_of_the_client_file(
    client: Client, caseworker: Any, application: Application, person: Person
) -> None:
    client.force_login(caseworker)
    client.get(reverse("applications:edit", args=[application.pk]))
    assert ClientFileAccess.objects.filter(
        user=caseworker, person=person, view_name="applications:edit"
    ).exists()


def test_case_panel_shows_application_and_next_step(
    caseworker: Any, application: Application, rf: Any
) -> None:
    from django.template import Context, Template  # noqa: PLC0415

    request = rf.get("/")
    request.user = caseworker
    html = Template("{% load eligibility_ui %}{% application_panel case %}").render(
        Context(
            {
                "case": application.benefit_unit,
                "can": {"application_edit": True},
                "request": request,
            }
        )
    )
    assert reverse("applications:edit", args=[application.pk]) in html
    assert reverse("applications:member_create", args=[application.pk]) in html
    assert "Draft" in html


def test_calendar_and_booking_pages_show_today_when_asked_for_a_far_off_day(
    client: Client, users: dict[str, Any]
) -> None:
    client.force_login(users[Role.INTAKE_CLERK])
    for view in ("day", "week"):
        url = reverse("applications:calendar") + f"?day=9999-12-31&view={view}"
        assert client.get(url).status_code == 200
    response = client.post(
        reverse("applications:appointment_book"),
        {
            "caseworker": users[Role.CASEWORKER].pk,
            "day": "9999-12-31",
            "start_time": "10:00",
            "duration_minutes": "60",
        },
    )
    assert "at most two years ahead" in response.content.decode()
    assert Appointment.objects.count() == 0


def test_edit_refuses_amount_too_large_for_decimal_quantize(
    client: Client, caseworker: Any, application: Application
) -> None:
    client.force_login(caseworker)
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        edit_data(application, **{"app-shelter_cost": "1e30"}),
    )
    assert response.status_code == 200
    assert 'id="id_app-shelter_cost_error"' in response.content.decode()


def test_edit_shows_read_only_form_to_auditor(
    client: Client, users: dict[str, Any], application: Application
) -> None:
    client.force_login(users[Role.AUDITOR])
    html = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert 'id="save-application"' not in html
    assert 'name="app-city" maxlength="100" autocomplete="off" disabled' in html


def test_verification_links_existing_case_document_and_refuses_one_from_another_case(
    client: Client, caseworker: Any, application: Application, partner: Any
) -> None:
    from caseworks.cases.tests.factories import make_case  # noqa: PLC0415
    from caseworks.documents.services import document_upload  # noqa: PLC0415

    own = document_upload(
        acting_user=caseworker,
        benefit_unit=application.benefit_unit,
        title="Passport",
        filename="p.pdf",
        content=PDF,
    )
    elsewhere = document_upload(
        acting_user=caseworker,
        benefit_unit=make_case(partner=partner, caseworker=caseworker),
        title="Other",
        filename="o.pdf",
        content=PDF,
    )
    client.force_login(caseworker)
    url = reverse("applications:verification", args=[application.pk])
    refused = checklist_data(application, **{"item-0-status": "verified"})
    refused["item-0-document"] = str(elsewhere.pk)
    response = client.post(url, refused)
    assert 'id="id_item-0-document_error"' in response.content.decode()
    assert set(VerificationItem.objects.values_list("status", flat=True)) == {"pending"}
    accepted = checklist_data(application, **{"item-0-status": "verified"})
    accepted["item-0-document"] = str(own.pk)
    assert client.post(url, accepted).status_code == 302
    first = verification_items(application=application)[0]
    assert (first.status, first.document_id) == ("verified", own.pk)
