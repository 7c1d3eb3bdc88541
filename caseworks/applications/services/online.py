"""The online application (issue 17): a person with no case yet applies from their phone, and the
application lands in the Ministry intake unit's queue as an inquiry marked "online", with the
pre-screen run on what they typed. Intake staff then work it as any inquiry: register the
person (pre-filled from the answers) and start the application (pre-filled from the pre-screen).

Since 1 October 2024 the Ministry is the delivery agent for initial eligibility decisions
(O. Reg. 369/24; caseworks/partners/reference.py): its intake unit is the delivery partner
whose code is `MINISTRY_CODE`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.calculation import engine
from caseworks.clients.constants import Language
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.validators import postal_code_normalize
from caseworks.partners.models import DeliveryPartner
from caseworks.partners.reference import MINISTRY_CODE

from ..constants import (
    ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR,
    InquiryChannel,
    PrescreenResult,
    UrgentNeed,
)
from ..models import Inquiry
from ._common import MAX_ASSET_CENTS, _check_cents
from .intake import prescreen_unit

MAX_CHILDREN = 20
_DRAFT_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out on the phone


@dataclass(frozen=True)
class ChildAnswers:
    first_name: str
    last_name: str
    date_of_birth: dt.date


@dataclass(frozen=True)
class OnlineAnswers:
    """Everything the applicant typed, screen by screen (money in cents)."""

    first_name: str
    last_name: str
    date_of_birth: dt.date
    phone: str = ""
    email: str = ""
    language: str = Language.ENGLISH
    address_line: str = ""
    city: str = ""
    postal_code: str = ""
    has_spouse: bool = False
    spouse_first_name: str = ""
    spouse_last_name: str = ""
    spouse_date_of_birth: dt.date | None = None
    children: tuple[ChildAnswers, ...] = ()
    monthly_income_cents: int = 0
    assets_cents: int = 0
    shelter_cost_cents: int = 0
    urgent_needs: tuple[str, ...] = field(default_factory=tuple)
    consent: bool = False
    declaration: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat()
        data["spouse_date_of_birth"] = (
            self.spouse_date_of_birth.isoformat() if self.spouse_date_of_birth else ""
        )
        data["children"] = [
            {**asdict(c), "date_of_birth": c.date_of_birth.isoformat()} for c in self.children
        ]
        data["urgent_needs"] = list(self.urgent_needs)
        return data


def _required(value: str, field_name: str, message: str) -> None:
    if not value.strip():
        raise ApplicationError(message, field=field_name, code="required")


def _check_birth(value: dt.date | None, field_name: str, message: str) -> None:
    today = timezone.localdate()
    if value is None or value > today or value.year < today.year - 120:
        raise ApplicationError(message, field=field_name, code="date_of_birth")


def online_answers_check(answers: OnlineAnswers) -> None:
    """Refuse answers the intake unit could not act on, naming the field (nothing saved)."""
    _required(answers.first_name, "first_name", _("First name: enter a value."))
    _required(answers.last_name, "last_name", _("Last name: enter a value."))
    _check_birth(
        answers.date_of_birth, "date_of_birth", _("Date of birth: enter a date in the past.")
    )
    if not answers.phone.strip() and not answers.email.strip():
        raise ApplicationError(
            _("Phone: enter a phone number or an email address so that we can reach you."),
            field="phone",
            code="contact_required",
        )
    if answers.language not in Language.values:
        raise ApplicationError(_("Language: choose English or French."), field="language")
    _required(answers.address_line, "address_line", _("Address: enter a value."))
    _required(answers.city, "city", _("City or town: enter a value."))
    try:
        postal_ok = bool(postal_code_normalize(answers.postal_code))
    except ValidationError:
        postal_ok = False
    if not postal_ok:
        raise ApplicationError(
            _("Postal code: enter a Canadian postal code, for example K1A 0B1."),
            field="postal_code",
        )
    if answers.has_spouse:
        _required(
            answers.spouse_first_name, "spouse_first_name", _("Spouse's first name: enter a value.")
        )
        _required(
            answers.spouse_last_name, "spouse_last_name", _("Spouse's last name: enter a value.")
        )
        _check_birth(
            answers.spouse_date_of_birth,
            "spouse_date_of_birth",
            _("Spouse's date of birth: enter a date in the past."),
        )
    if len(answers.children) > MAX_CHILDREN:
        raise ApplicationError(_("Children: 20 at most."), field="children")
    for index, child in enumerate(answers.children):
        _required(
            child.first_name,
            f"children.{index}.first_name",
            _("Child's first name: enter a value."),
        )
        _check_birth(
            child.date_of_birth,
            f"children.{index}.date_of_birth",
            _("Child's date of birth: enter a date in the past."),
        )
    _check_cents(answers.monthly_income_cents, "monthly_income_cents")
    _check_cents(answers.shelter_cost_cents, "shelter_cost_cents")
    _check_cents(answers.assets_cents, "assets_cents", MAX_ASSET_CENTS)
    if any(need not in UrgentNeed.values for need in answers.urgent_needs):
        raise ApplicationError(_("Urgent need: choose from the list."), field="urgent_needs")
    if not answers.consent:
        raise ApplicationError(
            _("Consent: tick the box to let us check your information."), field="consent"
        )
    if not answers.declaration:
        raise ApplicationError(
            _("Declaration: tick the box to confirm your answers are true."), field="declaration"
        )


def sender_address_hash(address: str) -> str:
    """A keyed hash of the sender's IP address: enough to count, nothing to read back."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def ministry_intake_partner() -> DeliveryPartner:
    try:
        return DeliveryPartner.objects.get(code=MINISTRY_CODE, is_active=True)
    except DeliveryPartner.DoesNotExist as exc:
        raise ApplicationError(
            _("Online applications are not open: the Ministry intake unit is not set up."),
            field="__all__",
            code="no_intake_unit",
        ) from exc


def _new_reference() -> str:
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(8))
        reference = f"OW-{code[:4]}-{code[4:]}"
        if not Inquiry.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def online_application_submit(
    *, answers: OnlineAnswers, draft_key: str, sender_address: str
) -> Inquiry:
    """File an online application in the Ministry intake unit's queue, pre-screened.

    Replay-safe: the same draft submitted again (a double click, a re-post) returns the first
    inquiry and its reference, and records nothing. An address that sent
    ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR applications in the last hour is refused.
    """
    if not _DRAFT_KEY.fullmatch(draft_key):
        raise ApplicationError(_("Start your application again."), field="draft_key")
    earlier = Inquiry.objects.filter(draft_key=draft_key).first()
    if earlier is not None:
        return earlier
    online_answers_check(answers)
    address_hash = sender_address_hash(sender_address)
    recent = Inquiry.objects.filter(
        address_hash=address_hash, created_at__gte=timezone.now() - dt.timedelta(hours=1)
    ).count()
    if recent >= ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR:
        raise ApplicationError(
            _(
                "Too many applications were sent from this connection. "
                "Try again in an hour, or call us."
            ),
            field="__all__",
            code="too_many",
        )
    partner = ministry_intake_partner()
    children = len(answers.children)
    adults = 2 if answers.has_spouse else 1
    unit = prescreen_unit(
        adults=adults,
        children=children,
        has_spouse=answers.has_spouse,
        monthly_income_cents=answers.monthly_income_cents,
        shelter_cost_cents=answers.shelter_cost_cents,
        assets_cents=answers.assets_cents,
        benefit_month=timezone.localdate().replace(day=1),
    )
    result = engine.calculate(unit)
    inquiry = Inquiry(
        delivery_partner=partner,
        recorded_by=None,
        channel=InquiryChannel.ONLINE,
        reference=_new_reference(),
        urgent=bool(answers.urgent_needs),
        caller_name=f"{answers.first_name.strip()} {answers.last_name.strip()}",
        phone=answers.phone.strip(),
        email=answers.email.strip(),
        language=answers.language,
        adults=adults,
        children=children,
        has_spouse=answers.has_spouse,
        monthly_income_cents=answers.monthly_income_cents,
        shelter_cost_cents=answers.shelter_cost_cents,
        assets_cents=answers.assets_cents,
        prescreen_result=PrescreenResult.LIKELY_ELIGIBLE
        if result["eligible"]
        else PrescreenResult.LIKELY_INELIGIBLE,
        prescreen_snapshot={"input": unit, "output": result},
        rules_version=result["rules_version"],
        online_answers=answers.as_json(),
        draft_key=draft_key,
        address_hash=address_hash,
    )
    try:
        with transaction.atomic():  # a concurrent submit of the same draft waits here
            inquiry.save()
    except IntegrityError:
        return Inquiry.objects.get(draft_key=draft_key)
    audit_record(
        acting_user=None,
        event_type=AuditEventType.INQUIRY_RECORDED,
        subject=inquiry,
        delivery_partner_id=partner.pk,
        extra_data={
            "channel": InquiryChannel.ONLINE,
            "reference": inquiry.reference,
            "urgent": inquiry.urgent,
            "prescreen_result": inquiry.prescreen_result,
        },
    )
    return inquiry


def online_answers_registration(inquiry: Inquiry) -> dict[str, Any]:
    """The registration form's initial values from an online application (nothing typed
    twice); empty for a phone inquiry."""
    data = inquiry.online_answers or {}
    if inquiry.channel != InquiryChannel.ONLINE or not data:
        return {}
    return {
        "first_name": data.get("first_name", ""),
        "last_name": data.get("last_name", ""),
        "date_of_birth": data.get("date_of_birth", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
        "language_preference": data.get("language", Language.ENGLISH),
        "address_line": data.get("address_line", ""),
        "city": data.get("city", ""),
        "postal_code": data.get("postal_code", ""),
    }
