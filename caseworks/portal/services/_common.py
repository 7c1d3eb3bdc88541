"""What the portal's writes share: the client's own account check, ages and current membership."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.clients.models import Person
from caseworks.core.errors import ApplicationError

from ..models import PortalAccount

REPORTING_ROLES = (MemberRole.APPLICANT, MemberRole.SPOUSE, MemberRole.DEPENDANT_ADULT)
ADULT_AGE = 18
NO_MATCH = "activation_no_match"


def _hash(code: str) -> str:
    return hashlib.sha256(
        code.strip().upper().replace("-", "").replace(" ", "").encode()
    ).hexdigest()


def _age_on(person: Person, day: dt.date) -> int:
    born = person.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _current_member(benefit_unit: BenefitUnit, person: Person) -> BenefitUnitMember | None:
    today = timezone.localdate()
    return (
        BenefitUnitMember.objects.filter(
            benefit_unit=benefit_unit, person=person, start_on__lte=today
        )
        .exclude(end_on__lt=today)
        .first()
    )


def require_own_account(*, acting_user: User, account: PortalAccount) -> None:
    """The acting user is this portal account's own user (clients act only for themselves)."""
    if not acting_user.is_authenticated or account.user_id != acting_user.pk:
        raise ApplicationError(_("This is not your account."), code="not_your_account")
