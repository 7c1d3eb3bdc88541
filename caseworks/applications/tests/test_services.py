from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.constants import PrescreenResult
from caseworks.applications.models import Application, Appointment, Asset, IncomeSource, Inquiry
from caseworks.applications.services import (
    ApplicationFacts,
    AssetFacts,
    IncomeFacts,
    application_member_add,
    application_start,
    application_submit,
    application_update,
    appointment_book,
    inquiry_record,
)
from caseworks.cases.models import BenefitUnitMember
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError, ConflictError
from caseworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(partner: Any) -> Any:
    return UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner)


def test_inquiry_record_prescreens_likely_eligible_when_no_income(clerk: Any) -> None:
    inquiry = inquiry_record(acting_user=clerk, caller_name="Sam Caller", shelter_cost_cents=90_000)
    assert inquiry.prescreen_result == PrescreenResult.LIKELY_ELIGIBLE
    assert inquiry.prescreen_snapshot["output"]["payment"] == "733.00"
    assert AuditEvent.objects.filter(event_type="inquiry_recorded").count() == 1


def test_inquiry_record_prescreens_likely_ineligible_when_assets_over_limit(clerk: Any) -> None:
    inquiry = inquiry_record(acting_user=clerk, caller_name="Sam Caller", assets_cents=1_000_001)
    assert inquiry.prescreen_result == PrescreenResult.LIKELY_INELIGIBLE
    codes = [r["code"] for r in inquiry.prescreen_snapshot["output"]["ineligibility_reasons"]]
    assert "assets_over_limit" in codes


def test_inquiry_record_refuses_negative_income_and_saves_nothing(clerk: Any) -> None:
    with pytest.raises(ApplicationError) as err:
        inquiry_record(acting_user=clerk, caller_name="Sam", monthly_income_cents=-1)
    assert err.value.field == "monthly_income_cents"
    assert not Inquiry.objects.exists()


def test_appointment_book_refuses_double_booking(clerk: Any, caseworker: Any) -> None:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    appointment_book(acting_user=clerk, caseworker=caseworker, starts_at=start)
    with pytest.raises(ApplicationError) as err:
        appointment_book(
            acting_user=clerk,
            caseworker=caseworker,
            starts_at=start + dt.timedelta(minutes=30),
            duration_minutes=30,
        )
    assert err.value.code == "double_booking"
    assert Appointment.objects.count() == 1
    # Back to back is fine.
    appointment_book(
        acting_user=clerk, caseworker=caseworker, starts_at=start + dt.timedelta(hours=1)
    )
    assert Appointment.objects.count() == 2


def test_appointment_book_refuses_other_partners_caseworker(
    clerk: Any, other_caseworker: Any
) -> None:
    with pytest.raises(ApplicationError) as err:
        appointment_book(
            acting_user=clerk,
            caseworker=other_caseworker,
            starts_at=timezone.now() + dt.timedelta(days=1),
        )
    assert err.value.field == "caseworker"


def test_application_update_refuses_negative_amount_and_keeps_everything(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = application_start(acting_user=caseworker, applicant=person)
    application = application_update(
        acting_user=caseworker,
        application=application,
        facts=ApplicationFacts(
            shelter_type="rent",
            shelter_cost_cents=50_000,
            incomes=[IncomeFacts(person_id=person.pk, income_type="cpp", monthly_amount_cents=100)],
        ),
    )
    version = application.version
    with pytest.raises(ApplicationError) as err:
        application_update(
            acting_user=caseworker,
            application=application,
            facts=ApplicationFacts(
                shelter_cost_cents=70_000,
                incomes=[],
                assets=[AssetFacts(asset_type="cash", value_cents=-5)],
            ),
        )
    assert err.value.field == "assets[0].value_cents"
    application.refresh_from_db()
    assert application.version == version
    assert application.shelter_cost_cents == 50_000
    assert IncomeSource.objects.filter(application=application).count() == 1
    assert not Asset.objects.exists()


def test_application_update_refuses_unknown_income_type(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = application_start(acting_user=caseworker, applicant=person)
    with pytest.raises(ApplicationError) as err:
        application_update(
            acting_user=caseworker,
            application=application,
            facts=ApplicationFacts(
                incomes=[
                    IncomeFacts(person_id=person.pk, income_type="lottery", monthly_amount_cents=1)
                ]
            ),
        )
    assert err.value.field == "incomes[0].income_type"


def test_application_update_refuses_stale_version(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = application_start(acting_user=caseworker, applicant=person)
    seen = application.version
    application_update(
        acting_user=caseworker, application=application, facts=ApplicationFacts(city="Sudbury")
    )
    with pytest.raises(ConflictError):
        application_update(
            acting_user=caseworker,
            application=application,
            facts=ApplicationFacts(city="Timmins"),
            expected_version=seen,
        )
    application.refresh_from_db()
    assert application.city == "Sudbury"


def test_application_member_add_refuses_unknown_role_and_changes_nothing(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    child = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(2020, 1, 1))
    application = application_start(acting_user=caseworker, applicant=person)
    with pytest.raises(ApplicationError) as err:
        application_member_add(
            acting_user=caseworker, application=application, person=child, role="cousin"
        )
    assert err.value.field == "role"
    assert not BenefitUnitMember.objects.filter(person=child).exists()
    member = application_member_add(
        acting_user=caseworker, application=application, person=child, role="dependant_child"
    )
    assert member.role == "dependant"
    assert application.verifications.filter(person=child).count() == 3


def test_application_submit_requires_consent(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = application_start(acting_user=caseworker, applicant=person)
    with pytest.raises(ApplicationError) as err:
        application_submit(acting_user=caseworker, application=application)
    assert err.value.field == "consent_to_verification"
    assert Application.objects.get().status == "draft"
