"""Shapes of the accounts API, and the error shape every router of the API shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from caseworks.accounts.models import User
from caseworks.core.validators import NameText

# Text the database can store: PostgreSQL refuses NUL characters, so the API refuses them (422)
# before they reach a service. Every string an input schema accepts uses this type.
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
# Record ids are positive 64-bit integers (BigAutoField); anything else is a 422, not a 500.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorItem(Schema):
    """One problem: the field it concerns (None for the whole request), what is wrong, a code."""

    field: str | None
    message: str
    code: str


class ErrorOut(Schema):
    """Every 4xx answer of the API: 422 (bad input), 403 (role), 404, 409 (conflict)."""

    detail: list[ErrorItem]


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    role: str
    delivery_partner_id: int | None
    office_id: int | None
    preferred_language: str
    capabilities: list[str]

    @staticmethod
    def resolve_capabilities(obj: User) -> list[str]:
        return sorted(str(c) for c in obj.capabilities)


class ApiTokenCreateIn(Schema):
    name: Text = Field(max_length=100)
    expires_at: dt.datetime | None = None


class ApiTokenCreatedOut(Schema):
    """The raw token is in this answer only; the server keeps only its hash."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    token: str


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class StaffCreateIn(Schema):
    username: Text = Field(max_length=150)
    role: Text
    office_id: RecordId | None = None
    first_name: NameText = Field("", max_length=150)
    last_name: NameText = Field("", max_length=150)
    email: Text = Field("", max_length=254)
    preferred_language: Text = "en"


class StaffInvitationOut(Schema):
    id: int
    kind: str
    status: str
    username: str
    email: str
    role: str
    delivery_partner_id: int
    office_id: int | None
    expires_at: dt.datetime | None
