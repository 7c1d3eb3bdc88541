"""The admin: partners and offices saved through the services; records that must not change
are read-only; a client's full SIN is never shown and opening the file is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.models import User
from caseworks.accounts.tests.factories import UserFactory
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.services import person_create
from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner, Office


@pytest.fixture
def admin_client(db: Any) -> Client:
    user = UserFactory(role="", delivery_partner=None, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_admin_partner_add_creates_first_nation_with_audit_when_form_valid(
    admin_client: Client,
) -> None:
    response = admin_client.post(
        reverse("admin:partners_deliverypartner_add"),
        {
            "code": "",
            "name": "Example First Nation",
            "name_fr": "",
            "kind": PartnerKind.FIRST_NATION,
            "region": "North",
            "notes": "",
            "source": "Test",
            # The (read-only) offices inline still sends its management form.
            "offices-TOTAL_FORMS": "0",
            "offices-INITIAL_FORMS": "0",
            "offices-MIN_NUM_FORMS": "0",
            "offices-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner = DeliveryPartner.objects.get(name="Example First Nation")
    assert partner.code == "example-first-nation"
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.DELIVERY_PARTNER_CREATED, delivery_partner=partner
        ).count()
        == 1
    )


def test_admin_office_add_shows_service_error_when_name_taken(
    admin_client: Client, partner: Any
) -> None:
    Office.objects.create(delivery_partner=partner, name="Main")
    response = admin_client.post(
        reverse("admin:partners_office_add"),
        {"delivery_partner": partner.pk, "name": "Main", "_save": "Save"},
    )
    assert response.status_code == 200
    assert Office.objects.filter(delivery_partner=partner).count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_CREATED).exists()


def test_admin_has_no_user_add_page_staff_come_by_invitation(
    admin_client: Client, partner: Any
) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new.clerk",
            "role": Role.INTAKE_CLERK,
            "delivery_partner": partner.pk,
            "password1": "Another-Long-Passphrase-77",
            "password2": "Another-Long-Passphrase-77",
            "_save": "Save",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="new.clerk").exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:core_auditevent_add",
        "admin:clients_person_add",
        "admin:clients_clientfileaccess_add",
        "admin:cases_benefitunit_add",
        "admin:accounts_apitoken_add",
    ],
)
def test_admin_refuses_add_when_model_is_read_only(admin_client: Client, url_name: str) -> None:
    assert admin_client.get(reverse(url_name)).status_code == 403


def test_admin_person_masks_sin_and_logs_access_when_opened(
    admin_client: Client, caseworker: Any
) -> None:
    person = person_create(
        acting_user=caseworker,
        first_name="Ada",
        last_name="Example",
        date_of_birth=dt.date(1990, 1, 2),
        sin="046454286",
    )
    response = admin_client.get(reverse("admin:clients_person_change", args=[person.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "046454286" not in page
    assert "*** *** 286" in page
    assert ClientFileAccess.objects.filter(person=person, channel="admin").count() == 1
    listing = admin_client.get(reverse("admin:clients_person_changelist")).content.decode()
    assert "046454286" not in listing
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:partners_deliverypartner_changelist",
        "admin:partners_office_changelist",
        "admin:accounts_user_changelist",
        "admin:core_auditevent_changelist",
        "admin:cases_benefitunit_changelist",
    ],
)
def test_admin_changelist_renders_when_superuser(admin_client: Client, url_name: str) -> None:
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_admin_refused_when_staff_member_is_not_django_staff(db: Any, partner: Any) -> None:
    user = UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=partner)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:partners_deliverypartner_changelist"))
    assert response.status_code == 302  # to the admin login


def test_admin_partner_change_audits_old_and_new_when_region_edited(
    admin_client: Client, partner: Any
) -> None:
    response = admin_client.post(
        reverse("admin:partners_deliverypartner_change", args=[partner.pk]),
        {
            "name": partner.name,
            "name_fr": "",
            "kind": partner.kind,
            "region": "Northern Ontario",
            "notes": "",
            "source": "",
            "is_active": "on",
            "offices-TOTAL_FORMS": "0",
            "offices-INITIAL_FORMS": "0",
            "offices-MIN_NUM_FORMS": "0",
            "offices-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.region == "Northern Ontario"
    event = AuditEvent.objects.get(event_type=AuditEventType.DELIVERY_PARTNER_UPDATED)
    assert event.extra_data["changes"] == {"region": {"old": "", "new": "Northern Ontario"}}


def test_admin_office_add_creates_office_with_audit_when_form_valid(
    admin_client: Client, partner: Any
) -> None:
    response = admin_client.post(
        reverse("admin:partners_office_add"),
        {"delivery_partner": partner.pk, "name": "East Office", "city": "Kingston"},
    )
    assert response.status_code == 302
    office = Office.objects.get(delivery_partner=partner, name="East Office")
    assert office.city == "Kingston"
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.OFFICE_CREATED, subject_id=str(office.pk)
        ).count()
        == 1
    )
