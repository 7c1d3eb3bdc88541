from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from caseworks.payments.models import LedgerEntry, Payment, PaymentRunLine
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import payment_action_record
from caseworks.payments.tests.builders import active_case, payment_staff
from caseworks.reviews.services import (
    appeal_record,
    appeal_update,
    internal_review_decide,
    internal_review_request,
)

pytestmark = pytest.mark.django_db


def test_internal_review_request_flagged_not_refused_when_late(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    today = timezone.localdate()
    review = internal_review_request(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        decision_description="Cancellation",
        decision_date=today - dt.timedelta(days=40),
        requested_on=today,
        grounds="Was in hospital",
        late_reason="Hospital stay",
    )
    assert review.is_late
    assert review.request_due_on == today - dt.timedelta(days=40 - 3 - 30)
    assert review.decision_due_on == today + dt.timedelta(days=30)


def test_internal_review_request_on_time_when_within_30_days(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    today = timezone.localdate()
    review = internal_review_request(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        decision_description="Hold",
        decision_date=today - dt.timedelta(days=20),
        requested_on=today,
        grounds="Disagree",
    )
    assert not review.is_late


def test_appeal_interim_assistance_included_in_run_when_case_suspended(partner: Any) -> None:
    staff = payment_staff(partner)
    unit = active_case(
        partner=partner, actor=staff["caseworker"], first_name="Ana", last_name="Roy"
    )
    payment_action_record(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        kind="suspension",
        reason="Did not attend",
        effective_on=dt.date(2025, 11, 1),
    )
    today = timezone.localdate()
    review = internal_review_request(
        acting_user=staff["caseworker"],
        benefit_unit=unit,
        decision_description="Suspension",
        decision_date=today - dt.timedelta(days=10),
        requested_on=today - dt.timedelta(days=5),
        grounds="Was sick",
    )
    review = internal_review_decide(
        acting_user=staff["supervisor"],
        review=review,
        outcome="confirmed",
        reasons="No medical note",
    )
    appeal = appeal_record(
        acting_user=staff["caseworker"],
        review=review,
        filed_on=today,
        interim_assistance=True,
        interim_ordered_on=today,
    )
    assert not appeal.is_late
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 1, 1)
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    line = PaymentRunLine.objects.get(run=run)
    assert line.benefit_unit_id == unit.pk
    assert line.is_interim
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    interim = Payment.objects.get(benefit_unit=unit)
    assert interim.is_interim
    appeal_update(acting_user=staff["caseworker"], appeal=appeal, outcome="denied")
    # Lost appeal: the interim payment becomes an overpayment; no more interim assistance.
    entry = LedgerEntry.objects.get(benefit_unit=unit, kind="overpayment")
    assert (entry.payment_id, entry.amount_cents) == (interim.pk, interim.amount_cents)
    assert entry.notice_en_id
    assert entry.notice_fr_id
    february = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=dt.date(2026, 2, 1)
    )
    february = payment_run_dry_run(acting_user=staff["caseworker"], run=february)
    assert not PaymentRunLine.objects.filter(run=february).exists()
