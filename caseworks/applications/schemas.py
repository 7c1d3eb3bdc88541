"""Request and response shapes of the intake and application API.

Money goes in as text ("1234.50", at most two decimals; a JSON number is refused) and comes out
as text plus the exact integer cents (`<name>_cents`). Never a binary float.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from caseworks.accounts.schemas import RecordId, Text
from caseworks.core.money import format_cents
from caseworks.core.validators import NameText

from .models import Application, Inquiry, VerificationItem

# Checked by the endpoint (parse_dollars_to_cents) so that the error names the field and says
# what is wrong ("cannot be negative", "at most two decimals").
Money = Annotated[str, Field(max_length=20, pattern=r"^[^\x00]*$", examples=["1234.50"])]


class InquiryIn(Schema):
    caller_name: NameText = Field(max_length=200)
    phone: Text = Field("", max_length=30)
    adults: int = Field(1, ge=1, le=20)
    children: int = Field(0, ge=0, le=20)
    has_spouse: bool = False
    monthly_income: Money = "0"
    shelter_cost: Money = "0"
    assets: Money = "0"


class InquiryOut(Schema):
    id: int
    caller_name: str
    prescreen_result: str
    rules_version: str
    monthly_income: str
    monthly_income_cents: int
    explanation: list[dict[str, str]]
    ineligibility_reasons: list[dict[str, str]]

    @staticmethod
    def resolve_monthly_income(obj: Inquiry) -> str:
        return format_cents(obj.monthly_income_cents)

    @staticmethod
    def resolve_explanation(obj: Inquiry) -> list[dict[str, str]]:
        lines = obj.prescreen_snapshot.get("output", {}).get("explanation", [])
        return [{k: str(v) for k, v in line.items()} for line in lines]

    @staticmethod
    def resolve_ineligibility_reasons(obj: Inquiry) -> list[dict[str, str]]:
        reasons = obj.prescreen_snapshot.get("output", {}).get("ineligibility_reasons", [])
        return [{k: str(v) for k, v in r.items()} for r in reasons]


class AppointmentIn(Schema):
    caseworker_id: RecordId
    starts_at: dt.datetime = Field(description="With a time zone, e.g. 2026-12-01T10:00-05:00")
    duration_minutes: int = 60
    inquiry_id: RecordId | None = None
    person_id: RecordId | None = None
    purpose: Text = Field("", max_length=200)


class AppointmentOut(Schema):
    id: int
    caseworker_id: int
    person_id: int | None
    inquiry_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str
    status: str


class ApplicationCreateIn(Schema):
    person_id: RecordId
    applied_on: dt.date | None = None


class MemberIn(Schema):
    person_id: RecordId
    full_time_student: bool = False
    pregnant_or_breastfeeding: bool = False
    special_diet: Money = "0"
    child_care_costs: Money = "0"


class IncomeIn(Schema):
    person_id: RecordId
    income_type: Text = Field(max_length=32)
    monthly_amount: Money
    description: Text = Field("", max_length=200)


class AssetIn(Schema):
    asset_type: Text = Field(max_length=32)
    value: Money
    description: Text = Field("", max_length=200)


class ApplicationPatchIn(Schema):
    """Only the fields sent change. A list sent (members, incomes, assets) replaces the list."""

    expected_version: int | None = Field(None, ge=1, le=2**31 - 1)
    shelter_type: Text | None = Field(None, max_length=24)
    shelter_cost: Money | None = None
    heat: Money | None = None
    utilities: Money | None = None
    remote_community: bool | None = None
    months_in_receipt: int | None = Field(None, ge=0, le=600)
    consent_to_verification: bool | None = None
    address_line: NameText | None = Field(None, max_length=300)
    city: NameText | None = Field(None, max_length=100)
    postal_code: Text | None = Field(None, max_length=7)
    members: list[MemberIn] | None = Field(None, max_length=40)
    incomes: list[IncomeIn] | None = Field(None, max_length=40)
    assets: list[AssetIn] | None = Field(None, max_length=40)


class VerificationIn(Schema):
    """Mark a checklist item verified (with the proving document), waived (with a reason) or
    pending again."""

    status: Text = Field(max_length=16)
    waived_reason: Text = Field("", max_length=1000)
    document_id: RecordId | None = None


class MemberCreateIn(Schema):
    """Register a new person and add them to the case and application in one step."""

    first_name: NameText = Field(max_length=100)
    last_name: NameText = Field(max_length=100)
    date_of_birth: dt.date
    role: Text = Field(max_length=24)
    expected_version: int | None = Field(None, ge=1, le=2**31 - 1)
    acknowledge_possible_duplicates: bool = False


class MemberOut(Schema):
    person_id: int
    first_name: str
    last_name: str
    date_of_birth: dt.date
    role: str
    full_time_student: bool
    pregnant_or_breastfeeding: bool
    special_diet: str
    special_diet_cents: int
    child_care_costs: str
    child_care_costs_cents: int


class IncomeOut(Schema):
    person_id: int
    income_type: str
    monthly_amount: str
    monthly_amount_cents: int
    description: str


class AssetOut(Schema):
    asset_type: str
    value: str
    value_cents: int
    description: str


class VerificationOut(Schema):
    id: int
    kind: str
    person_id: int | None
    status: str
    waived_reason: str
    document_id: int | None


class ApplicationOut(Schema):
    """An application. Send `version` back as `expected_version` when changing it."""

    id: int
    benefit_unit_id: int
    case_number: str
    status: str
    applied_on: dt.date
    version: int
    consent_to_verification: bool
    shelter_type: str
    shelter_cost: str
    shelter_cost_cents: int
    heat: str
    heat_cents: int
    utilities: str
    utilities_cents: int
    remote_community: bool
    months_in_receipt: int
    address_line: str
    city: str
    postal_code: str
    members: list[MemberOut]
    incomes: list[IncomeOut]
    assets: list[AssetOut]
    verifications: list[VerificationOut]

    @staticmethod
    def resolve_case_number(obj: Application) -> str:
        return obj.benefit_unit.case_number

    @staticmethod
    def resolve_shelter_cost(obj: Application) -> str:
        return format_cents(obj.shelter_cost_cents)

    @staticmethod
    def resolve_heat(obj: Application) -> str:
        return format_cents(obj.heat_cents)

    @staticmethod
    def resolve_utilities(obj: Application) -> str:
        return format_cents(obj.utilities_cents)

    @staticmethod
    def resolve_members(obj: Application) -> list[dict[str, object]]:
        current = set(
            obj.benefit_unit.members.filter(end_on__isnull=True).values_list("person_id", flat=True)
        )
        return [
            {
                "person_id": c.person_id,
                "first_name": c.person.first_name,
                "last_name": c.person.last_name,
                "date_of_birth": c.person.date_of_birth,
                "role": c.role,
                "full_time_student": c.full_time_student,
                "pregnant_or_breastfeeding": c.pregnant_or_breastfeeding,
                "special_diet": format_cents(c.special_diet_cents),
                "special_diet_cents": c.special_diet_cents,
                "child_care_costs": format_cents(c.child_care_costs_cents),
                "child_care_costs_cents": c.child_care_costs_cents,
            }
            for c in obj.member_circumstances.select_related("person").order_by("id")
            if c.person_id in current
        ]

    @staticmethod
    def resolve_incomes(obj: Application) -> list[dict[str, object]]:
        return [
            {
                "person_id": i.person_id,
                "income_type": i.income_type,
                "monthly_amount": format_cents(i.monthly_amount_cents),
                "monthly_amount_cents": i.monthly_amount_cents,
                "description": i.description,
            }
            for i in obj.incomes.order_by("id")
        ]

    @staticmethod
    def resolve_assets(obj: Application) -> list[dict[str, object]]:
        return [
            {
                "asset_type": a.asset_type,
                "value": format_cents(a.value_cents),
                "value_cents": a.value_cents,
                "description": a.description,
            }
            for a in obj.assets.order_by("id")
        ]

    @staticmethod
    def resolve_verifications(obj: Application) -> list[VerificationItem]:
        return list(obj.verifications.order_by("person_id", "kind", "id"))
