"""Writes to client records: one transaction each, with an audit event and row history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.metrics import ACCESS_LOG_WRITES
from caseworks.core.ownership import own_partner_id, require_same_partner
from caseworks.core.text import digits_only, luhn_valid, name_key
from caseworks.core.validators import postal_code_normalize

from .constants import Language
from .models import ClientFileAccess, Person
from .selectors import PersonSearch, PossibleDuplicate, person_possible_duplicates

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
PERSON_EDITABLE_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "sin",
    "phone",
    "email",
    "address_line",
    "city",
    "postal_code",
    "language_preference",
)


class DuplicatePersonError(ApplicationError):
    """Possible duplicates were found; the caseworker must look and acknowledge (or stop)."""

    def __init__(self, duplicates: list[PossibleDuplicate]) -> None:
        super().__init__(
            _("This person may already be known to Ontario Works. Check the matches below."),
            field="duplicates",
            code="possible_duplicate",
        )
        self.duplicates = duplicates


def person_sin_clean(raw: str) -> str:
    """A SIN as typed -> its 9 digits ('' when blank). The register and edit forms call this
    too, so that a bad SIN is reported with every other error in one submission."""
    if not raw.strip():
        return ""
    digits = digits_only(raw)
    if len(digits) != 9 or not luhn_valid(digits):
        raise ApplicationError(
            _("Social Insurance Number must be 9 digits and pass the SIN check digit."), field="sin"
        )
    return digits


def person_birth_date_clean(value: dt.date) -> dt.date:
    """Not in the future, not before 1900 (the forms call this too)."""
    if not isinstance(value, dt.date):
        raise ApplicationError(
            _("Date of birth must be a date (YYYY-MM-DD)."), field="date_of_birth"
        )
    if value > timezone.localdate():
        raise ApplicationError(_("Date of birth cannot be in the future."), field="date_of_birth")
    if value < EARLIEST_BIRTH_DATE:
        raise ApplicationError(_("Date of birth is before 1900."), field="date_of_birth")
    return value


def person_postal_code_clean(raw: str) -> str:
    """A Canadian postal code, normalised ("k1a0b1" -> "K1A 0B1"); '' when blank."""
    try:
        return postal_code_normalize(raw)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="postal_code") from exc


def _full_clean(person: Person) -> None:
    try:
        person.full_clean(exclude=["delivery_partner", "created_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=field) from exc


def person_create(
    *,
    acting_user: User,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    sin: str = "",
    middle_name: str = "",
    phone: str = "",
    email: str = "",
    address_line: str = "",
    city: str = "",
    postal_code: str = "",
    language_preference: str = Language.ENGLISH,
    acknowledge_possible_duplicates: bool = False,
    channel: str = "web",
) -> Person:
    """Register a person with the acting user's delivery partner.

    The same SIN anywhere in the province is refused (a SIN belongs to one person). The same
    name and date of birth is shown as a possible duplicate; the caseworker may go on after
    checking, and that acknowledgement is audited. Every person the duplicate check matched,
    in any partner, gets an access record (the probe), written before the registration's
    transaction so that a refusal keeps it.
    """
    require_capability(acting_user, Capability.CLIENT_CREATE)
    if acting_user.delivery_partner_id is None:
        raise ApplicationError(_("Only staff of a delivery partner can register clients."))
    if not first_name.strip():
        raise ApplicationError(_("First name is required."), field="first_name")
    if not last_name.strip():
        raise ApplicationError(_("Last name is required."), field="last_name")
    date_of_birth = person_birth_date_clean(date_of_birth)
    sin_digits = person_sin_clean(sin)
    postal_code = person_postal_code_clean(postal_code)
    if language_preference not in Language.values:
        raise ApplicationError(
            _("Language must be English or French."), field="language_preference"
        )

    duplicates = person_possible_duplicates(
        user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        sin=sin_digits,
    )
    client_duplicate_probe_record(
        user=acting_user,
        person_ids=[d.person_id for d in duplicates],
        probed=["name", "date_of_birth", *(["sin"] if sin_digits else [])],
        channel=channel,
    )
    return _person_create(
        acting_user=acting_user,
        duplicates=duplicates,
        acknowledge_possible_duplicates=acknowledge_possible_duplicates,
        first_name=first_name,
        middle_name=middle_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        sin_digits=sin_digits,
        phone=phone,
        email=email,
        address_line=address_line,
        city=city,
        postal_code=postal_code,
        language_preference=language_preference,
    )


@transaction.atomic
def _person_create(
    *,
    acting_user: User,
    duplicates: list[PossibleDuplicate],
    acknowledge_possible_duplicates: bool,
    first_name: str,
    middle_name: str,
    last_name: str,
    date_of_birth: dt.date,
    sin_digits: str,
    phone: str,
    email: str,
    address_line: str,
    city: str,
    postal_code: str,
    language_preference: str,
) -> Person:
    same_sin = [d for d in duplicates if d.reason_code == "same_sin"]
    if same_sin:
        same = same_sin[0]
        raise ApplicationError(
            _("This Social Insurance Number is already registered with %(partner)s.")
            % {"partner": same.delivery_partner_name},
            field="sin",
            code="duplicate_sin",
        )
    if duplicates and not acknowledge_possible_duplicates:
        raise DuplicatePersonError(duplicates)

    person = Person(
        delivery_partner_id=own_partner_id(acting_user),
        first_name=first_name.strip(),
        middle_name=middle_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        sin=sin_digits,
        sin_last3=sin_digits[-3:],
        first_name_key=name_key(first_name),
        last_name_key=name_key(last_name),
        phone=phone.strip(),
        email=email.strip(),
        address_line=address_line.strip(),
        city=city.strip(),
        postal_code=postal_code,
        language_preference=language_preference,
        created_by=acting_user,
    )
    _full_clean(person)
    person._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    person.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PERSON_CREATED,
        subject=person,
        delivery_partner_id=person.delivery_partner_id,
        person_id=person.pk,
        extra_data={"language_preference": language_preference},
    )
    if duplicates:
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.DUPLICATE_WARNING_OVERRIDDEN,
            subject=person,
            delivery_partner_id=person.delivery_partner_id,
            person_id=person.pk,
            extra_data={"matched_person_ids": [d.person_id for d in duplicates]},
        )
    return person


@transaction.atomic
def person_update(*, acting_user: User, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's details. Records old and new values (SIN masked) in the audit event."""
    require_capability(acting_user, Capability.CLIENT_EDIT)
    require_same_partner(
        acting_user,
        person.delivery_partner_id,
        message=_("This client belongs to another delivery partner."),
    )
    unknown = set(data) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Unknown field: %(field)s") % {"field": sorted(unknown)[0]}, field=sorted(unknown)[0]
        )
    locked = Person.objects.select_for_update().get(pk=person.pk)
    changes: dict[str, dict[str, str]] = {}
    for field, raw in data.items():
        value: Any = raw
        if field == "sin":
            value = person_sin_clean(str(raw))
            if value and Person.objects.filter(sin=value).exclude(pk=locked.pk).exists():
                raise ApplicationError(
                    _("This Social Insurance Number is already registered to another person."),
                    field="sin",
                    code="duplicate_sin",
                )
        elif field == "date_of_birth":
            value = person_birth_date_clean(raw)
        elif field == "postal_code":
            value = person_postal_code_clean(str(raw))
        elif isinstance(raw, str):
            value = raw.strip()
        old = getattr(locked, field)
        if old != value:
            shown_old, shown_new = (
                (f"***{str(old)[-3:]}", f"***{str(value)[-3:]}") if field == "sin" else (old, value)
            )
            changes[field] = {"old": str(shown_old), "new": str(shown_new)}
            setattr(locked, field, value)
    if not changes:
        return locked
    locked.sin_last3 = locked.sin[-3:]
    locked.first_name_key = name_key(locked.first_name)
    locked.last_name_key = name_key(locked.last_name)
    _full_clean(locked)
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PERSON_UPDATED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        person_id=locked.pk,
        extra_data={"changes": changes},
    )
    return locked


def client_file_access_record(
    *,
    user: Any,
    person: Person,
    view_name: str,
    benefit_unit_id: int | None = None,
    channel: str = "web",
) -> ClientFileAccess:
    """Log that `user` viewed `person`'s file. Called by every view and API that shows one."""
    ACCESS_LOG_WRITES.labels(channel).inc()
    return ClientFileAccess.objects.create(
        person=person,
        benefit_unit_id=benefit_unit_id,
        user=user,
        view_name=view_name,
        channel=channel,
    )


ACCESS_DETAIL_MAX = 200
_DIGITS = re.compile(r"\d")


def access_detail_mask(text: str) -> str:
    """A search query as it may be kept in the access log: every digit masked (a SIN typed in a
    search box never reaches the log), cut to the column's length."""
    return _DIGITS.sub("#", " ".join(text.split()))[:ACCESS_DETAIL_MAX]


def client_file_accesses_record(
    *,
    user: Any,
    person_ids: Iterable[int],
    view_name: str,
    channel: str = "web",
    benefit_unit_ids: Mapping[int, int] | None = None,
    detail: str = "",
) -> int:
    """Log that `user` saw several people at once (search results, a payment file's payees, a
    case's members, a duplicate check's matches): one row per person, in one INSERT. `detail`
    says what was asked (masked by the caller: never a SIN). Returns the number of rows."""
    benefit_unit_ids = benefit_unit_ids or {}
    now = timezone.now()
    rows = [
        ClientFileAccess(
            person_id=person_id,
            benefit_unit_id=benefit_unit_ids.get(person_id),
            user=user,
            viewed_at=now,
            view_name=view_name,
            channel=channel,
            detail=detail[:ACCESS_DETAIL_MAX],
        )
        for person_id in dict.fromkeys(person_ids)
    ]
    if rows:
        ClientFileAccess.objects.bulk_create(rows, batch_size=5000)
        ACCESS_LOG_WRITES.labels(channel).inc(len(rows))
    return len(rows)


def client_duplicate_probe_record(
    *, user: Any, person_ids: list[int], probed: list[str], channel: str = "web"
) -> int:
    """Log a duplicate check that matched people, in any partner, even when the page shows the
    user nothing of them. Keeps which fields were probed, never their values."""
    return client_file_accesses_record(
        user=user,
        person_ids=person_ids,
        view_name="clients:duplicate_check",
        channel=channel,
        detail="probe: " + ", ".join(probed),
    )


def person_search_detail(search: PersonSearch) -> str:
    """What a search asked, for the access log: the fields used, values with digits masked
    (a date of birth or a case number is kept: it is not a SIN and the auditor needs it)."""
    parts = []
    if search.text:
        kept = search.text if (search.date_of_birth or search.case_number) else ""
        parts.append(f"q={kept or access_detail_mask(search.text)}")
    if search.name and search.name != search.text:
        parts.append(f"name={access_detail_mask(search.name)}")
    if search.date_of_birth and search.text != str(search.date_of_birth):
        parts.append(f"date_of_birth={search.date_of_birth.isoformat()}")
    if search.sin_last3:
        parts.append("sin_last3=###")
    if search.case_number and search.text.upper().replace("-", "") != search.case_number:
        parts.append(f"case_number={search.case_number}")
    return "; ".join(parts)[:200]
