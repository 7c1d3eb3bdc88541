"""Shapes of the eligibility API. Amounts are text ("433.00") plus exact integer cents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from caseworks.accounts.schemas import Text
from caseworks.core.money import format_cents

from .models import Decision, Determination


class DeterminationRunIn(Schema):
    benefit_month: dt.date | None = Field(
        None, description="Any day of the month to calculate; the application month if absent"
    )


class ExplanationLine(Schema):
    item: str
    rule: str
    amount: str
    citation: str


class DeterminationOut(Schema):
    """A stored determination: never recalculated."""

    id: int
    benefit_unit_id: int
    application_id: int | None
    benefit_month: dt.date
    result: str
    missing_information: list[str]
    explanation: list[ExplanationLine]
    ineligibility_reasons: list[dict[str, str]]
    budgetary_requirements: str
    budgetary_requirements_cents: int
    chargeable_income: str
    chargeable_income_cents: int
    entitlement: str
    entitlement_cents: int
    payment: str
    payment_cents: int
    rules_version: str
    determined_by_id: int
    determined_at: dt.datetime

    @staticmethod
    def resolve_explanation(obj: Determination) -> list[dict[str, str]]:
        return [
            {key: str(line.get(key, "")) for key in ("item", "rule", "amount", "citation")}
            for line in obj.explanation
        ]

    @staticmethod
    def resolve_missing_information(obj: Determination) -> list[str]:
        return [str(m) for m in obj.missing_information]

    @staticmethod
    def resolve_ineligibility_reasons(obj: Determination) -> list[dict[str, str]]:
        return [{k: str(v) for k, v in r.items()} for r in obj.ineligibility_reasons]

    @staticmethod
    def resolve_budgetary_requirements(obj: Determination) -> str:
        return format_cents(obj.budgetary_requirements_cents)

    @staticmethod
    def resolve_chargeable_income(obj: Determination) -> str:
        return format_cents(obj.chargeable_income_cents)

    @staticmethod
    def resolve_entitlement(obj: Determination) -> str:
        return format_cents(obj.entitlement_cents)

    @staticmethod
    def resolve_payment(obj: Determination) -> str:
        return format_cents(obj.payment_cents)


class DecisionIn(Schema):
    outcome: Text = Field(max_length=8, description="grant or deny")
    effective_on: dt.date | None = None
    reason: Text = Field("", max_length=2000)
    override_reason: Text = Field("", max_length=4000)


class DecisionOut(Schema):
    id: int
    benefit_unit_id: int
    determination_id: int
    outcome: str
    status: str
    is_override: bool
    override_reason: str
    reasons: list[dict[str, str]]
    effective_on: dt.date
    first_payment_month: dt.date | None
    payment: str
    payment_cents: int
    decided_by_id: int
    decided_at: dt.datetime
    approved_by_id: int | None
    approved_at: dt.datetime | None
    notice_en_id: int | None
    notice_fr_id: int | None

    @staticmethod
    def resolve_reasons(obj: Decision) -> list[dict[str, str]]:
        return [{k: str(v) for k, v in r.items()} for r in obj.reasons]

    @staticmethod
    def resolve_payment_cents(obj: Decision) -> int:
        return obj.determination.payment_cents if obj.outcome == "grant" else 0

    @staticmethod
    def resolve_payment(obj: Any) -> str:
        return format_cents(obj.determination.payment_cents if obj.outcome == "grant" else 0)
