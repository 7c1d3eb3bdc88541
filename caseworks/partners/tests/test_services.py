from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.services import staff_user_create, staff_user_update
from caseworks.accounts.tests.factories import UserFactory
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.partners import services as partners_services
from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner, Office
from caseworks.partners.reference import MINISTRY_CODE, service_manager_rows
from caseworks.partners.services import (
    delivery_partner_create,
    delivery_partner_update,
    office_create,
    office_update,
)
from caseworks.partners.tests.factories import DeliveryPartnerFactory, OfficeFactory


@pytest.fixture
def superuser(db: Any) -> Any:
    return UserFactory(role="", delivery_partner=None, is_superuser=True, is_staff=True)


@pytest.fixture
def ministry_admin(db: Any) -> Any:
    ministry = DeliveryPartnerFactory(code="mccss-test", kind=PartnerKind.MINISTRY)
    return UserFactory(role=Role.PARTNER_ADMIN, delivery_partner=ministry)


def test_delivery_partner_create_registers_first_nation_with_audit_when_superuser(
    superuser: Any,
) -> None:
    partner = delivery_partner_create(
        acting_user=superuser, name="Test First Nation", kind=PartnerKind.FIRST_NATION
    )
    assert partner.code == "test-first-nation"
    assert partner.history.count() == 1
    event = AuditEvent.objects.get(event_type=AuditEventType.DELIVERY_PARTNER_CREATED)
    assert event.acting_user == superuser
    assert event.delivery_partner_id == partner.pk


def test_delivery_partner_create_allowed_when_ministry_staff_manager(ministry_admin: Any) -> None:
    partner = delivery_partner_create(
        acting_user=ministry_admin, name="Another Nation", kind=PartnerKind.FIRST_NATION
    )
    assert partner.pk


def test_delivery_partner_create_refused_when_partner_admin_of_a_municipality(
    users: dict[str, Any],
) -> None:
    with pytest.raises(PermissionDeniedError):
        delivery_partner_create(
            acting_user=users[Role.PARTNER_ADMIN], name="X Nation", kind="first_nation"
        )
    assert not DeliveryPartner.objects.filter(name="X Nation").exists()


def test_delivery_partner_create_refused_when_code_taken(superuser: Any, partner: Any) -> None:
    with pytest.raises(ApplicationError) as info:
        delivery_partner_create(acting_user=superuser, name="New", code=partner.code, kind="cmsm")
    assert info.value.field == "code"
    assert not AuditEvent.objects.exists()


def test_delivery_partner_create_refused_when_kind_unknown(superuser: Any) -> None:
    with pytest.raises(ApplicationError) as info:
        delivery_partner_create(acting_user=superuser, name="New", kind="county")
    assert info.value.field == "kind"


def test_delivery_partner_update_records_old_and_new_when_changed(
    superuser: Any, partner: Any
) -> None:
    delivery_partner_update(acting_user=superuser, partner=partner, data={"region": "North"})
    partner.refresh_from_db()
    assert partner.region == "North"
    event = AuditEvent.objects.get(event_type=AuditEventType.DELIVERY_PARTNER_UPDATED)
    assert event.extra_data["changes"]["region"] == {"old": "", "new": "North"}


def test_delivery_partner_update_writes_nothing_when_unchanged(
    superuser: Any, partner: Any
) -> None:
    delivery_partner_update(acting_user=superuser, partner=partner, data={"name": partner.name})
    assert not AuditEvent.objects.exists()


def test_office_create_allowed_when_partner_admin_of_same_partner(
    users: dict[str, Any], partner: Any
) -> None:
    office = office_create(
        acting_user=users[Role.PARTNER_ADMIN], delivery_partner=partner, name="North Office"
    )
    assert office.delivery_partner == partner
    assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_CREATED).count() == 1


def test_office_create_refused_when_other_partner(
    users: dict[str, Any], other_partner: Any
) -> None:
    with pytest.raises(PermissionDeniedError):
        office_create(
            acting_user=users[Role.PARTNER_ADMIN], delivery_partner=other_partner, name="X"
        )
    assert not Office.objects.exists()


def test_office_create_refused_when_caseworker(users: dict[str, Any], partner: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        office_create(acting_user=users[Role.CASEWORKER], delivery_partner=partner, name="X")


def test_office_create_refused_when_name_taken(users: dict[str, Any], partner: Any) -> None:
    OfficeFactory(delivery_partner=partner, name="Main")
    with pytest.raises(ApplicationError) as info:
        office_create(acting_user=users[Role.PARTNER_ADMIN], delivery_partner=partner, name="main")
    assert info.value.field == "name"


def test_office_update_audits_when_city_changes(users: dict[str, Any], partner: Any) -> None:
    office = OfficeFactory(delivery_partner=partner, city="Toronto")
    office_update(acting_user=users[Role.PARTNER_ADMIN], office=office, data={"city": "Ottawa"})
    office.refresh_from_db()
    assert office.city == "Ottawa"
    assert AuditEvent.objects.filter(event_type=AuditEventType.OFFICE_UPDATED).exists()


def test_staff_user_create_hashes_password_and_audits_when_the_system_opens_it(
    users: dict[str, Any], partner: Any
) -> None:
    # The system opens an account when an invitation is accepted (accounts.services).
    user = staff_user_create(
        acting_user=None,
        username="new.worker",
        password="a-long-enough-Passphrase-9",
        role=Role.CASEWORKER,
        delivery_partner=partner,
    )
    assert user.check_password("a-long-enough-Passphrase-9")
    assert "a-long-enough" not in user.password
    event = AuditEvent.objects.get(event_type=AuditEventType.USER_CREATED)
    assert event.extra_data["role"] == Role.CASEWORKER


def test_staff_user_create_refused_when_password_weak(users: dict[str, Any], partner: Any) -> None:
    with pytest.raises(ApplicationError) as info:
        staff_user_create(
            acting_user=None,
            username="weak",
            password="short",
            role=Role.CASEWORKER,
            delivery_partner=partner,
        )
    assert info.value.field == "password"


def test_staff_user_create_refused_when_partner_admin_creates_provincial_staff(
    users: dict[str, Any],
) -> None:
    with pytest.raises(PermissionDeniedError):
        staff_user_create(
            acting_user=users[Role.PARTNER_ADMIN],
            username="analyst",
            password="a-long-enough-Passphrase-9",
            role=Role.MINISTRY_ANALYST,
        )


def test_staff_user_create_refused_when_office_of_other_partner(
    superuser: Any, partner: Any, other_partner: Any
) -> None:
    with pytest.raises(ApplicationError) as info:
        staff_user_create(
            acting_user=superuser,
            username="misplaced",
            password="a-long-enough-Passphrase-9",
            role=Role.CASEWORKER,
            delivery_partner=partner,
            office=OfficeFactory(delivery_partner=other_partner),
        )
    assert info.value.field == "office"


def test_staff_user_update_records_role_change_when_role_changes(
    users: dict[str, Any],
) -> None:
    worker = users[Role.CASEWORKER]
    staff_user_update(
        acting_user=users[Role.PARTNER_ADMIN],
        user=worker,
        data={"role": Role.SUPERVISOR},
        role_change_approved=True,  # by the second approver (accounts.services)
    )
    worker.refresh_from_db()
    assert worker.role == Role.SUPERVISOR
    event = AuditEvent.objects.get(event_type=AuditEventType.USER_ROLE_CHANGED)
    assert event.extra_data["changes"]["role"]["new"] == Role.SUPERVISOR


def test_staff_user_update_refused_when_moving_staff_to_another_partner(
    users: dict[str, Any], other_partner: Any
) -> None:
    with pytest.raises(PermissionDeniedError):
        staff_user_update(
            acting_user=users[Role.PARTNER_ADMIN],
            user=users[Role.CASEWORKER],
            data={"delivery_partner": other_partner},
        )


def test_load_reference_data_creates_ministry_and_47_service_managers_when_empty(
    db: Any,
) -> None:
    call_command("load_reference_data", verbosity=0)
    assert DeliveryPartner.objects.filter(kind=PartnerKind.CMSM).count() == 37
    assert DeliveryPartner.objects.filter(kind=PartnerKind.DSSAB).count() == 10
    ministry = DeliveryPartner.objects.get(code=MINISTRY_CODE)
    assert ministry.kind == PartnerKind.MINISTRY
    assert "369/24" in ministry.source
    toronto = DeliveryPartner.objects.get(code="city-of-toronto")
    assert toronto.notes
    assert toronto.region
    assert toronto.source
    assert not toronto.is_demo


def test_load_reference_data_changes_nothing_when_run_twice(db: Any) -> None:
    call_command("load_reference_data", verbosity=0)
    events = AuditEvent.objects.count()
    history = DeliveryPartner.history.count()
    call_command("load_reference_data", verbosity=0)
    assert AuditEvent.objects.count() == events == 48
    assert DeliveryPartner.history.count() == history


def test_service_manager_rows_refused_when_counts_are_wrong(tmp_path: Any) -> None:
    bad = tmp_path / "sm.csv"
    bad.write_text("name,type,region,notes\nCity of Nowhere,CMSM,Somewhere,none\n")
    with pytest.raises(ValueError, match="expected 37 CMSMs and 10 DSSABs"):
        service_manager_rows(bad)


def test_service_manager_rows_refused_when_type_unknown(tmp_path: Any) -> None:
    bad = tmp_path / "sm.csv"
    bad.write_text("name,type,region,notes\nCity of Nowhere,COUNTY,Somewhere,none\n")
    with pytest.raises(ValueError, match="unknown type"):
        service_manager_rows(bad)


def test_partners_spell_the_staff_manage_capability_as_accounts_does() -> None:
    # partners sits below accounts in the app graph, so it names the capability by value.
    assert partners_services.STAFF_MANAGE == Capability.STAFF_MANAGE
