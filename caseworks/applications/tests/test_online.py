"""The online application (issue 17): validation naming the field, replay safety, the rate limit
per address, the Ministry intake unit's queue (and no other partner's), the audit event, and
the registration pre-filled from the answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.constants import (
    ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR,
    InquiryChannel,
    PrescreenResult,
)
from caseworks.applications.models import Inquiry
from caseworks.applications.selectors import inquiry_get_for_user, inquiry_list_for_user
from caseworks.applications.services import (
    ChildAnswers,
    OnlineAnswers,
    inquiry_person_register,
    online_answers_registration,
    online_application_submit,
)
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.partners.constants import PartnerKind
from caseworks.partners.reference import MINISTRY_CODE
from caseworks.partners.tests.factories import DeliveryPartnerFactory

pytestmark = pytest.mark.django_db

KEY = "draft-key-0123456789abcdef"


@pytest.fixture
def ministry(db: Any) -> Any:
    return DeliveryPartnerFactory(
        code=MINISTRY_CODE, name="Ministry intake (test)", kind=PartnerKind.MINISTRY
    )


def _answers(**changes: Any) -> OnlineAnswers:
    answers = OnlineAnswers(
        first_name="Awa",
        last_name="Diallo",
        date_of_birth=dt.date(1990, 5, 17),
        phone="905-555-0199",
        email="",
        language="fr",
        address_line="12 rue King",
        city="Hamilton",
        postal_code="L8P 4R5",
        has_spouse=False,
        children=(ChildAnswers("Mariam", "Diallo", dt.date(2019, 3, 2)),),
        monthly_income_cents=20_000,
        assets_cents=5_000,
        shelter_cost_cents=95_000,
        urgent_needs=("no_food",),
        consent=True,
        declaration=True,
    )
    return dataclasses.replace(answers, **changes)


def test_submit_lands_in_the_ministry_queue_prescreened_and_audited(ministry: Any) -> None:
    inquiry = online_application_submit(
        answers=_answers(), draft_key=KEY, sender_address="203.0.113.7"
    )
    assert inquiry.delivery_partner_id == ministry.pk
    assert (inquiry.channel, inquiry.urgent, inquiry.recorded_by_id) == (
        InquiryChannel.ONLINE,
        True,
        None,
    )
    assert inquiry.reference.startswith("OW-")
    assert len(inquiry.reference) == 12
    assert (inquiry.adults, inquiry.children, inquiry.shelter_cost_cents) == (1, 1, 95_000)
    assert inquiry.prescreen_result == PrescreenResult.LIKELY_ELIGIBLE
    assert inquiry.online_answers["children"][0]["date_of_birth"] == "2019-03-02"
    assert inquiry.address_hash
    assert "203.0.113.7" not in inquiry.address_hash
    event = AuditEvent.objects.get(subject_id=str(inquiry.pk))
    assert (event.event_type, event.acting_user_id, event.delivery_partner_id) == (
        AuditEventType.INQUIRY_RECORDED,
        None,
        ministry.pk,
    )
    assert event.extra_data["channel"] == "online"
    assert event.extra_data["reference"] == inquiry.reference
    assert inquiry.history.count() == 1


def test_the_same_draft_twice_is_one_inquiry_with_one_reference(ministry: Any) -> None:
    first = online_application_submit(answers=_answers(), draft_key=KEY, sender_address="1.2.3.4")
    again = online_application_submit(answers=_answers(), draft_key=KEY, sender_address="1.2.3.4")
    assert again.pk == first.pk
    assert again.reference == first.reference
    assert Inquiry.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.INQUIRY_RECORDED).count() == 1


def test_an_address_sending_too_many_is_refused_and_nothing_saved(ministry: Any) -> None:
    for n in range(ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR):
        online_application_submit(
            answers=_answers(), draft_key=f"{KEY}-{n}", sender_address="198.51.100.9"
        )
    with pytest.raises(ApplicationError) as refused:
        online_application_submit(
            answers=_answers(), draft_key=f"{KEY}-x", sender_address="198.51.100.9"
        )
    assert refused.value.code == "too_many"
    assert Inquiry.objects.count() == ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR
    # Another address is not held back.
    online_application_submit(answers=_answers(), draft_key=f"{KEY}-y", sender_address="10.0.0.1")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": " "}, "first_name"),
        ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
        ({"phone": "", "email": ""}, "phone"),
        ({"postal_code": "D1A 1A1"}, "postal_code"),
        ({"has_spouse": True}, "spouse_first_name"),
        (
            {"children": (ChildAnswers("", "Diallo", dt.date(2019, 3, 2)),)},
            "children.0.first_name",
        ),
        ({"shelter_cost_cents": -1}, "shelter_cost_cents"),
        ({"urgent_needs": ("lottery",)}, "urgent_needs"),
        ({"consent": False}, "consent"),
        ({"declaration": False}, "declaration"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(
    ministry: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        online_application_submit(
            answers=_answers(**changes), draft_key=KEY, sender_address="1.2.3.4"
        )
    assert refused.value.field == field
    assert not Inquiry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_no_ministry_intake_unit_refuses_without_saving(partner: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        online_application_submit(answers=_answers(), draft_key=KEY, sender_address="1.2.3.4")
    assert refused.value.code == "no_intake_unit"
    assert not Inquiry.objects.exists()


def test_ministry_intake_staff_see_it_and_other_partners_do_not(
    ministry: Any, partner: Any
) -> None:
    inquiry = online_application_submit(answers=_answers(), draft_key=KEY, sender_address="1.2.3.4")
    ministry_clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=ministry)
    local_clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner)
    assert [i.pk for i in inquiry_list_for_user(user=ministry_clerk)] == [inquiry.pk]
    assert inquiry_list_for_user(user=local_clerk) == []
    with pytest.raises(Http404):
        inquiry_get_for_user(user=local_clerk, inquiry_id=inquiry.pk)


def test_urgent_online_applications_come_first_in_the_queue(ministry: Any) -> None:
    urgent = online_application_submit(answers=_answers(), draft_key=KEY, sender_address="1.2.3.4")
    later = online_application_submit(
        answers=_answers(urgent_needs=()), draft_key=f"{KEY}-2", sender_address="1.2.3.4"
    )
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=ministry)
    assert [i.pk for i in inquiry_list_for_user(user=clerk)] == [urgent.pk, later.pk]


def test_registration_is_prefilled_from_the_answers_and_links_the_person(ministry: Any) -> None:
    inquiry = online_application_submit(
        answers=_answers(email="awa@example.org"), draft_key=KEY, sender_address="1.2.3.4"
    )
    initial = online_answers_registration(inquiry)
    assert initial == {
        "first_name": "Awa",
        "last_name": "Diallo",
        "date_of_birth": "1990-05-17",
        "phone": "905-555-0199",
        "email": "awa@example.org",
        "language_preference": "fr",
        "address_line": "12 rue King",
        "city": "Hamilton",
        "postal_code": "L8P 4R5",
    }
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=ministry)
    values = {**initial, "date_of_birth": dt.date(1990, 5, 17)}
    person = inquiry_person_register(acting_user=clerk, inquiry=inquiry, **values)
    inquiry.refresh_from_db()
    assert inquiry.person_id == person.pk
    assert (person.postal_code, person.language_preference) == ("L8P 4R5", "fr")
