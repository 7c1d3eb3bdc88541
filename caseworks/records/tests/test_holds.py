"""Legal holds: placed and lifted by supervisors and partner administrators of the file's own
delivery partner, with a reason, audited; the page shows case numbers, never client names."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.tests.factories import make_case
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.records.models import LegalHold, PurgedFile
from caseworks.records.services import legal_hold_lift, legal_hold_place

pytestmark = pytest.mark.django_db

URL = "/records/legal-holds/"


@pytest.fixture
def case(partner: Any, caseworker: Any) -> Any:
    return make_case(partner=partner, caseworker=caseworker, first_name="Nadia", last_name="Roy")


def test_place_and_lift_are_audited_with_who_why_and_when(case: Any, users: dict[str, Any]) -> None:
    supervisor = users[Role.SUPERVISOR]
    hold = legal_hold_place(acting_user=supervisor, benefit_unit=case, reason=" Appeal SBT-1 ")
    assert (hold.reason, hold.placed_by, hold.is_active) == ("Appeal SBT-1", supervisor, True)
    placed = AuditEvent.objects.get(event_type=AuditEventType.LEGAL_HOLD_PLACED)
    assert (placed.benefit_unit_id, placed.acting_user) == (case.pk, supervisor)
    assert placed.extra_data == {"new": {"reason": "Appeal SBT-1"}}
    admin = users[Role.PARTNER_ADMIN]
    lifted = legal_hold_lift(acting_user=admin, hold=hold, reason="Appeal decided")
    assert (lifted.lifted_by, lifted.lift_reason, lifted.is_active) == (
        admin,
        "Appeal decided",
        False,
    )
    assert lifted.history.count() == 2
    event = AuditEvent.objects.get(event_type=AuditEventType.LEGAL_HOLD_LIFTED)
    assert event.extra_data["new"] == {"lift_reason": "Appeal decided"}
    with pytest.raises(ApplicationError, match="already lifted"):
        legal_hold_lift(acting_user=admin, hold=hold, reason="again")


def test_refusals_change_nothing(
    case: Any, users: dict[str, Any], other_partner: Any, caseworker: Any
) -> None:
    supervisor = users[Role.SUPERVISOR]
    with pytest.raises(PermissionDeniedError):
        legal_hold_place(acting_user=caseworker, benefit_unit=case, reason="x")
    other = UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner)
    with pytest.raises(ApplicationError, match="another delivery partner"):
        legal_hold_place(acting_user=other, benefit_unit=case, reason="x")
    with pytest.raises(ApplicationError) as err:
        legal_hold_place(acting_user=supervisor, benefit_unit=case, reason="  ")
    assert err.value.field == "reason"
    assert not LegalHold.objects.exists()
    hold = legal_hold_place(acting_user=supervisor, benefit_unit=case, reason="Claim")
    with pytest.raises(ApplicationError, match="already under a legal hold"):
        legal_hold_place(acting_user=supervisor, benefit_unit=case, reason="Claim 2")
    with pytest.raises(ApplicationError) as err:
        legal_hold_lift(acting_user=supervisor, hold=hold, reason="")
    assert err.value.field == "lift_reason"
    assert LegalHold.objects.get().is_active
    assert AuditEvent.objects.filter(event_type=AuditEventType.LEGAL_HOLD_PLACED).count() == 1


def test_a_purged_file_cannot_be_held(case: Any, users: dict[str, Any]) -> None:
    PurgedFile.objects.create(
        benefit_unit=case,
        delivery_partner_id=case.delivery_partner_id,
        as_of=case.opened_on,
        closed_on=case.opened_on,
        retention_years=7,
    )
    with pytest.raises(ApplicationError) as err:
        legal_hold_place(acting_user=users[Role.SUPERVISOR], benefit_unit=case, reason="x")
    assert err.value.code == "purged"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SUPERVISOR, 200),
        (Role.PARTNER_ADMIN, 200),
        (Role.CASEWORKER, 403),
        (Role.AUDITOR, 403),
        (Role.MINISTRY_ANALYST, 403),
    ],
)
def test_page_is_for_supervisors_and_partner_admins(
    client: Client, users: dict[str, Any], role: str, status: int
) -> None:
    client.force_login(users[role])
    assert client.get(URL).status_code == status
    assert reverse("records:legal_holds") == URL
    # The navigation links to the page exactly for the roles that may use it.
    assert (f'href="{URL}"' in client.get("/").content.decode()) == (status == 200)


def test_page_places_and_lifts_a_hold_by_case_number(
    client: Client, users: dict[str, Any], case: Any
) -> None:
    client.force_login(users[Role.SUPERVISOR])
    response = client.post(
        URL, {"action": "place", "case_number": case.case_number, "reason": "Appeal SBT-9"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    page = client.get(URL).content.decode()
    assert case.case_number in page
    assert "Appeal SBT-9" in page
    assert "Nadia" not in page  # no client names on this page
    response = client.post(
        URL, {"action": "lift", "hold_id": hold.pk, "lift_reason": "Appeal withdrawn"}
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lift_reason == "Appeal withdrawn"


def test_page_refuses_another_partners_case_and_hold(
    client: Client, users: dict[str, Any], case: Any, other_partner: Any
) -> None:
    hold = legal_hold_place(acting_user=users[Role.SUPERVISOR], benefit_unit=case, reason="Claim")
    client.force_login(UserFactory(role=Role.SUPERVISOR, delivery_partner=other_partner))
    response = client.post(URL, {"action": "place", "case_number": case.case_number, "reason": "x"})
    assert response.status_code == 200
    assert "No case of your office has this number." in response.content.decode()
    response = client.post(URL, {"action": "lift", "hold_id": hold.pk, "lift_reason": "x"})
    assert response.status_code == 404
    assert LegalHold.objects.get().is_active
    assert case.case_number not in client.get(URL).content.decode()
