"""Activation: the one-time code of the notice of decision, with date of birth and case number."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError

from ..constants import (
    ACTIVATION_ALPHABET,
    ACTIVATION_CODE_DAYS,
    ACTIVATION_CODE_LENGTH,
    ACTIVATION_MAX_FAILURES,
)
from ..models import ActivationCode, PortalAccount
from ..sms import normalise_phone
from ._common import (
    ADULT_AGE,
    NO_MATCH,
    _age_on,
    _current_member,
    _hash,
)


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def activation_code_issue(
    *, acting_user: User, benefit_unit: BenefitUnit, person: Person
) -> tuple[ActivationCode, str]:
    """A new one-time activation code for an adult member of the case (the caseworker's
    button). Earlier unused codes for the person stop working. Returns the code in clear, shown
    once (to print or read to the client); only its hash is kept."""
    require_capability(acting_user, Capability.CASE_EDIT)
    if acting_user.delivery_partner_id != benefit_unit.delivery_partner_id:
        raise ApplicationError(_("This case belongs to another delivery partner."))
    member = _current_member(benefit_unit, person)
    if member is None:
        raise ApplicationError(_("This person is not a member of the case."), field="person")
    if _age_on(person, timezone.localdate()) < ADULT_AGE:
        raise ApplicationError(
            _("Only adults (18 or older) can have an online account."), field="person"
        )
    if PortalAccount.objects.filter(person=person).exists():
        raise ApplicationError(
            _("This person already has an online account."), field="person", code="has_account"
        )
    now = timezone.now()
    ActivationCode.objects.filter(person=person, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))
    row = ActivationCode.objects.create(
        benefit_unit=benefit_unit,
        person=person,
        code_hash=_hash(code),
        issued_by=acting_user,
        issued_at=now,
        expires_at=now + dt.timedelta(days=ACTIVATION_CODE_DAYS),
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_ACTIVATION_CODE_ISSUED,
        subject=row,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"expires_at": row.expires_at.isoformat()},
    )
    return row, format_code(code)


def _no_match() -> ApplicationError:
    return ApplicationError(
        _(
            "The activation code, date of birth and case number do not match our records. "
            "Check the letter with your code, or ask your caseworker for a new code."
        ),
        field="code",
        code=NO_MATCH,
    )


def _count_failure(case_number: str) -> None:
    """Count a wrong try against the case's live codes (its own transaction: the refusal that
    follows rolls back the caller's)."""
    with transaction.atomic():
        ActivationCode.objects.filter(
            benefit_unit__case_number=case_number, used_at=None, revoked_at=None
        ).update(failures=F("failures") + 1)


def _clean_case_number(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def portal_account_activate(
    *,
    code: str,
    date_of_birth: dt.date,
    case_number: str,
    username: str,
    password: str,
    email: str = "",
) -> PortalAccount:
    """Open a client's account with the one-time code, their date of birth and case number. The
    username may be the client's phone number; e-mail is optional. The mobile number on file
    becomes the number text-message reports are accepted from."""
    number = _clean_case_number(case_number)
    with transaction.atomic():
        live = (
            ActivationCode.objects.select_for_update()
            .select_related("person", "benefit_unit")
            .filter(
                benefit_unit__case_number=number,
                code_hash=_hash(code),
                used_at=None,
                revoked_at=None,
                expires_at__gt=timezone.now(),
                failures__lt=ACTIVATION_MAX_FAILURES,
            )
            .first()
        )
        matched = live is not None and live.person.date_of_birth == date_of_birth
    if not matched or live is None:
        _count_failure(number)
        raise _no_match()
    return _activate(code_row=live, username=username, password=password, email=email)


@transaction.atomic
def _activate(
    *, code_row: ActivationCode, username: str, password: str, email: str
) -> PortalAccount:
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ApplicationError(
            _("Choose a username (your phone number is fine)."), field="username"
        )
    if len(username) > 150 or not all(ch.isalnum() or ch in "@.+-_" for ch in username):
        raise ApplicationError(
            _("A username has letters, digits and @ . + - _ only."), field="username"
        )
    if user_model.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("This username is taken: choose another."), field="username", code="username_taken"
        )
    person = code_row.person
    candidate = user_model(
        username=username,
        email=email.strip(),
        first_name=person.first_name,
        last_name=person.last_name,
        preferred_language=person.language_preference,
    )
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    candidate.set_password(password)
    candidate._history_user = None  # type: ignore[attr-defined]
    candidate.save()
    locked = ActivationCode.objects.select_for_update().get(pk=code_row.pk)
    if locked.used_at is not None:
        raise _no_match()
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    account = PortalAccount(
        user=candidate,
        person=person,
        benefit_unit=code_row.benefit_unit,
        sms_phone=normalise_phone(person.phone),
    )
    account._history_user = candidate  # type: ignore[attr-defined]
    account.full_clean()
    account.save()
    audit_record(
        acting_user=candidate,
        event_type=AuditEventType.PORTAL_ACCOUNT_ACTIVATED,
        subject=account,
        delivery_partner_id=code_row.benefit_unit.delivery_partner_id,
        person_id=person.pk,
        benefit_unit_id=code_row.benefit_unit_id,
        extra_data={"activation_code_id": locked.pk, "has_email": bool(candidate.email)},
    )
    return account
