"""Client-facing labels for the rules engine's explanation items and reason codes, in English and
French. Letters use these so that the French notice is French throughout (French Language
Services Act), whatever language the engine's detailed rule text is in."""

from __future__ import annotations

import re

ITEM_LABELS: dict[str, dict[str, str]] = {
    "basic_needs": {"en": "Basic needs", "fr": "Besoins essentiels"},
    "shelter_allowance": {"en": "Shelter allowance", "fr": "Allocation de logement"},
    "board_and_lodging": {"en": "Board and lodging", "fr": "Chambre et pension"},
    "special_boarder_allowance": {
        "en": "Special boarder allowance",
        "fr": "Allocation spéciale de pensionnaire",
    },
    "remote_communities_allowance": {
        "en": "Remote Communities Allowance",
        "fr": "Allocation pour les collectivités éloignées",
    },
    "special_diet": {
        "en": "Special Diet Allowance",
        "fr": "Allocation pour régime alimentaire spécial",
    },
    "pregnancy_breastfeeding_nutritional_allowance": {
        "en": "Pregnancy/Breast-feeding Nutritional Allowance",
        "fr": "Allocation nutritionnelle de grossesse ou d'allaitement",
    },
    "advanced_age_allowance": {"en": "Advanced Age Allowance", "fr": "Allocation de personne âgée"},
    "budgetary_requirements": {"en": "Budgetary requirements", "fr": "Besoins budgétaires"},
    "net_earnings": {"en": "Net earnings", "fr": "Gains nets"},
    "earnings_exemption": {"en": "Earnings exemption", "fr": "Exemption des gains"},
    "child_care_deduction": {"en": "Child care deduction", "fr": "Déduction pour frais de garde"},
    "unearned_income": {"en": "Other income", "fr": "Autres revenus"},
    "exempt_income": {"en": "Income not counted", "fr": "Revenu non compté"},
    "chargeable_income": {"en": "Income counted", "fr": "Revenu pris en compte"},
    "entitlement": {"en": "Monthly assistance", "fr": "Aide mensuelle"},
    "overpayment_deduction": {
        "en": "Overpayment recovery",
        "fr": "Recouvrement d'un paiement excédentaire",
    },
    "minimum_payment": {"en": "Minimum payment", "fr": "Paiement minimal"},
    "payment": {"en": "Payment", "fr": "Paiement"},
    "assets": {"en": "Assets", "fr": "Avoirs"},
}

REASON_LABELS: dict[str, dict[str, str]] = {
    "assets_over_limit": {
        "en": "Your assets are more than the limit for your family.",
        "fr": "Vos avoirs dépassent la limite fixée pour votre famille.",
    },
    "income_exceeds_budgetary_requirements": {
        "en": "Your income is more than the amount Ontario Works allows for your family's needs.",
        "fr": "Votre revenu dépasse le montant prévu par Ontario au travail "
        "pour les besoins de votre famille.",
    },
    "applicant_under_16": {
        "en": "The applicant is under 16 and cannot receive assistance in their own right.",
        "fr": "Le requérant a moins de 16 ans et ne peut pas recevoir d'aide en son propre nom.",
    },
    "information_not_provided": {
        "en": "Information needed to decide your eligibility was not provided:",
        "fr": "Des renseignements nécessaires pour décider de votre admissibilité "
        "n'ont pas été fournis :",
    },
    "caseworker_reason": {"en": "Reason:", "fr": "Motif :"},
}

_CITATION_FR = (
    (re.compile(r"Ontario Works Act, 1997"), "Loi de 1997 sur le programme Ontario au travail"),
    (re.compile(r"O\. Reg\. (\d+/\d+)"), r"Règl. de l'Ont. \1"),
    (re.compile(r"\bss\. "), "art. "),
    (re.compile(r"\bs\. "), "art. "),
    (re.compile(r"\bpara "), "disp. "),
    (re.compile(r"OW Policy Directive"), "Directive du programme Ontario au travail"),
    (re.compile(r"Policy Directive"), "Directive"),
)


def item_label(item: str, language: str) -> str:
    labels = ITEM_LABELS.get(item)
    if labels is None:
        return item.replace("_", " ").capitalize()
    return labels["fr" if language == "fr" else "en"]


def reason_label(code: str, language: str) -> str:
    labels = REASON_LABELS.get(code)
    if labels is None:
        return code.replace("_", " ").capitalize()
    return labels["fr" if language == "fr" else "en"]


def citation_text(citation: str, language: str) -> str:
    """Legal citations in the letter's language ('O. Reg. 134/98, s. 41(1)' →
    'Règl. de l'Ont. 134/98, art. 41(1)')."""
    if language != "fr":
        return citation
    for pattern, replacement in _CITATION_FR:
        citation = pattern.sub(replacement, citation)
    return citation
