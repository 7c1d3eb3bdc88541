"""Direct-deposit bank accounts: checking the numbers and recording an account."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from ..models import (
    BankAccount,
)


def bank_details_errors(institution: str, transit: str, account: str) -> dict[str, str]:
    """Field → message for digits that cannot be a Canadian account (checked on entry)."""
    errors = {}
    if not re.fullmatch(r"[0-9]{3}", institution):
        errors["institution"] = _("The institution number is 3 digits (for example 004).")
    if not re.fullmatch(r"[0-9]{5}", transit):
        errors["transit"] = _("The transit (branch) number is 5 digits (for example 12345).")
    if not re.fullmatch(r"[0-9]{7,12}", account):
        errors["account"] = _("The account number is 7 to 12 digits, without spaces or dashes.")
    return errors


def bank_details_clean(
    *, holder_name: str, institution: str, transit: str, account: str
) -> tuple[str, str, str]:
    """(institution, transit, account) without spaces or dashes, or an ApplicationError naming
    the first wrong field. Used by every path that records bank details."""
    institution, transit = institution.strip(), transit.strip()
    account = account.strip().replace(" ", "").replace("-", "")
    errors = bank_details_errors(institution, transit, account)
    if errors:
        field, message = next(iter(errors.items()))
        raise ApplicationError(message, field=field, code="bank_digits")
    if not holder_name.strip():
        raise ApplicationError(_("Give the account holder's name."), field="holder_name")
    return institution, transit, account


@transaction.atomic
def bank_account_record(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    holder_name: str,
    institution: str,
    transit: str,
    account: str,
    start_on: dt.date | None = None,
) -> BankAccount:
    """A new direct deposit account; the previous one is ended (kept as history)."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    institution, transit, account = bank_details_clean(
        holder_name=holder_name, institution=institution, transit=transit, account=account
    )
    start_on = start_on or timezone.localdate()
    BenefitUnit.objects.select_for_update().get(pk=benefit_unit.pk)
    for current in BankAccount.objects.filter(benefit_unit=benefit_unit, end_on__isnull=True):
        current.end_on = max(start_on, current.start_on)
        current._history_user = acting_user  # type: ignore[attr-defined]
        current.save(update_fields=["end_on", "modified_at"])
    bank = BankAccount(
        benefit_unit=benefit_unit,
        holder_name=holder_name.strip()[:30],
        institution=institution,
        transit=transit,
        account=account,
        start_on=start_on,
        recorded_by=acting_user,
    )
    bank._history_user = acting_user  # type: ignore[attr-defined]
    bank.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.BANK_ACCOUNT_RECORDED,
        subject=bank,
        delivery_partner_id=benefit_unit.delivery_partner_id,
        benefit_unit_id=benefit_unit.pk,
        extra_data={"institution": institution, "transit": transit, "account_last3": account[-3:]},
    )
    return bank


# --- Holds, suspensions, cancellations, reinstatements --------------------------------------
