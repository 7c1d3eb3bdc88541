"""Application, inquiry and appointment reads: partner-scoped, capability-checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from caseworks.accounts.constants import Role
from caseworks.applications.selectors import (
    application_get_for_user,
    appointment_list_for_user,
    caseworker_days,
    caseworkers_for_user,
    inquiry_get_for_user,
)
from caseworks.applications.services import application_start, appointment_book, inquiry_record
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_application_get_for_user_raises_404_when_application_is_another_partners(
    partner: Any, caseworker: Any, other_caseworker: Any
) -> None:
    application = application_start(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    assert application_get_for_user(user=caseworker, application_id=application.pk) == application
    with pytest.raises(Http404):
        application_get_for_user(user=other_caseworker, application_id=application.pk)


def test_application_get_for_user_refuses_role_without_case_view(
    partner: Any, caseworker: Any, users: dict[str, Any]
) -> None:
    application = application_start(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    with pytest.raises(PermissionDeniedError):
        application_get_for_user(user=users[Role.PARTNER_ADMIN], application_id=application.pk)


def test_application_get_for_user_lets_provincial_auditor_read_any_partner(
    partner: Any, caseworker: Any, users: dict[str, Any]
) -> None:
    application = application_start(
        acting_user=caseworker, applicant=PersonFactory(delivery_partner=partner)
    )
    auditor = users["provincial_auditor"]
    assert application_get_for_user(user=auditor, application_id=application.pk) == application


def test_inquiry_get_for_user_raises_404_for_another_partner_and_403_without_capability(
    users: dict[str, Any], other_caseworker: Any
) -> None:
    inquiry = inquiry_record(acting_user=users[Role.INTAKE_CLERK], caller_name="Ana")
    assert inquiry_get_for_user(user=users[Role.CASEWORKER], inquiry_id=inquiry.pk) == inquiry
    with pytest.raises(Http404):
        inquiry_get_for_user(user=other_caseworker, inquiry_id=inquiry.pk)
    with pytest.raises(PermissionDeniedError):
        inquiry_get_for_user(user=users[Role.AUDITOR], inquiry_id=inquiry.pk)


def test_caseworker_days_marks_booked_slots_and_lists_only_own_partner(
    users: dict[str, Any], other_caseworker: Any
) -> None:
    worker = users[Role.CASEWORKER]
    day = timezone.localdate() + dt.timedelta(days=3)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
    appointment_book(acting_user=users[Role.INTAKE_CLERK], caseworker=worker, starts_at=starts)
    workers = caseworkers_for_user(user=users[Role.INTAKE_CLERK])
    assert worker in workers
    assert other_caseworker not in workers
    rows = {row["caseworker"].pk: row for row in caseworker_days(user=worker, day=day)}
    taken = [s["start"].strftime("%H:%M") for s in rows[worker.pk]["slots"] if s["taken"]]
    assert taken == ["11:00", "11:30"]
    assert appointment_list_for_user(user=other_caseworker, start=day) == []
