"""The intake-to-decision API: the journey by bearer token, money as text, clear refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.services import api_token_create
from caseworks.applications.models import Application, Appointment, IncomeSource, Inquiry
from caseworks.applications.services import application_start
from caseworks.cases.models import BenefitUnitMember
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.documents.models import Document
from caseworks.eligibility.models import Decision, Determination

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _json(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    return getattr(client, method)(url, data, content_type="application/json", **extra)


@pytest.fixture
def person(partner: Any) -> Person:
    return PersonFactory(delivery_partner=partner, first_name="Marie", language_preference="fr")


@pytest.fixture
def application(person: Person, caseworker: Any) -> Application:
    return application_start(acting_user=caseworker, applicant=person)


def test_api_journey_by_bearer_token_from_inquiry_to_decision(
    users: dict[str, Any], person: Person
) -> None:
    worker = users[Role.CASEWORKER]
    _row, raw = api_token_create(acting_user=worker, user=worker, name="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = _json(
        client,
        "post",
        "/api/inquiries",
        {"caller_name": "Marie", "monthly_income": "300.00", "shelter_cost": "800"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["prescreen_result"] == "likely_eligible"
    assert body["monthly_income"] == "300.00"
    assert body["monthly_income_cents"] == 30_000
    starts = timezone.localtime() + dt.timedelta(days=1)
    starts = starts.replace(hour=10, minute=0, second=0, microsecond=0)
    response = _json(
        client,
        "post",
        "/api/appointments",
        {"caseworker_id": worker.pk, "starts_at": starts.isoformat(), "inquiry_id": body["id"]},
    )
    assert response.status_code == 201, response.json()

    response = _json(client, "post", "/api/applications", {"person_id": person.pk})
    assert response.status_code == 201
    app = response.json()
    response = _json(
        client,
        "patch",
        f"/api/applications/{app['id']}",
        {
            "expected_version": app["version"],
            "shelter_type": "rent",
            "shelter_cost": "800.00",
            "consent_to_verification": True,
            "incomes": [
                {"person_id": person.pk, "income_type": "earnings", "monthly_amount": "300.00"}
            ],
        },
    )
    assert response.status_code == 200, response.json()
    app = response.json()
    assert app["shelter_cost"] == "800.00"
    assert app["shelter_cost_cents"] == 80_000
    assert app["incomes"][0]["monthly_amount_cents"] == 30_000
    response = client.post(
        f"/api/cases/{app['benefit_unit_id']}/documents",
        {"file": SimpleUploadedFile("id.pdf", PDF, "application/pdf"), "title": "ID card"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "application/pdf"

    response = _json(client, "post", f"/api/applications/{app['id']}/determinations", {})
    assert response.status_code == 201
    determination = response.json()
    # Proofs are still pending: the rules are not run, and the page says what is missing.
    assert determination["result"] == "insufficient_information"
    assert any("proof" in m for m in determination["missing_information"])
    assert _json(client, "get", f"/api/determinations/{determination['id']}").status_code == 200


def test_api_decision_grants_and_returns_money_as_text_and_cents(
    caseworker: Any, person: Person
) -> None:
    from caseworks.eligibility.tests.test_services import complete_application  # noqa: PLC0415

    application = complete_application(caseworker, person)
    client = _client(caseworker)
    determination = _json(
        client, "post", f"/api/applications/{application.pk}/determinations", {}
    ).json()
    assert determination["result"] == "eligible"
    assert determination["payment"] == "433.00"
    assert determination["payment_cents"] == 43_300
    assert determination["explanation"][0]["citation"]
    response = _json(
        client,
        "post",
        f"/api/determinations/{determination['id']}/decision",
        {"outcome": "grant", "effective_on": "2026-01-15"},
    )
    assert response.status_code == 201, response.json()
    decision = response.json()
    assert decision["status"] == "final"
    assert decision["first_payment_month"] == "2026-01-01"
    assert decision["notice_fr_id"]
    assert _json(client, "get", f"/api/decisions/{decision['id']}").json()["payment"] == "433.00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"shelter_cost": "-5.00"}, "shelter_cost"),
        ({"shelter_cost": "12.345"}, "shelter_cost"),
        ({"shelter_cost": 12.5}, "shelter_cost"),
        ({"shelter_type": "castle"}, "shelter_type"),
        (
            {"incomes": [{"person_id": 1, "income_type": "earnings", "monthly_amount": "-1"}]},
            "incomes[0].monthly_amount",
        ),
        (
            {"incomes": [{"person_id": 1, "income_type": "lottery", "monthly_amount": "10"}]},
            "incomes[0].income_type",
        ),
    ],
)
def test_application_patch_refuses_bad_input_with_422_naming_the_field_and_saves_nothing(
    caseworker: Any, application: Application, person: Person, payload: dict, field: str
) -> None:
    for income in payload.get("incomes", []):
        income["person_id"] = person.pk
    response = _json(_client(caseworker), "patch", f"/api/applications/{application.pk}", payload)
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["detail"]]
    assert any(f and f.startswith(field) for f in fields), fields
    version = application.version
    application.refresh_from_db()
    assert application.version == version
    assert application.shelter_type == ""
    assert IncomeSource.objects.count() == 0


def test_application_patch_returns_409_when_version_is_stale(
    caseworker: Any, application: Application
) -> None:
    response = _json(
        _client(caseworker),
        "patch",
        f"/api/applications/{application.pk}",
        {"expected_version": application.version + 5, "city": "Sudbury"},
    )
    assert response.status_code == 409


def test_member_create_refuses_impossible_date_and_unknown_role(
    caseworker: Any, application: Application
) -> None:
    client = _client(caseworker)
    people = Person.objects.count()
    url = f"/api/applications/{application.pk}/members"
    bad_date = _json(
        client,
        "post",
        url,
        {"first_name": "L", "last_name": "G", "date_of_birth": "2026-02-30", "role": "spouse"},
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"][0]["field"] == "date_of_birth"
    bad_role = _json(
        client,
        "post",
        url,
        {"first_name": "L", "last_name": "G", "date_of_birth": "2020-02-28", "role": "cousin"},
    )
    assert bad_role.status_code == 422
    assert bad_role.json()["detail"][0]["field"] == "role"
    assert Person.objects.count() == people
    ok = _json(
        client,
        "post",
        url,
        {
            "first_name": "Léa",
            "last_name": "G",
            "date_of_birth": "2020-02-28",
            "role": "dependant_child",
        },
    )
    assert ok.status_code == 201
    assert BenefitUnitMember.objects.filter(person__first_name="Léa").exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("virus.pdf", EXE, "bad_type"), ("big.pdf", PDF + b"\x00" * (10 * 1024 * 1024), "too_large")],
)
def test_document_upload_refuses_wrong_type_or_oversized_file(
    caseworker: Any, application: Application, name: str, content: bytes, code: str
) -> None:
    response = _client(caseworker).post(
        f"/api/cases/{application.benefit_unit_id}/documents",
        {"file": SimpleUploadedFile(name, content, "application/pdf"), "title": "Proof"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "field": "file",
        "message": response.json()["detail"][0]["message"],
        "code": code,
    }
    assert Document.objects.count() == 0


def test_inquiry_refuses_negative_amount_and_float(users: dict[str, Any]) -> None:
    client = _client(users[Role.INTAKE_CLERK])
    negative = _json(client, "post", "/api/inquiries", {"caller_name": "X", "assets": "-1"})
    assert negative.status_code == 422
    assert negative.json()["detail"][0]["field"] == "assets"
    as_float = _json(client, "post", "/api/inquiries", {"caller_name": "X", "assets": 10.5})
    assert as_float.status_code == 422
    assert Inquiry.objects.count() == 0


def test_appointment_double_booking_is_refused(users: dict[str, Any]) -> None:
    client = _client(users[Role.INTAKE_CLERK])
    worker = users[Role.CASEWORKER]
    starts = (timezone.localtime() + dt.timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    data = {"caseworker_id": worker.pk, "starts_at": starts.isoformat()}
    assert _json(client, "post", "/api/appointments", data).status_code == 201
    again = _json(client, "post", "/api/appointments", data)
    assert again.status_code == 422
    assert again.json()["detail"][0]["code"] == "double_booking"
    assert Appointment.objects.count() == 1


# --- Refusals: another partner (404) and roles without the capability (403) ------------------


def _endpoints(application: Application, determination: Any, decision: Any) -> list[tuple]:
    return [
        ("get", f"/api/applications/{application.pk}", None),
        ("patch", f"/api/applications/{application.pk}", {"city": "X"}),
        (
            "post",
            f"/api/applications/{application.pk}/members",
            {"first_name": "A", "last_name": "B", "date_of_birth": "2020-01-01", "role": "spouse"},
        ),
        ("post", f"/api/applications/{application.pk}/determinations", {}),
        ("get", f"/api/determinations/{determination.pk}", None),
        ("post", f"/api/determinations/{determination.pk}/decision", {"outcome": "deny"}),
        ("get", f"/api/decisions/{decision.pk}", None),
    ]


@pytest.fixture
def other_partner_records(other_partner: Any, other_caseworker: Any) -> tuple:
    from caseworks.eligibility.services import decision_make, determination_run  # noqa: PLC0415
    from caseworks.eligibility.tests.test_services import complete_application  # noqa: PLC0415

    person = PersonFactory(delivery_partner=other_partner)
    application = complete_application(other_caseworker, person)
    determination = determination_run(acting_user=other_caseworker, application=application)
    decision = decision_make(
        acting_user=other_caseworker,
        determination=determination,
        outcome="deny",
        override_reason="Test override",
    )
    return application, determination, decision


def test_endpoints_answer_404_for_another_partners_records(
    caseworker: Any, other_partner_records: tuple
) -> None:
    application, determination, decision = other_partner_records
    client = _client(caseworker)
    before = (Determination.objects.count(), Decision.objects.count(), Person.objects.count())
    for method, url, data in _endpoints(application, determination, decision):
        response = _json(client, method, url, data)
        assert response.status_code == 404, (method, url, response.content)
    upload = client.post(
        f"/api/cases/{application.benefit_unit_id}/documents",
        {"file": SimpleUploadedFile("a.pdf", PDF), "title": "T"},
    )
    assert upload.status_code == 404
    assert (Determination.objects.count(), Decision.objects.count(), Person.objects.count()) == (
        before
    )
    assert not ClientFileAccess.objects.filter(user=caseworker).exists()


@pytest.mark.parametrize("role", [Role.PARTNER_ADMIN, Role.PROVIDER, Role.MINISTRY_ANALYST])
def test_endpoints_answer_403_for_roles_without_the_capability(
    users: dict[str, Any], role: str, other_partner_records: tuple, partner: Any
) -> None:
    from caseworks.eligibility.tests.test_services import complete_application  # noqa: PLC0415

    worker = users[Role.CASEWORKER]
    application = complete_application(worker, PersonFactory(delivery_partner=partner))
    from caseworks.eligibility.services import decision_make, determination_run  # noqa: PLC0415

    determination = determination_run(acting_user=worker, application=application)
    decision = decision_make(acting_user=worker, determination=determination, outcome="grant")
    client = _client(users[role])
    for method, url, data in _endpoints(application, determination, decision):
        response = _json(client, method, url, data)
        assert response.status_code == 403, (method, url)
    for url, data in (
        ("/api/inquiries", {"caller_name": "X"}),
        ("/api/appointments", {"caseworker_id": worker.pk, "starts_at": "2030-01-01T10:00Z"}),
        ("/api/applications", {"person_id": 1}),
    ):
        assert _json(client, "post", url, data).status_code == 403, url


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        (Role.AUDITOR, "patch", "app"),
        (Role.INTAKE_CLERK, "patch", "app"),
        (Role.INTAKE_CLERK, "post", "run"),
        (Role.EMPLOYMENT_CASEWORKER, "post", "run"),
        (Role.AUDITOR, "post", "upload"),
    ],
)
def test_write_endpoints_answer_403_for_read_only_roles(
    users: dict[str, Any], application: Application, role: str, method: str, path: str
) -> None:
    client = _client(users[role])
    if path == "upload":
        response = client.post(
            f"/api/cases/{application.benefit_unit_id}/documents",
            {"file": SimpleUploadedFile("a.pdf", PDF), "title": "T"},
        )
    else:
        url = {
            "app": f"/api/applications/{application.pk}",
            "run": f"/api/applications/{application.pk}/determinations",
        }[path]
        response = _json(client, method, url, {"city": "X"} if path == "app" else {})
    assert response.status_code == 403


def test_endpoints_answer_401_without_credentials(application: Application) -> None:
    assert Client().get(f"/api/applications/{application.pk}").status_code == 401
    assert _json(Client(), "post", "/api/inquiries", {"caller_name": "X"}).status_code == 401


def test_api_refuses_far_future_appointment_huge_amount_and_early_benefit_month(
    users: dict[str, Any], application: Application
) -> None:
    clerk = _client(users[Role.INTAKE_CLERK])
    far = _json(
        clerk,
        "post",
        "/api/appointments",
        {"caseworker_id": users[Role.CASEWORKER].pk, "starts_at": "9999-12-31T23:00:00Z"},
    )
    assert far.status_code == 422
    assert far.json()["detail"][0]["field"] == "starts_at"
    huge = _json(clerk, "post", "/api/inquiries", {"caller_name": "X", "assets": "1e30"})
    assert huge.status_code == 422
    assert huge.json()["detail"][0]["field"] == "assets"
    worker = _client(users[Role.CASEWORKER])
    early = _json(
        worker,
        "post",
        f"/api/applications/{application.pk}/determinations",
        {"benefit_month": "0001-01-01"},
    )
    assert early.status_code == 422
    assert early.json()["detail"][0]["field"] == "benefit_month"
    assert not Determination.objects.exists()
