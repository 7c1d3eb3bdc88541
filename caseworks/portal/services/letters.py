"""Letters made on demand: the proof of assistance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from caseworks.accounts.models import User
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.money import display_cents
from caseworks.documents.models import Document
from caseworks.documents.services import notice_store
from caseworks.payments.letters import _base, _pdf

from ..models import PortalAccount
from ._common import (
    require_own_account,
)

PROOF_TITLES = {"en": "Proof of assistance", "fr": "Preuve d'aide sociale"}


@dataclass(frozen=True)
class ProofFacts:
    """What the proof of assistance states, all read from stored rows."""

    since: dt.date
    last_payment_month: dt.date | None
    last_payment_cents: int | None


@transaction.atomic
def proof_of_assistance_issue(
    *, acting_user: User, account: PortalAccount, language: str, facts: ProofFacts
) -> Document:
    """A letter, on demand, that the client receives Ontario Works (for a landlord, a school, a
    bank), kept on the case like every letter. Only an active case gets one."""
    require_own_account(acting_user=acting_user, account=account)
    case = account.benefit_unit
    if case.status != "active":
        raise ApplicationError(
            _("A proof of assistance is given only while assistance is active."),
            code="case_not_active",
        )
    language = "fr" if language == "fr" else "en"
    with override(language):
        context = _base(case, language, timezone.localdate())
        context.update(
            {
                "title": PROOF_TITLES[language],
                "client": account.person,
                "since": facts.since,
                "last_payment_month": facts.last_payment_month,
                "last_payment": display_cents(facts.last_payment_cents, language)
                if facts.last_payment_cents is not None
                else "",
            }
        )
        pdf = _pdf(f"portal/proof_of_assistance_{language}.html", context)
    document = notice_store(
        acting_user=acting_user,
        benefit_unit=case,
        person=account.person,
        title=PROOF_TITLES[language],
        pdf=pdf,
        language=language,
        delivered_online=True,  # the client has it: not a letter to post
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PORTAL_PROOF_OF_ASSISTANCE_ISSUED,
        subject=document,
        delivery_partner_id=case.delivery_partner_id,
        person_id=account.person_id,
        benefit_unit_id=case.pk,
        extra_data={"language": language},
    )
    return document
