"""Reads of client records. Views and the API load people only through *_for_user here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.text import digits_only, name_key

from .case_links import case_readers
from .models import ClientFileAccess, Person

SEARCH_LIMIT = 50
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CASE_NUMBER = re.compile(r"^[A-Za-z]{2}-?\d{6,}$")


def person_queryset_for_user(*, user: Any) -> QuerySet[Person]:
    """Every person the user may see: their own partner's, or all for provincial read-only staff."""
    require_capability(user, Capability.CLIENT_VIEW)
    scope = partner_scope(user)
    queryset = Person.objects.select_related("delivery_partner")
    return queryset if scope is None else queryset.filter(delivery_partner_id=scope)


def person_get_for_user(*, user: Any, person_id: int) -> Person:
    """One person, or Http404 when it doesn't exist *or* belongs to another delivery partner."""
    try:
        return person_queryset_for_user(user=user).get(pk=person_id)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PersonSearch:
    """A staff search: a name, a date of birth, the last 3 digits of a SIN, or a case number."""

    text: str = ""
    name: str = ""
    date_of_birth: dt.date | None = None
    sin_last3: str = ""
    case_number: str = ""

    @classmethod
    def from_text(cls, text: str) -> PersonSearch:
        text = text.strip()
        if not text:
            return cls()
        if _DATE.match(text):
            try:
                return cls(text=text, date_of_birth=dt.date.fromisoformat(text))
            except ValueError:
                return cls(text=text, name=text)
        digits = digits_only(text)
        if len(digits) == 3 and len(text) == 3:
            return cls(text=text, sin_last3=digits)
        if _CASE_NUMBER.match(text):
            return cls(text=text, case_number=text.upper().replace("-", ""))
        return cls(text=text, name=text)

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.date_of_birth or self.sin_last3 or self.case_number)


# Name search: every word typed must begin a word of the person's first or last name, in any
# order, accent- and case-insensitive ("okafor-test" finds Amara Okafor-Test; "jean philippe
# theriault" finds Jean-Philippe Thériault). The names are already normalised in Python
# (`name_key`: lower case, accents removed, hyphens and apostrophes become spaces), so a name
# of one word is found through the partner-scoped prefix indexes on each key (migration 0002,
# as before), and the words inside compound names through a small GIN index over the rows
# whose first or last name has several words (migration 0004). See docs/adr/0010.
COMPOUND_NAME_SQL = (
    '("clients_person"."first_name_key" LIKE \'%% %%\' '
    'OR "clients_person"."last_name_key" LIKE \'%% %%\')'
)
NAME_WORDS_SQL = (
    "to_tsvector('simple'::regconfig, "
    '"clients_person"."first_name_key" || \' \' || "clients_person"."last_name_key")'
)


def _compound_name_match(words: list[str]) -> Q:
    """Rows with a compound first or last name where every word begins a name word. The
    predicate repeats the partial index's WHERE clause so that PostgreSQL can use it."""
    # Words hold only a-z and 0-9 (name_key): safe tsquery operands, passed as a parameter.
    tsquery = " & ".join(f"{word}:*" for word in words)
    return Q(
        RawSQL(  # noqa: S611  # constant SQL text; the typed words are a parameter
            f"{COMPOUND_NAME_SQL} AND {NAME_WORDS_SQL} @@ to_tsquery('simple'::regconfig, %s)",
            (tsquery,),
            output_field=BooleanField(),
        )
    )


def _name_match(words: list[str]) -> Q:
    first, rest = words[0], " ".join(words[1:])
    if not rest:
        simple = Q(last_name_key__startswith=first) | Q(first_name_key__startswith=first)
    else:
        simple = Q(last_name_key__startswith=first, first_name_key__startswith=rest) | Q(
            first_name_key__startswith=first, last_name_key__startswith=rest
        )
    return simple | _compound_name_match(words)


def person_search_for_user(
    *, user: Any, search: PersonSearch, limit: int = SEARCH_LIMIT
) -> list[Person]:
    """Search people the user may see, within their partner. Name matching is by word prefix,
    in any order, accent- and case-insensitive, over every part of a compound or hyphenated
    name: 'trem mar' and 'marie t' find Marie Tremblay; 'Okafor-Test' and 'test' find Amara
    Okafor-Test; 'jean philippe theriault' finds Jean-Philippe Thériault."""
    if search.is_empty:
        return []
    queryset = person_queryset_for_user(user=user)
    words = name_key(search.name).split() if search.name else []
    if search.name and not words:
        return []
    if search.case_number:
        queryset = queryset.filter(
            memberships__benefit_unit__case_number=search.case_number,
        ).distinct()  # the join gives a row per membership
    if search.date_of_birth:
        queryset = queryset.filter(date_of_birth=search.date_of_birth)
    if search.sin_last3:
        queryset = queryset.filter(sin_last3=search.sin_last3)
    if words:
        queryset = queryset.filter(_name_match(words))
    return list(queryset.order_by("last_name_key", "first_name_key", "id")[:limit])


def person_attach_current_cases(*, people: list[Person]) -> list[Person]:
    """Give each person `current_memberships` (their current case membership, with the case),
    in one query for the whole list, so that a results table makes no query per row. The cases
    app provides the query (clients.case_links: clients never imports cases)."""
    case_readers().attach_current_cases(people=people)
    return people


@dataclass(frozen=True)
class PossibleDuplicate:
    """A match found in any delivery partner. Carries no personal details of the other file."""

    reason_code: str  # "same_sin" | "same_name_and_birth_date"
    reason: str
    person_id: int
    delivery_partner_name: str
    same_partner: bool
    on_current_case: bool


def _on_current_case(person_id: int) -> bool:
    """A current membership (no end date) exists. Both conditions in one filter() share one
    join, an inner join: a person with no membership at all is on no case. (Filtering on
    `memberships__end_on__isnull=True` alone made a left join, which a person with no
    membership also matched.)"""
    return Person.objects.filter(
        pk=person_id, memberships__isnull=False, memberships__end_on__isnull=True
    ).exists()


def person_possible_duplicates(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
    sin: str = "",
    exclude_person_id: int | None = None,
) -> list[PossibleDuplicate]:
    """Province-wide duplicate check (same SIN, or same name and date of birth).

    Searches every delivery partner on purpose: one person must never be active on two cases.
    Only the partner's name is revealed for another partner's match, never the file.
    """
    require_capability(user, Capability.CLIENT_CREATE)
    matches: dict[int, PossibleDuplicate] = {}
    candidates: list[tuple[str, str, QuerySet[Person]]] = []
    sin_digits = digits_only(sin)
    if len(sin_digits) == 9:
        candidates.append(
            ("same_sin", _("same Social Insurance Number"), Person.objects.filter(sin=sin_digits))
        )
    if date_of_birth and first_name.strip() and last_name.strip():
        candidates.append(
            (
                "same_name_and_birth_date",
                _("same name and date of birth"),
                Person.objects.filter(
                    last_name_key=name_key(last_name),
                    first_name_key=name_key(first_name),
                    date_of_birth=date_of_birth,
                ),
            )
        )
    for reason_code, reason, queryset in candidates:
        rows = queryset.select_related("delivery_partner").values_list(
            "id", "delivery_partner_id", "delivery_partner__name"
        )
        for person_id, partner_id, partner_name in rows:
            if person_id == exclude_person_id or person_id in matches:
                continue
            matches[person_id] = PossibleDuplicate(
                reason_code=reason_code,
                reason=reason,
                person_id=person_id,
                delivery_partner_name=partner_name,
                same_partner=partner_id == user.delivery_partner_id,
                on_current_case=_on_current_case(person_id),
            )
    return list(matches.values())


def client_file_access_list_for_user(*, user: Any, person_id: int) -> QuerySet[ClientFileAccess]:
    """Who viewed a client's file (auditors)."""
    require_capability(user, Capability.ACCESS_LOG_VIEW)
    person = person_get_for_user(user=user, person_id=person_id)
    return ClientFileAccess.objects.filter(person=person).select_related("user")


@dataclass(frozen=True)
class AccessLogFilter:
    """An auditor's filters on the access log; empty fields filter nothing."""

    username: str = ""
    person_id: int | None = None
    case_number: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    view_name: str = ""


def client_file_access_search_for_user(
    *, user: Any, filters: AccessLogFilter
) -> QuerySet[ClientFileAccess]:
    """The partner's access log for auditors: views of its clients' files, and what its staff
    looked at elsewhere (a duplicate check that matched another partner's client). Provincial
    auditors see every partner's. Newest first."""
    require_capability(user, Capability.ACCESS_LOG_VIEW)
    scope = partner_scope(user)
    queryset = ClientFileAccess.objects.select_related("user", "person")
    if scope is not None:
        queryset = queryset.filter(
            Q(person__delivery_partner_id=scope) | Q(user__delivery_partner_id=scope)
        )
    if filters.username:
        queryset = queryset.filter(user__username__iexact=filters.username.strip())
    if filters.person_id is not None:
        queryset = queryset.filter(person_id=filters.person_id)
    if filters.case_number:
        number = filters.case_number.strip().upper().replace("-", "")
        # The case's own pages, and any view of one of its members' files.
        queryset = queryset.filter(case_readers().access_filter_for_case(number))
    if filters.date_from:
        queryset = queryset.filter(viewed_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(viewed_at__date__lte=filters.date_to)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.view_name:
        queryset = queryset.filter(view_name__startswith=filters.view_name.strip())
    return queryset.order_by("-viewed_at", "-id")
