"""Request and response shapes of the cases API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from caseworks.accounts.schemas import RecordId, Text
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit, BenefitUnitMember, CaseNote, Task
from caseworks.cases.selectors import benefit_unit_members


class MemberOut(Schema):
    """A membership of the case over a period (end_on is null while current)."""

    id: int
    person_id: int
    first_name: str
    last_name: str
    role: str
    start_on: dt.date
    end_on: dt.date | None

    @staticmethod
    def resolve_first_name(obj: BenefitUnitMember) -> str:
        return obj.person.first_name

    @staticmethod
    def resolve_last_name(obj: BenefitUnitMember) -> str:
        return obj.person.last_name


class CaseOut(Schema):
    """A case. Send `version` back as `expected_version` when changing it."""

    id: int
    case_number: str
    status: str
    status_label: str
    delivery_partner_id: int
    office_id: int | None
    caseworker_id: int | None
    opened_on: dt.date
    status_changed_on: dt.date
    closed_on: dt.date | None
    version: int
    members: list[MemberOut]

    @staticmethod
    def resolve_status_label(obj: BenefitUnit) -> str:
        return str(CaseStatus(obj.status).label)

    @staticmethod
    def resolve_members(obj: BenefitUnit) -> list[BenefitUnitMember]:
        return benefit_unit_members(benefit_unit=obj)


class CaseCreateIn(Schema):
    person_id: RecordId = Field(description="The applicant (must not be on a current case)")
    opened_on: dt.date | None = None
    assign_to_me: bool = Field(False, description="Make the caller the case's caseworker")


class MemberAddIn(Schema):
    person_id: RecordId
    role: Text = Field(description="spouse, dependant_adult or dependant_child")
    start_on: dt.date
    expected_version: int | None = None


class MemberEndIn(Schema):
    end_on: dt.date
    reason: Text = Field(max_length=2000)
    expected_version: int | None = None


class StatusChangeIn(Schema):
    to_status: Text = Field(description="pending, active, suspended, closed, denied or withdrawn")
    expected_version: int = Field(description="The case `version` you read; 409 if it changed")
    reason: Text = Field("", max_length=5000)
    effective_on: dt.date | None = None


class NoteIn(Schema):
    body: Text = Field(max_length=10_000)


class NoteOut(Schema):
    id: int
    benefit_unit_id: int
    author_id: int
    author_name: str
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author_name(obj: CaseNote) -> str:
        return obj.author.get_full_name() or obj.author.get_username()


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    due_on: dt.date
    benefit_unit_id: int | None
    case_number: str | None
    assigned_to_id: int | None
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_case_number(obj: Task) -> str | None:
        return obj.benefit_unit.case_number if obj.benefit_unit else None
