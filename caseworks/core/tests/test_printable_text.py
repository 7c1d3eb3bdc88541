"""Names and addresses a bank file or a letter cannot carry are refused where they are entered.

Reproduction (issue 12): a client last name containing CR/LF was accepted and split the
partner's CPA-005 file into records of 110, 11 and 1339 bytes, one starting with "Z".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseworks.applications.forms import ApplicationForm, InquiryForm, MemberCreateForm
from caseworks.applications.services import application_start
from caseworks.clients.forms import PersonForm
from caseworks.clients.models import Person
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.validators import bank_ascii, printable_name_error
from caseworks.employment.forms import ProviderForm
from caseworks.payments.forms import BankAccountForm, CircumstancesForm

CRLF_NAME = "Smith\r\nZ000000004"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_printable_name_accepts_accented_and_hyphenated_names_when_typed() -> None:
    for name in ("Côté-Lévesque", "O’Brien", "Nguyễn", "Müller", "Łukasz Øvergård", "St. John"):
        assert printable_name_error(name) is None, name
    assert bank_ascii("Łukasz Øvergård Straße") == "LUKASZ OVERGARD STRASSE"


@pytest.mark.parametrize(
    "value",
    ["Smith\r\nJones", "Smith\nJones", "Tab\tName", "Nul\x00", "Zero\u200bWidth", "A\u202eB"],
)
def test_printable_name_refuses_control_and_invisible_characters_when_typed(value: str) -> None:
    message = printable_name_error(value)
    assert message is not None
    assert "control characters" in message


def test_printable_name_refuses_characters_a_bank_file_cannot_carry_when_typed() -> None:
    assert printable_name_error("Smith; DROP") is not None
    assert printable_name_error("王小明") is not None


@pytest.mark.parametrize(
    ("form_class", "field", "kwargs"),
    [
        (PersonForm, "last_name", {}),
        (PersonForm, "first_name", {}),
        (PersonForm, "address_line", {}),
        (InquiryForm, "caller_name", {}),
        (ApplicationForm, "address_line", {}),
        (MemberCreateForm, "last_name", {}),
        (BankAccountForm, "holder_name", {}),
        (CircumstancesForm, "city", {}),
        (ProviderForm, "name", {}),
    ],
)
def test_crlf_name_refused_by_every_entry_form_when_typed(
    form_class: Any, field: str, kwargs: dict[str, Any]
) -> None:
    form = form_class(data={field: "Smi\r\nth"}, **kwargs)
    form.is_valid()
    assert field in form.errors, (form_class.__name__, form.errors)
    assert "control characters" in str(form.errors[field])


@pytest.mark.django_db
def test_crlf_last_name_refused_by_client_create_api_when_posted(caseworker: Any) -> None:
    response = _client(caseworker).post(
        "/api/clients",
        {"first_name": "Ana", "last_name": CRLF_NAME, "date_of_birth": "1988-02-03"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_crlf_last_name_refused_by_client_update_api_when_patched(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, last_name="Roy")
    response = _client(caseworker).patch(
        f"/api/clients/{person.pk}", {"last_name": CRLF_NAME}, content_type="application/json"
    )
    assert response.status_code == 422
    person.refresh_from_db()
    assert person.last_name == "Roy"


@pytest.mark.django_db
def test_crlf_name_refused_by_application_member_api_when_posted(
    partner: Any, caseworker: Any
) -> None:
    application = application_start(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    people = Person.objects.count()
    response = _client(caseworker).post(
        f"/api/applications/{application.pk}/members",
        {
            "first_name": "Lou",
            "last_name": CRLF_NAME,
            "date_of_birth": "2010-02-03",
            "role": "child",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_crlf_address_refused_by_application_patch_api_when_sent(
    partner: Any, caseworker: Any
) -> None:
    application = application_start(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    response = _client(caseworker).patch(
        f"/api/applications/{application.pk}",
        {"address_line": "1 Main St\r\nZ", "expected_version": application.version},
        content_type="application/json",
    )
    assert response.status_code == 422


@pytest.mark.django_db
def test_crlf_caller_name_refused_by_inquiry_api_when_posted(caseworker: Any) -> None:
    response = _client(caseworker).post(
        "/api/inquiries",
        {"caller_name": CRLF_NAME, "adults": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
