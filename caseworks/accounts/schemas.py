"""Shapes of the accounts API, and the error shape every router of the API shares."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from caseworks.accounts.models import User


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
    name: str = Field(max_length=100)
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
    username: str = Field(max_length=150)
    password: str = Field(max_length=128)
    role: str
    office_id: int | None = None
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    preferred_language: str = "en"


class StaffOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    delivery_partner_id: int | None
    office_id: int | None
    preferred_language: str
    is_active: bool
