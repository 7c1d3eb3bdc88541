"""The notice of a one-time payment decision (issue 16), PDF in English and French, rendered
from the stored request: the amount is the request's `amount_cents`, the same integer that goes
into the CPA-005 credit or onto the cheque list. A discretionary benefit (O. Reg. 134/98 s. 59)
cannot be appealed to the Social Benefits Tribunal (Ontario Works Act, 1997, s. 26(2) para 2),
so its notice says so instead of giving the review and appeal rights."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from caseworks.accounts.models import User
from caseworks.core.money import display_cents
from caseworks.documents.services import notices_store

from .constants import DISCRETIONARY_KINDS, OneTimeStatus
from .letters import _base, _pdf
from .models import OneTimePayment

TITLES = {
    "en": {
        "approved": "Notice: one-time payment approved",
        "refused": "Notice: one-time payment refused",
    },
    "fr": {
        "approved": "Avis : paiement unique accordé",
        "refused": "Avis : paiement unique refusé",
    },
}
KIND_NAMES = {
    "en": {
        "adult_dental": "adult dental care",
        "child_care_advance": "advance child care costs",
        "employment_expenses": "employment-related expenses",
        "eyeglasses": "eyeglasses",
        "full_time_employment": "the Full-Time Employment Benefit",
        "funeral_burial": "funeral and burial costs",
        "health_authorization": "a health benefit paid to a vendor",
        "moving": "moving costs",
        "newborn_items": "items for a newborn",
    },
    "fr": {
        "adult_dental": "soins dentaires pour adultes",
        "child_care_advance": "frais de garde d’enfants payés d’avance",
        "employment_expenses": "dépenses liées à l’emploi",
        "eyeglasses": "lunettes",
        "full_time_employment": "la prestation d’emploi à temps plein",
        "funeral_burial": "frais funéraires et d’inhumation",
        "health_authorization": "une prestation de santé payée à un fournisseur",
        "moving": "frais de déménagement",
        "newborn_items": "articles pour un nouveau-né",
    },
}


def _outcome(payment: OneTimePayment) -> str:
    return "approved" if payment.status != OneTimeStatus.REFUSED else "refused"


def render_one_time_notice(payment: OneTimePayment, language: str) -> bytes:
    language = "fr" if language == "fr" else "en"
    outcome = _outcome(payment)
    decided = timezone.localtime(payment.decided_at or timezone.now()).date()
    context = _base(payment.benefit_unit, language, decided)
    context.update(
        {
            "title": TITLES[language][outcome],
            "outcome": outcome,
            "benefit": KIND_NAMES[language][payment.kind],
            "amount": display_cents(payment.amount_cents, language),
            "method": payment.method,
            "payee": payment.payee,
            "payee_name": payment.payee_name,
            "reason": payment.reason,
            "refusal_reason": payment.refusal_reason,
            "citation": payment.citation,
            "discretionary": payment.kind in DISCRETIONARY_KINDS,
            "payment_id": payment.pk,
        }
    )
    return _pdf(f"payments/one_time_{language}.html", context)


@transaction.atomic
def one_time_notices_generate(*, acting_user: User, payment: OneTimePayment) -> OneTimePayment:
    outcome = _outcome(payment)
    notices_store(
        acting_user=acting_user,
        benefit_unit=payment.benefit_unit,
        subject=payment,
        titles={language: TITLES[language][outcome] for language in ("en", "fr")},
        render=lambda language: render_one_time_notice(payment, language),
    )
    return payment
