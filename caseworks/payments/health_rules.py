"""The amounts and conditions of the health benefits a vendor is authorized to provide (issue
16), read from the rules package's dated parameters (`ontario_works.health`), with the rule each
comes from, in English and French. Mandatory benefits: O. Reg. 134/98 s. 55(1) paras 1 and 1.1;
discretionary (adult dental, funeral and burial): s. 59(2), amount set by the delivery partner."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openfisca_ontario_works import tax_benefit_system

from .constants import HealthAuthorizationKind, OneTimeBenefitKind

# The one-time benefit each authorization is paid as (discretionary kinds keep their one-time
# name, so the partner's yearly s. 59 limit counts both paths).
PAYMENT_KINDS: dict[str, str] = {
    HealthAuthorizationKind.ADULT_DENTAL: OneTimeBenefitKind.ADULT_DENTAL,
    HealthAuthorizationKind.FUNERAL_BURIAL: OneTimeBenefitKind.FUNERAL_BURIAL,
}

CITATIONS: dict[str, dict[str, str]] = {
    HealthAuthorizationKind.CHILD_VISION: {
        "en": "O. Reg. 134/98, s. 55(1) para 1 ii (members younger than 18)",
        "fr": "Règl. de l'Ont. 134/98, art. 55(1) disp. 1 ii (membres de moins de 18 ans)",
    },
    HealthAuthorizationKind.ADULT_EYE_EXAM: {
        "en": "O. Reg. 134/98, s. 55(1) para 1.1 and s. 55(1.0.0.1) (O. Reg. 137/05): once in "
        "24 months, members 20 to 64 (not paid by OHIP)",
        "fr": "Règl. de l'Ont. 134/98, disp. 1.1 du par. 55(1) et par. 55(1.0.0.1) (Règl. de "
        "l'Ont. 137/05) : une fois par 24 mois, membres de 20 à 64 ans (non payé par l'Assurance-"
        "santé)",
    },
    HealthAuthorizationKind.DIABETIC_SURGICAL: {
        "en": "O. Reg. 134/98, s. 55(1) para 1 iii (O. Reg. 491/01): cost not otherwise "
        "reimbursed, on prescription",
        "fr": "Règl. de l'Ont. 134/98, art. 55(1) disp. 1 iii (Règl. de l'Ont. 491/01) : coût "
        "non remboursé autrement, sur ordonnance",
    },
    HealthAuthorizationKind.MEDICAL_TRANSPORTATION: {
        "en": "O. Reg. 134/98, s. 55(1) para 1 iii.1 (O. Reg. 491/01): the month's whole cost "
        "when it is $15 or more; mileage rates of the ministry (January 2017)",
        "fr": "Règl. de l'Ont. 134/98, art. 55(1) disp. 1 iii.1 (Règl. de l'Ont. 491/01) : tout "
        "le coût du mois s'il est de 15 $ ou plus; taux de kilométrage du ministère (janvier 2017)",
    },
    HealthAuthorizationKind.ADP_SHARE: {
        "en": "O. Reg. 134/98, s. 55(1) para 1; OW Policy Directive 7.2 (the consumer's 25 % "
        "share of the Assistive Devices Program price)",
        "fr": "Règl. de l'Ont. 134/98, art. 55(1) disp. 1; Directive 7.2 du programme Ontario au "
        "travail (la part de 25 % du consommateur sur le prix du Programme d'appareils et "
        "accessoires fonctionnels)",
    },
    HealthAuthorizationKind.ADULT_DENTAL: {
        "en": "O. Reg. 134/98, s. 59(2) para 1; amount set by the delivery partner (s. 59(1))",
        "fr": "Règl. de l'Ont. 134/98, art. 59(2) disp. 1; montant fixé par le partenaire de "
        "prestation (art. 59(1))",
    },
    HealthAuthorizationKind.FUNERAL_BURIAL: {
        "en": "O. Reg. 134/98, s. 59(2) para 6; amount set by the delivery partner (s. 59(1)); "
        "approved before the contract",
        "fr": "Règl. de l'Ont. 134/98, art. 59(2) disp. 6; montant fixé par le partenaire de "
        "prestation (art. 59(1)); approuvé avant le contrat",
    },
}


def _health(on: dt.date) -> Any:
    return tax_benefit_system().parameters(on.isoformat()).ontario_works.health


def _cents(value: Any) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def payment_kind(kind: str) -> str:
    return PAYMENT_KINDS.get(kind, OneTimeBenefitKind.HEALTH_AUTHORIZATION)


def citation(kind: str, language: str = "en") -> str:
    return CITATIONS[kind]["fr" if language == "fr" else "en"]


def child_vision_age_limit(on: dt.date) -> int:
    return int(_health(on).child_vision_age_limit)


def eye_exam_rule(on: dt.date) -> tuple[int, int, int, int]:
    """(amount in cents, months between two, youngest age, oldest age) in force on `on`."""
    health = _health(on)
    return (
        _cents(health.adult_eye_exam_amount),
        int(health.adult_eye_exam_interval_months),
        int(health.adult_eye_exam_minimum_age),
        int(health.adult_eye_exam_maximum_age),
    )


def adp_share_cents(price_cents: int, on: dt.date) -> int:
    """The consumer's share of the ADP price that Ontario Works pays, to the cent (half up)."""
    share = Decimal(str(_health(on).adp_consumer_share))
    return int((Decimal(price_cents) * share).to_integral_value(rounding=ROUND_HALF_UP))


def mileage_rate_cents(on: dt.date, *, north: bool) -> int:
    health = _health(on)
    rate = (
        health.medical_transportation_mileage_rate_north
        if north
        else health.medical_transportation_mileage_rate
    )
    return _cents(rate)


def medical_transportation_minimum_cents(on: dt.date) -> int:
    return _cents(_health(on).medical_transportation_monthly_minimum)


def medical_transportation_cents(
    *, on: dt.date, kilometres: int, other_costs_cents: int, north: bool
) -> int:
    """The month's medical transportation cost: kilometres by private vehicle at the mileage
    rate, plus fares and other costs. Paid whole when it reaches the monthly minimum, else 0."""
    total = kilometres * mileage_rate_cents(on, north=north) + other_costs_cents
    return total if total >= medical_transportation_minimum_cents(on) else 0


def is_north(region: str) -> bool:
    """The North and Northeast regions of the ministry's bulletin: the delivery partners whose
    reference-data region is Northern Ontario (Inferred: the bulletin lists no partners)."""
    return region.strip().lower().startswith("northern ontario")
