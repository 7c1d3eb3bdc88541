"""The health benefit authorization letter (issue 16), PDF in English and French, for the
vendor and the client: what is authorized, for whom, the limit, the period, where to send the
invoice and the rule. Rendered from the stored authorization: the limit shown is its
`limit_cents`, the integer the invoices are checked against and paid from. A refusal is a
notice of decision: a discretionary benefit (s. 59) has no appeal (Act s. 26(2) para 2), a
mandatory one gives the review and appeal rights."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from caseworks.accounts.models import User
from caseworks.core.money import display_cents
from caseworks.documents.letters import _date_text
from caseworks.documents.services import notices_store

from . import health_rules
from .constants import DISCRETIONARY_AUTHORIZATION_KINDS, HealthAuthorizationStatus
from .letters import _base, _pdf
from .models import HealthAuthorization

TITLES = {
    "en": {
        "approved": "Authorization: health benefit from a vendor",
        "refused": "Notice: health benefit authorization refused",
    },
    "fr": {
        "approved": "Autorisation : prestation de santé fournie par un fournisseur",
        "refused": "Avis : autorisation de prestation de santé refusée",
    },
}
KIND_NAMES = {
    "en": {
        "child_vision": "vision items and services for a child",
        "adult_eye_exam": "a routine eye examination",
        "diabetic_surgical": "diabetic supplies, surgical supplies and dressings",
        "medical_transportation": "transportation to medical treatment",
        "adp_share": "the client's share of an Assistive Devices Program device",
        "adult_dental": "dental care for an adult",
        "funeral_burial": "a funeral and burial",
    },
    "fr": {
        "child_vision": "des articles et services de soins de la vue pour un enfant",
        "adult_eye_exam": "un examen de la vue de routine",
        "diabetic_surgical": "des fournitures pour diabétiques, fournitures chirurgicales et "
        "pansements",
        "medical_transportation": "le transport pour un traitement médical",
        "adp_share": "la part du client d’un appareil du Programme d’appareils et accessoires "
        "fonctionnels",
        "adult_dental": "des soins dentaires pour un adulte",
        "funeral_burial": "des funérailles et une inhumation",
    },
}


def _outcome(authorization: HealthAuthorization) -> str:
    return "refused" if authorization.status == HealthAuthorizationStatus.REFUSED else "approved"


def render_health_authorization_letter(authorization: HealthAuthorization, language: str) -> bytes:
    language = "fr" if language == "fr" else "en"
    outcome = _outcome(authorization)
    decided = timezone.localtime(authorization.decided_at or timezone.now()).date()
    context = _base(authorization.benefit_unit, language, decided)
    member = authorization.member
    context.update(
        {
            "title": TITLES[language][outcome],
            "outcome": outcome,
            "benefit": KIND_NAMES[language][authorization.kind],
            "member_name": f"{member.first_name} {member.last_name}",
            "limit": display_cents(authorization.limit_cents, language),
            "device_price": display_cents(authorization.device_price_cents, language)
            if authorization.device_price_cents
            else "",
            "starts_on": _date_text(authorization.starts_on, language),
            "ends_on": _date_text(authorization.ends_on, language),
            "vendor_name": authorization.vendor_name,
            "vendor_address": authorization.vendor_address,
            "vendor_number": authorization.vendor_number,
            "method": authorization.method,
            "kind": authorization.kind,
            "refusal_reason": authorization.refusal_reason,
            "citation": health_rules.citation(authorization.kind, language),
            "discretionary": authorization.kind in DISCRETIONARY_AUTHORIZATION_KINDS,
            "authorization_id": authorization.pk,
        }
    )
    if authorization.kind == "medical_transportation":
        on = authorization.starts_on
        north = health_rules.is_north(authorization.benefit_unit.delivery_partner.region)
        context["mileage_rate"] = display_cents(
            health_rules.mileage_rate_cents(on, north=north), language
        )
        context["monthly_minimum"] = display_cents(
            health_rules.medical_transportation_minimum_cents(on), language
        )
    return _pdf(f"payments/health_authorization_{language}.html", context)


@transaction.atomic
def health_authorization_letters_generate(
    *, acting_user: User, authorization: HealthAuthorization
) -> HealthAuthorization:
    """Store the letter in English and French on the case (the client's documents), once the
    authorization is decided."""
    outcome = _outcome(authorization)
    notices_store(
        acting_user=acting_user,
        benefit_unit=authorization.benefit_unit,
        subject=authorization,
        titles={language: TITLES[language][outcome] for language in ("en", "fr")},
        render=lambda language: render_health_authorization_letter(authorization, language),
    )
    return authorization
