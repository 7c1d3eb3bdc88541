"""Shapes of the provider API: what an outside provider sees of a referral and may report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from caseworks.accounts.schemas import Text

from .models import EmploymentOutcome, Referral


class FollowUpOut(Schema):
    id: int
    months_after_start: int
    due_on: dt.date
    recorded_on: dt.date | None
    still_employed: bool | None
    hours_per_week: Decimal | None
    hourly_wage_cents: int | None


class OutcomeOut(Schema):
    id: int
    employer: str
    job_title: str
    start_on: dt.date
    hours_per_week: Decimal
    hourly_wage_cents: int
    permanence: str
    has_benefits: bool
    full_time: bool
    minimum_wage_cents: int | None
    below_minimum_wage: bool | None
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_full_time(obj: EmploymentOutcome) -> bool:
        return obj.is_full_time

    @staticmethod
    def resolve_follow_ups(obj: EmploymentOutcome) -> list[object]:
        return list(obj.follow_ups.all())


class ClientSharedOut(Schema):
    """What the client consented to share, as it stood when the referral was sent (the copy in
    Referral.shared_*, never the live client record). null = not shared."""

    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None
    language_of_service: str | None = None


class ReferralOut(Schema):
    id: int
    status: str
    sent_on: dt.date
    response_due_on: dt.date
    responded_at: dt.datetime | None
    purpose: str
    information_shared: list[str]
    client: ClientSharedOut
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_client(obj: Referral) -> dict[str, str | None]:
        # Only the copy made when the referral was sent: a later change to the client's file
        # (a new phone number) never reaches the provider. Blank = not consented.
        return {
            "first_name": obj.shared_first_name,
            "last_name": obj.shared_last_name,
            "phone": obj.shared_phone or None,
            "email": obj.shared_email or None,
            "language_of_service": obj.shared_language or None,
        }

    @staticmethod
    def resolve_outcomes(obj: Referral) -> list[object]:
        return list(obj.outcomes.all())


class ReferralAnswerOut(Schema):
    """The provider's answer as recorded. Nothing of the client: read the referral (while it is
    active) for that."""

    id: int
    status: str
    status_note: str
    responded_at: dt.datetime | None


class ReferralStatusIn(Schema):
    to_status: Literal["accepted", "declined", "started", "completed", "no_show"]
    note: Text = Field("", max_length=2000)


class OutcomeIn(Schema):
    employer: Text = Field(max_length=200)
    job_title: Text = Field("", max_length=200)
    start_on: dt.date
    hours_per_week: Decimal = Field(gt=0, le=168, max_digits=5, decimal_places=2)
    hourly_wage_cents: int = Field(gt=0, le=100_000_00)
    permanence: Literal["permanent", "temporary", "seasonal"]
    has_benefits: bool


class FollowUpIn(Schema):
    still_employed: bool
    hours_per_week: Decimal | None = Field(None, gt=0, le=168, max_digits=5, decimal_places=2)
    hourly_wage_cents: int | None = Field(None, gt=0, le=100_000_00)
    notes: Text = Field("", max_length=2000)
