"""Request and response shapes of the clients API. The full SIN never leaves the server:
responses carry only its last three digits (`sin_last3`)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from caseworks.accounts.schemas import ErrorItem, Text
from caseworks.clients.models import ClientFileAccess, Person
from caseworks.clients.selectors import PossibleDuplicate
from caseworks.core.validators import NameText


class PersonSummaryOut(Schema):
    """One search result."""

    id: int
    first_name: str
    middle_name: str
    last_name: str
    date_of_birth: dt.date
    sin_last3: str
    city: str


class PersonOut(Schema):
    """A client's file (identity and contact). The SIN is masked: last three digits only."""

    id: int
    delivery_partner_id: int
    delivery_partner_name: str
    first_name: str
    middle_name: str
    last_name: str
    full_name: str
    date_of_birth: dt.date
    sin_last3: str
    phone: str
    email: str
    address_line: str
    city: str
    postal_code: str
    language_preference: str
    created_at: dt.datetime
    modified_at: dt.datetime

    @staticmethod
    def resolve_delivery_partner_name(obj: Person) -> str:
        return obj.delivery_partner.name

    @staticmethod
    def resolve_full_name(obj: Person) -> str:
        return obj.full_name


class PersonCreateIn(Schema):
    first_name: NameText = Field(max_length=100)
    last_name: NameText = Field(max_length=100)
    date_of_birth: dt.date
    middle_name: NameText = Field("", max_length=100)
    sin: Text = Field("", max_length=20, description="9 digits; spaces and dashes are ignored")
    phone: Text = Field("", max_length=30)
    email: Text = Field("", max_length=254)
    address_line: NameText = Field("", max_length=300)
    city: NameText = Field("", max_length=100)
    postal_code: Text = Field("", max_length=7)
    language_preference: Text = Field("en", description="en or fr")
    acknowledge_possible_duplicates: bool = Field(
        False, description="Set after checking the possible duplicates returned with a 409."
    )


class PersonUpdateIn(Schema):
    """Only the fields sent are changed."""

    first_name: NameText | None = Field(None, max_length=100)
    middle_name: NameText | None = Field(None, max_length=100)
    last_name: NameText | None = Field(None, max_length=100)
    date_of_birth: dt.date | None = None
    sin: Text | None = Field(None, max_length=20)
    phone: Text | None = Field(None, max_length=30)
    email: Text | None = Field(None, max_length=254)
    address_line: NameText | None = Field(None, max_length=300)
    city: NameText | None = Field(None, max_length=100)
    postal_code: Text | None = Field(None, max_length=7)
    language_preference: Text | None = None


class PossibleDuplicateOut(Schema):
    """A possible match anywhere in the province. Another partner's file is named only by its
    partner: `person_id` is given only when the match belongs to the caller's own partner."""

    reason_code: str
    reason: str
    person_id: int | None
    delivery_partner_name: str
    same_partner: bool
    on_current_case: bool

    @staticmethod
    def resolve_person_id(obj: PossibleDuplicate) -> int | None:
        return obj.person_id if obj.same_partner else None


class DuplicateErrorOut(Schema):
    """409 from POST /clients: the error, and the matches the caseworker must check."""

    detail: list[ErrorItem]
    duplicates: list[PossibleDuplicateOut]


class ClientFileAccessOut(Schema):
    id: int
    user_id: int
    username: str
    user_name: str
    viewed_at: dt.datetime
    channel: str
    view_name: str
    benefit_unit_id: int | None
    detail: str

    @staticmethod
    def resolve_username(obj: ClientFileAccess) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_user_name(obj: ClientFileAccess) -> str:
        return obj.user.get_full_name()
