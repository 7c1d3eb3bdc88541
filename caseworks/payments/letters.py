"""Notices for payment actions and overpayments, as PDF in English and French (WeasyPrint).

Rendered only from stored rows (the action, the ledger entry and the case), with the letter base
of caseworks.documents and its `display_cents` money format, and always the review rights.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import case_applicant
from caseworks.core.money import display_cents
from caseworks.documents.letters import _date_text
from caseworks.documents.services import notices_store
from caseworks.eligibility.constants import INTERNAL_REVIEW_DAYS

from .constants import RECOVERY_CITATION
from .facts import default_rate_bp
from .models import LedgerEntry, PaymentAction, PaymentProfile

ACTION_TITLES = {
    "en": {
        "hold": "Notice: your payments are on hold",
        "hold_released": "Notice: your payments are no longer on hold",
        "suspension": "Notice: your assistance is suspended",
        "cancellation": "Notice: your assistance is cancelled",
        "reinstatement": "Notice: your assistance is reinstated",
    },
    "fr": {
        "hold": "Avis : vos paiements sont retenus",
        "hold_released": "Avis : vos paiements ne sont plus retenus",
        "suspension": "Avis : votre aide est suspendue",
        "cancellation": "Avis : votre aide est annulée",
        "reinstatement": "Avis : votre aide est rétablie",
    },
}
OVERPAYMENT_TITLES = {"en": "Notice of overpayment", "fr": "Avis de paiement en trop"}


def _person(benefit_unit: BenefitUnit) -> Any:
    applicant = case_applicant(benefit_unit)
    return applicant.person if applicant else None


def _base(benefit_unit: BenefitUnit, language: str, on: Any) -> dict[str, Any]:
    partner = benefit_unit.delivery_partner
    return {
        "language": language,
        "partner_name": (partner.name_fr or partner.name) if language == "fr" else partner.name,
        "case_number": benefit_unit.case_number,
        "person": _person(benefit_unit),
        "dated": _date_text(on, language),
        "review_days": INTERNAL_REVIEW_DAYS,
    }


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # noqa: PLC0415  # ~1 s of import (cffi): paid by the first letter only

    pdf: bytes = weasyprint.HTML(string=render_to_string(template, context)).write_pdf()
    return pdf


def render_payment_action_notice(action: PaymentAction, language: str) -> bytes:
    language = "fr" if language == "fr" else "en"
    context = _base(action.benefit_unit, language, timezone.localtime(action.recorded_at).date())
    context.update(
        {
            "title": ACTION_TITLES[language][action.kind],
            "kind": action.kind,
            "reason": action.reason,
            "effective_on": _date_text(action.effective_on, language),
            "action_id": action.pk,
        }
    )
    return _pdf(f"payments/payment_action_{language}.html", context)


def render_overpayment_notice(entry: LedgerEntry, language: str) -> bytes:
    language = "fr" if language == "fr" else "en"
    benefit_unit = entry.benefit_unit
    balance = sum(
        e.amount_cents
        for e in LedgerEntry.objects.filter(
            benefit_unit=benefit_unit,
            kind__in=("overpayment", "recovery", "repayment", "write_off"),
            id__lte=entry.pk,
        )
    )
    profile = PaymentProfile.objects.filter(benefit_unit=benefit_unit).first()
    rate_bp = (
        profile.recovery_rate_bp
        if profile and profile.recovery_rate_bp is not None
        else default_rate_bp(benefit_unit.delivery_partner)
    )
    percent = f"{rate_bp / 100:g}".replace(".", "," if language == "fr" else ".")
    context = _base(benefit_unit, language, timezone.localtime(entry.recorded_at).date())
    context.update(
        {
            "title": OVERPAYMENT_TITLES[language],
            "amount": display_cents(entry.amount_cents, language),
            "balance": display_cents(balance, language),
            "benefit_month": _date_text(entry.benefit_month, language, with_day=False)
            if entry.benefit_month
            else "",
            "reason": entry.reason,
            "citation": entry.citation,
            "rate": percent,
            "recovery_citation": RECOVERY_CITATION,
            "entry_id": entry.pk,
        }
    )
    return _pdf(f"payments/overpayment_{language}.html", context)


@transaction.atomic
def payment_action_notices_generate(*, acting_user: User, action: PaymentAction) -> PaymentAction:
    notices_store(
        acting_user=acting_user,
        benefit_unit=action.benefit_unit,
        subject=action,
        titles={language: ACTION_TITLES[language][action.kind] for language in ("en", "fr")},
        render=lambda language: render_payment_action_notice(action, language),
    )
    return action


@transaction.atomic
def ledger_notices_generate(*, acting_user: User, entry: LedgerEntry) -> LedgerEntry:
    notices_store(
        acting_user=acting_user,
        benefit_unit=entry.benefit_unit,
        subject=entry,
        titles=OVERPAYMENT_TITLES,
        render=lambda language: render_overpayment_notice(entry, language),
    )
    return entry
