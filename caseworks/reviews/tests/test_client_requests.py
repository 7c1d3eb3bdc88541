"""A client's own request for internal review, online: the 30-day clock, stored once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from freezegun import freeze_time

from caseworks.cases.tests.factories import make_case
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.models import AuditEvent
from caseworks.eligibility.services import decision_make, determination_run
from caseworks.eligibility.tests.test_services import complete_application
from caseworks.reviews.constants import ReviewChannel
from caseworks.reviews.models import InternalReview
from caseworks.reviews.services import (
    decision_review_deadline,
    internal_review_request_from_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(partner: Any, caseworker: Any) -> tuple[Any, Any]:
    """(the applicant, a final grant made on Monday 2 March 2026)."""
    person = PersonFactory(delivery_partner=partner, first_name="Marie")
    with freeze_time("2026-03-02 15:00"):
        application = complete_application(caseworker, person)
        determination = determination_run(acting_user=caseworker, application=application)
        decision = decision_make(
            acting_user=caseworker, determination=determination, outcome="grant"
        )
    return person, decision


def test_review_deadline_is_30_days_after_the_deemed_receipt(decided: tuple[Any, Any]) -> None:
    _person, decision = decided
    assert decision_review_deadline(decision=decision) == (
        dt.date(2026, 3, 5),  # mailed: deemed received 3 days later
        dt.date(2026, 4, 4),
    )


def test_client_request_on_the_last_day_lands_in_the_reviews_workflow(
    decided: tuple[Any, Any],
) -> None:
    person, decision = decided
    with freeze_time("2026-04-04 20:00"):
        review = internal_review_request_from_client(
            person=person, decision=decision, reason=" My rent was not counted. "
        )
    assert review.requested_via == ReviewChannel.CLIENT_ONLINE
    assert (review.requested_by_person, review.recorded_by) == (person, None)
    assert (review.request_due_on, review.decision_due_on) == (
        dt.date(2026, 4, 4),
        dt.date(2026, 5, 4),
    )
    assert (review.grounds, review.is_late, review.status) == (
        "My rent was not counted.",
        False,
        "requested",
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.INTERNAL_REVIEW_REQUESTED)
    assert (event.acting_user, event.person_id) == (None, person.pk)
    assert event.extra_data["request_due_on"] == "2026-04-04"
    assert review.history.count() == 1
    with freeze_time("2026-04-04 21:00"), pytest.raises(ApplicationError) as excinfo:
        internal_review_request_from_client(person=person, decision=decision, reason="Again")
    assert excinfo.value.code == "already_requested"


def test_client_request_the_day_after_the_deadline_is_refused_naming_the_rule(
    decided: tuple[Any, Any],
) -> None:
    person, decision = decided
    with freeze_time("2026-04-05 08:00"), pytest.raises(ApplicationError) as excinfo:
        internal_review_request_from_client(person=person, decision=decision, reason="Late")
    assert (excinfo.value.field, excinfo.value.code) == ("decision", "review_deadline_passed")
    assert "2026-04-04" in excinfo.value.message
    assert "Ontario Works Act, 1997, s. 27" in excinfo.value.message
    assert "O. Reg. 134/98, s. 68" in excinfo.value.message
    assert not InternalReview.objects.exists()


def test_client_request_refused_outside_the_persons_unit_and_without_a_reason(
    decided: tuple[Any, Any], partner: Any, caseworker: Any
) -> None:
    person, decision = decided
    stranger = make_case(partner=partner, caseworker=caseworker).members.get().person
    with freeze_time("2026-03-10"):
        with pytest.raises(Http404):
            internal_review_request_from_client(person=stranger, decision=decision, reason="x")
        with pytest.raises(ApplicationError) as excinfo:
            internal_review_request_from_client(person=person, decision=decision, reason="  ")
    assert excinfo.value.field == "reason"
    assert not InternalReview.objects.exists()
