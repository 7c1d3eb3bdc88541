from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.cases.constants import CaseStatus, MemberRole, TransferKind
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseStatusChange
from caseworks.cases.selectors import benefit_unit_get_for_user
from caseworks.cases.services import (
    benefit_unit_create,
    benefit_unit_member_add,
    case_applicant,
    case_file_read_record,
    case_note_create,
    case_number_for,
    case_status_change,
    case_transfer,
)
from caseworks.cases.tests.factories import make_case
from caseworks.clients.models import ClientFileAccess
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.core.text import luhn_valid
from caseworks.partners.constants import PartnerKind
from caseworks.partners.tests.factories import DeliveryPartnerFactory

pytestmark = pytest.mark.django_db


def test_case_number_for_carries_a_luhn_check_digit() -> None:
    number = case_number_for(1234)
    assert number.startswith("CW00001234")
    assert luhn_valid(number[2:])


def test_benefit_unit_create_writes_audit_event_history_and_status_row(
    partner: Any, caseworker: Any
) -> None:
    applicant = PersonFactory(delivery_partner=partner)
    case = benefit_unit_create(acting_user=caseworker, applicant=applicant)
    assert case.status == CaseStatus.PENDING
    assert case.members.get().role == MemberRole.APPLICANT
    event = AuditEvent.objects.get(event_type="benefit_unit_created")
    assert event.acting_user == caseworker
    assert event.benefit_unit_id == case.pk
    assert case.history.count() >= 1
    assert case.history.first().history_user == caseworker
    assert CaseStatusChange.objects.filter(benefit_unit=case, to_status="pending").exists()


def test_case_status_change_refuses_invalid_transition_with_clear_message_and_no_change(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    events_before = AuditEvent.objects.count()
    history_before = case.history.count()
    with pytest.raises(ApplicationError) as err:
        case_status_change(
            acting_user=caseworker, benefit_unit=case, to_status=CaseStatus.SUSPENDED
        )
    assert err.value.field == "status"
    assert "cannot become" in err.value.message
    assert "Suspended" in err.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert AuditEvent.objects.count() == events_before
    assert case.history.count() == history_before


def test_case_status_change_grant_then_close_frees_members_for_another_case(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    case = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
    case = case_status_change(
        acting_user=caseworker, benefit_unit=case, to_status="closed", reason="Found employment"
    )
    assert case.closed_on is not None
    applicant = case.members.get().person
    second = benefit_unit_create(acting_user=caseworker, applicant=applicant)
    assert second.pk != case.pk


def test_person_cannot_be_on_two_current_cases(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    applicant = case.members.get().person
    with pytest.raises(ApplicationError) as err:
        benefit_unit_create(acting_user=caseworker, applicant=applicant)
    assert err.value.code == "already_on_case"
    assert BenefitUnit.objects.count() == 1


def test_stale_version_is_refused_not_overwritten(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    seen_version = case.version
    case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
    with pytest.raises(ConflictError):
        case_status_change(
            acting_user=caseworker,
            benefit_unit=case,
            to_status="denied",
            reason="x",
            expected_version=seen_version,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_member_add_refuses_adult_as_dependent_child(partner: Any, caseworker: Any) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    adult = PersonFactory(delivery_partner=partner, date_of_birth=dt.date(1980, 1, 1))
    with pytest.raises(ApplicationError) as err:
        benefit_unit_member_add(
            acting_user=caseworker,
            benefit_unit=case,
            person=adult,
            role=MemberRole.DEPENDANT_CHILD,
            start_on=case.opened_on,
        )
    assert err.value.field == "role"
    assert not BenefitUnitMember.objects.filter(person=adult).exists()


def test_employment_caseworker_cannot_change_status(partner: Any, users: dict[str, Any]) -> None:
    case = make_case(partner=partner)
    with pytest.raises(PermissionDeniedError):
        case_status_change(
            acting_user=users[Role.EMPLOYMENT_CASEWORKER], benefit_unit=case, to_status="active"
        )


def test_case_note_by_other_partner_is_refused(partner: Any, other_caseworker: Any) -> None:
    case = make_case(partner=partner)
    with pytest.raises(ApplicationError):
        case_note_create(acting_user=other_caseworker, benefit_unit=case, body="hello")


def test_ministry_handoff_moves_case_and_people_to_local_partner(db: Any) -> None:
    ministry = DeliveryPartnerFactory(code="ministry", name="Ministry", kind=PartnerKind.MINISTRY)
    local = DeliveryPartnerFactory(code="local", name="Local CMSM")
    intake_supervisor = UserFactory(role=Role.SUPERVISOR, delivery_partner=ministry)
    local_worker = UserFactory(role=Role.CASEWORKER, delivery_partner=local)
    case = make_case(partner=ministry, caseworker=intake_supervisor)
    case_transfer(
        acting_user=intake_supervisor,
        benefit_unit=case,
        to_partner=local,
        kind=TransferKind.MINISTRY_HANDOFF,
        reason="Initial eligibility granted; case management by local partner",
    )
    assert benefit_unit_get_for_user(user=local_worker, benefit_unit_id=case.pk).pk == case.pk
    assert case.members.get().person.__class__.objects.get().delivery_partner == local
    with pytest.raises(Http404):
        benefit_unit_get_for_user(user=intake_supervisor, benefit_unit_id=case.pk)
    assert AuditEvent.objects.filter(
        event_type="case_transferred", benefit_unit_id=case.pk
    ).exists()


def test_case_status_change_close_and_reinstate_record_member_history_with_actor(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    case = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
    case = case_status_change(
        acting_user=caseworker, benefit_unit=case, to_status="closed", reason="Moved away"
    )
    ended = case.members.get()
    assert ended.end_on == case.closed_on
    assert ended.history.first().history_user == caseworker
    case = case_status_change(acting_user=caseworker, benefit_unit=case, to_status="active")
    current = case.members.get(end_on__isnull=True)
    assert current.history.first().history_user == caseworker


def test_case_file_read_record_logs_the_read_against_the_current_applicant(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    former = case.members.get(role=MemberRole.APPLICANT)
    day = former.start_on
    BenefitUnitMember.objects.filter(pk=former.pk).update(end_on=day + dt.timedelta(days=1))
    current = BenefitUnitMember.objects.create(
        benefit_unit=case,
        person=PersonFactory(delivery_partner=partner),
        role=MemberRole.APPLICANT,
        start_on=day + dt.timedelta(days=2),
    )
    loaded = list(case.members.select_related("person"))
    assert case_applicant(case) == current
    assert case_applicant(case, loaded) == current

    assert case_file_read_record(user=caseworker, benefit_unit=case, view_name="x:y") == current
    access = ClientFileAccess.objects.get(view_name="x:y")
    assert (access.person_id, access.benefit_unit_id, access.channel) == (
        current.person_id,
        case.pk,
        "web",
    )

    # A closed case: the most recent applicant, from the database or from loaded members.
    BenefitUnitMember.objects.filter(pk=current.pk).update(end_on=day + dt.timedelta(days=3))
    loaded = list(case.members.select_related("person"))
    assert case_applicant(case) == current
    assert case_applicant(case, loaded) == current
    assert case_applicant(case, []) is None


# --- Issue 15: a caseworker's own status change (the form, the API) -----------------------------


@pytest.mark.parametrize(
    ("start", "to_status", "service"),
    [
        (CaseStatus.PENDING, CaseStatus.ACTIVE, "eligibility decision (grant)"),
        (CaseStatus.PENDING, CaseStatus.DENIED, "eligibility decision (deny)"),
        (CaseStatus.ACTIVE, CaseStatus.SUSPENDED, "payment action (suspend assistance)"),
    ],
)
def test_case_status_change_refuses_by_hand_when_another_service_owns_the_change(
    partner: Any, caseworker: Any, start: str, to_status: str, service: str
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    if start == CaseStatus.ACTIVE:
        case = case_status_change(acting_user=caseworker, benefit_unit=case, to_status=start)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as err:
        case_status_change(
            acting_user=caseworker,
            benefit_unit=case,
            to_status=to_status,
            reason="Because",
            manual=True,
        )
    assert (err.value.field, err.value.code) == ("to_status", "transition_needs_service")
    assert service in err.value.message
    case.refresh_from_db()
    assert case.status == start
    assert AuditEvent.objects.count() == events


def test_case_status_change_by_hand_needs_a_reason_then_closes(
    partner: Any, caseworker: Any
) -> None:
    case = make_case(partner=partner, caseworker=caseworker)
    with pytest.raises(ApplicationError) as err:
        case_status_change(
            acting_user=caseworker, benefit_unit=case, to_status="withdrawn", manual=True
        )
    assert (err.value.field, err.value.code) == ("reason", "reason_required")
    done = case_status_change(
        acting_user=caseworker,
        benefit_unit=case,
        to_status="withdrawn",
        reason="The client found work before the interview",
        manual=True,
    )
    assert done.status == CaseStatus.WITHDRAWN
    change = CaseStatusChange.objects.get(benefit_unit=case, to_status="withdrawn")
    assert change.reason.startswith("The client")
