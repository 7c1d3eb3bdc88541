"""One renderer for the rules engine's explanation items, in English or French.

The engine returns, for every line of the calculation, an ``item`` code, its ``amount``
("123.45"), an English ``rule`` text, an English ``citation`` and ``figures`` (named string
values, documented per item code in docs/rules.md, "Explanation figures"). This module writes
the line for a person to read in the language of the page or letter, from the code and the
figures: a label, a sentence, the amount in cents and the citation.

The sentences are explicit templates per item code and language (like `labels.py`), filled
with the figures after they are put into words (amounts as money, rate dates as "October 2018
rates" / "taux d'octobre 2018", family composition, income types). An item code, template
variant or figure this module does not know falls back to the engine's English ``rule`` text:
a stored determination is always shown, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from caseworks.core.money import NBSP, display_cents, parse_dollars_to_cents

from .labels import MONTHS, citation_text, income_type_name, item_label, rates_of

INCOME_ITEMS: tuple[str, ...] = (
    "employment_insurance",
    "cpp",
    "spousal_support",
    "child_support",
    "canada_child_benefit",
    "ontario_child_benefit",
    "workers_compensation",
    "other",
    "cpp_childrens_benefit",
    "cpp_orphans_benefit",
)

_INCOME_TEMPLATES = {
    "exempt": {
        "en": "{income_type} received by {member}: exempt, not deducted.",
        "fr": "{income_type} : montant touché par {member}, exempté et non déduit.",
    },
    "deducted": {
        "en": "{income_type} received by {member}: deducted dollar for dollar.",
        "fr": "{income_type} : montant touché par {member}, déduit dollar pour dollar.",
    },
}

# Sentence templates: item code → variant → language → text. The variant is chosen from the
# figures by `_variant`; most items have one ("").
SENTENCES: dict[str, dict[str, dict[str, str]]] = {
    "dependant_left_out": {
        "": {
            "en": "{member} (dependant 18 or older) is left out of the benefit unit this month: "
            "net income of {net_income} is more than {single_maximum}, the most a single "
            "person could receive, so neither their needs nor their income count.",
            "fr": "{member} (adulte à charge) ne fait pas partie du groupe de prestataires ce "
            "mois-ci : son revenu net de {net_income} dépasse {single_maximum}, le montant "
            "maximal qu'une personne seule pourrait recevoir; ni ses besoins ni son revenu ne "
            "sont comptés.",
        }
    },
    "basic_needs": {
        "": {
            "en": "Basic needs for {family} ({rate_date}).",
            "fr": "Besoins essentiels pour {family} ({rate_date}).",
        }
    },
    "board_and_lodging": {
        "": {
            "en": "Board and lodging: amount paid {paid}, up to the maximum of {maximum} for "
            "{family} ({rate_date}).",
            "fr": "Chambre et pension : montant payé {paid}, jusqu'au maximum de {maximum} pour "
            "{family} ({rate_date}).",
        }
    },
    "shelter_allowance": {
        "emergency_hostel": {
            "en": "Living in a municipal emergency hostel: basic needs only, no shelter amount "
            "(the hostel is funded by the municipality, not by Ontario Works).",
            "fr": "Hébergement dans un refuge d'urgence municipal : besoins essentiels seulement, "
            "sans montant pour le logement (le refuge est financé par la municipalité, et non "
            "par Ontario au travail).",
        },
        "no_fixed_address": {
            "en": "No fixed address: no shelter costs, so no shelter allowance.",
            "fr": "Sans adresse fixe : pas de frais de logement, donc pas d'allocation de "
            "logement.",
        },
        "heat": {
            "en": "The cost of heat alone ({heat}) is more than the maximum of {maximum} for "
            "{unit_size}, so the cost of heat is paid ({rate_date}).",
            "fr": "Le coût du chauffage à lui seul ({heat}) dépasse le maximum de {maximum} "
            "pour {unit_size}; le coût du chauffage est donc payé ({rate_date}).",
        },
        "cost": {
            "en": "Actual shelter cost of {cost} ({shelter_type}, including heat and "
            "utilities), up to the maximum of {maximum} for {unit_size} ({rate_date}).",
            "fr": "Coût réel du logement de {cost} ({shelter_type}, chauffage et services "
            "publics compris), jusqu'au maximum de {maximum} pour {unit_size} ({rate_date}).",
        },
    },
    "remote_communities_allowance": {
        "": {
            "en": "Remote Communities Allowance for {family} ({rate_date}).",
            "fr": "Allocation pour les collectivités éloignées pour {family} ({rate_date}).",
        }
    },
    "special_diet_allowance": {
        "": {
            "en": "Special Diet Allowance for {member}: amount determined {requested}, up to "
            "{maximum} a member.",
            "fr": "Allocation pour régime alimentaire spécial pour {member} : montant établi "
            "{requested}, jusqu'à {maximum} par membre.",
        }
    },
    "pregnancy_breastfeeding_allowance": {
        "": {
            "en": "Pregnancy/Breast-feeding Nutritional Allowance for {member} "
            "({non_dairy}{rate_date}).",
            "fr": "Allocation nutritionnelle de grossesse ou d'allaitement pour {member} "
            "({non_dairy}{rate_date}).",
        }
    },
    "advanced_age_allowance": {
        "": {
            "en": "Advanced Age Allowance for {member} ({age_minimum} or older; {rate_date}).",
            "fr": "Allocation de personne âgée pour {member} ({age_minimum} ans ou plus; "
            "{rate_date}).",
        }
    },
    "special_boarder_allowance": {
        "": {
            "en": "Special Boarder Allowance ({rate_date}).",
            "fr": "Allocation spéciale de pensionnaire ({rate_date}).",
        }
    },
    "budgetary_requirements": {
        "": {
            "en": "Basic needs, shelter and allowances added together.",
            "fr": "Besoins essentiels, logement et allocations additionnés.",
        }
    },
    "earnings_not_counted": {
        "": {
            "en": "Net earnings of {member}: not counted (dependant under 18 or in full-time "
            "school).",
            "fr": "Gains nets touchés par {member} : non comptés (personne à charge de moins de "
            "18 ans ou aux études à temps plein).",
        }
    },
    "net_earnings": {
        "": {
            "en": "Net earnings of {member}.",
            "fr": "Gains nets touchés par {member}.",
        }
    },
    "earnings_exemption": {
        "applies": {
            "en": "Earnings exemption for {member}: the first {flat} plus {percent} of the "
            "rest is not counted.",
            "fr": "Exemption des gains pour {member} : les premiers {flat} plus {percent} du "
            "reste ne sont pas comptés.",
        },
        "waiting": {
            "en": "No earnings exemption for {member}: {months_in_receipt} on assistance, "
            "fewer than the {waiting_months} required.",
            "fr": "Aucune exemption des gains pour {member} : {months_in_receipt} d'aide, "
            "moins que les {waiting_months} requis.",
        },
    },
    "child_care_deduction": {
        "": {
            "en": "Child care costs of {costs} deducted from earnings after the exemptions "
            "(never more than the earnings).",
            "fr": "Frais de garde d'enfants de {costs} déduits des gains après les exemptions "
            "(jamais plus que les gains).",
        }
    },
    **{
        code: {"exempt": _INCOME_TEMPLATES["exempt"], "deducted": _INCOME_TEMPLATES["deducted"]}
        for code in INCOME_ITEMS
    },
    "chargeable_income": {
        "": {
            "en": "Earnings after exemptions and child care, plus income that is not exempt.",
            "fr": "Gains après les exemptions et les frais de garde, plus les revenus non "
            "exemptés.",
        }
    },
    "assets": {
        "within": {
            "en": "Assets that count (exempt assets left out): within the limit of {limit} for "
            "this benefit unit.",
            "fr": "Avoirs pris en compte (avoirs exemptés exclus) : sous la limite de {limit} "
            "pour ce groupe de prestataires.",
        },
        "over": {
            "en": "Assets that count (exempt assets left out): over the limit of {limit} for "
            "this benefit unit.",
            "fr": "Avoirs pris en compte (avoirs exemptés exclus) : au-dessus de la limite de "
            "{limit} pour ce groupe de prestataires.",
        },
    },
    "entitlement": {
        "eligible": {
            "en": "Budgetary requirements minus income counted (not below zero).",
            "fr": "Besoins budgétaires moins le revenu pris en compte (jamais moins de zéro).",
        },
        "ineligible": {
            "en": "Not eligible this month, so no assistance (see the reasons; income equal to "
            "or above the budgetary requirements is not eligible).",
            "fr": "Non admissible ce mois-ci, donc aucune aide (voir les motifs; un revenu égal "
            "ou supérieur aux besoins budgétaires n'est pas admissible).",
        },
    },
    "overpayment_deduction": {
        "": {
            "en": "Overpayment recovery: {percent} of the budgetary requirements of {base} "
            "(rounded down to the cent), up to the balance of {balance}, leaving at least "
            "{minimum}.",
            "fr": "Recouvrement d'un paiement excédentaire : {percent} des besoins budgétaires "
            "de {base} (arrondi au cent inférieur), jusqu'à concurrence du solde de {balance}, "
            "en laissant au moins {minimum}.",
        }
    },
    "minimum_payment": {
        "": {
            "en": "Minimum payment: a payment below {minimum} is raised to {minimum}.",
            "fr": "Paiement minimal : un paiement inférieur à {minimum} est porté à {minimum}.",
        }
    },
    "payment": {
        "": {
            "en": "Payment for the month.",
            "fr": "Paiement du mois.",
        }
    },
    "personal_needs_allowance": {
        "": {
            "en": "Personal-needs allowance of {each} for each of the {members} member(s) living "
            "in {residence}, instead of basic needs and shelter ({rate_date}).",
            "fr": "Allocation pour besoins personnels de {each} pour chacun des {members} "
            "membre(s) vivant dans {residence}, au lieu des besoins essentiels et du logement "
            "({rate_date}).",
        },
        "unverified": {
            "en": "Personal-needs allowance of {each} for each of the {members} member(s) living "
            "in {residence}, instead of basic needs and shelter. {each} is applied for October "
            "2017 to September 2018: the amending regulation was not read and the amount may be "
            "$147.",
            "fr": "Allocation pour besoins personnels de {each} pour chacun des {members} "
            "membre(s) vivant dans {residence}, au lieu des besoins essentiels et du logement. "
            "Le montant de {each} est appliqué d'octobre 2017 à septembre 2018 : le règlement "
            "modificatif n'a pas été consulté et le montant pourrait être de 147 $.",
        },
    },
    "transition_child_benefit": {
        "": {
            "en": "Transition Child Benefit for {member}: no Ontario Child Benefit or Canada "
            "Child Benefit is received for this child, so the maximum of {maximum} a child is "
            "added to the payment (the Ontario Works amount; the ODSP directive states $207).",
            "fr": "Prestation transitoire pour enfants pour {member} : aucune Prestation "
            "ontarienne pour enfants ni Allocation canadienne pour enfants n'est reçue pour cet "
            "enfant, donc le maximum de {maximum} par enfant est ajouté au paiement (montant "
            "d'Ontario au travail; la directive du POSPH indique 207 $).",
        }
    },
}

# Figures that are amounts ("200.00"), shown as money in the reader's language.
_MONEY_FIGURES = frozenset(
    {
        "net_income",
        "single_maximum",
        "paid",
        "maximum",
        "cost",
        "heat",
        "requested",
        "flat",
        "costs",
        "limit",
        "base",
        "balance",
        "minimum",
        "each",
    }
)
_RESIDENCES = {
    "emergency_hostel": {
        "en": "a municipal emergency hostel",
        "fr": "un refuge d'urgence municipal",
    },
    "long_term_care": {"en": "a long-term care home", "fr": "un foyer de soins de longue durée"},
    "correctional_community_residence": {
        "en": "a community residence (probation, parole or temporary absence)",
        "fr": "un établissement résidentiel communautaire (probation, libération conditionnelle "
        "ou absence temporaire)",
    },
}
_SHELTER_TYPES = {
    "rent": {"en": "rent", "fr": "loyer"},
    "own": {"en": "home owned", "fr": "propriétaire"},
    "no_fixed_address": {"en": "no fixed address", "fr": "sans adresse fixe"},
}
_RATE_DATE = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class ExplanationLine:
    """One line of a calculation as a person reads it."""

    item: str
    label: str
    sentence: str
    amount_cents: int | None
    citation: str


class _UnknownFigureError(Exception):
    """A figure is missing or not in the documented form: use the engine's rule text."""


def _lang(language: str | None) -> str:
    return "fr" if (language or "en").startswith("fr") else "en"


def _count(text: str) -> int:
    if not text.isdigit():
        raise _UnknownFigureError(text)
    return int(text)


def _flag(text: str) -> bool:
    if text not in ("true", "false"):
        raise _UnknownFigureError(text)
    return text == "true"


def _counted(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def family_text(spouse: bool, adults: int, children: int, language: str) -> str:
    """Who the benefit unit is, for "Basic needs for …" / "Besoins essentiels pour …"."""
    if language == "fr":
        who = "un bénéficiaire et son conjoint" if spouse else "un parent seul"
        if adults + children == 0:
            return (
                "un bénéficiaire et son conjoint sans personne à charge"
                if spouse
                else "une personne seule sans personne à charge"
            )
        parts = []
        if adults:
            parts.append(_counted(adults, "adulte à charge", "adultes à charge"))
        if children:
            parts.append(_counted(children, "enfant à charge", "enfants à charge"))
        return f"{who} avec {' et '.join(parts)}"
    who = "a recipient and spouse" if spouse else "a sole support parent"
    if adults + children == 0:
        return (
            "a recipient and spouse with no dependants"
            if spouse
            else "a single person with no dependants"
        )
    parts = []
    if adults:
        parts.append(_counted(adults, "dependant", "dependants") + " 18 or older")
    if children:
        parts.append(_counted(children, "dependant", "dependants") + " under 18")
    return f"{who} with {' and '.join(parts)}"


def _percent(text: str, language: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise _UnknownFigureError(text)
    return f"{text.replace('.', ',')}{NBSP}%" if language == "fr" else f"{text}%"


def _months(text: str, language: str, *, consecutive: bool = True) -> str:
    number = _count(text)
    if language == "fr":  # 0 and 1 are singular in French
        word = "mois consécutif" if consecutive else "mois"
        return f"{number} {word}" + ("s" if consecutive and number > 1 else "")
    word = "consecutive month" if consecutive else "month"
    return _counted(number, word, word + "s")


def _money(text: str, language: str) -> str:
    try:
        return display_cents(parse_dollars_to_cents(text), language)
    except ValueError as error:
        raise _UnknownFigureError(text) from error


def _rate_date(text: str, language: str) -> str:
    match = _RATE_DATE.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= len(MONTHS["en"]):
        raise _UnknownFigureError(text)
    return rates_of(int(match.group(2)), match.group(1), language)


def _income_type(text: str, language: str) -> str:
    name = income_type_name(text, language)
    if name is None:
        raise _UnknownFigureError(text)
    return name


def _shelter_type(text: str, language: str) -> str:
    names = _SHELTER_TYPES.get(text)
    if names is None:
        raise _UnknownFigureError(text)
    return names[language]


def _named(names: Mapping[str, Mapping[str, str]], text: str, language: str) -> str:
    found = names.get(text)
    if found is None:
        raise _UnknownFigureError(text)
    return found[language]


def _unit_size(text: str, language: str) -> str:
    size = _count(text)
    if language == "fr":
        return _counted(size, "personne", "personnes")
    return _counted(size, "person", "people")


def _non_dairy(text: str, language: str) -> str:
    if not _flag(text):
        return ""
    return "régime sans produits laitiers; " if language == "fr" else "non-dairy diet; "


_FORMATS: dict[str, Callable[[str, str], str]] = {
    **dict.fromkeys(_MONEY_FIGURES, _money),
    "rate_date": _rate_date,
    "income_type": _income_type,
    "shelter_type": _shelter_type,
    "unit_size": _unit_size,
    "percent": _percent,
    "months_in_receipt": _months,
    "waiting_months": lambda text, language: _months(text, language, consecutive=False),
    "non_dairy": _non_dairy,
    "age_minimum": lambda text, language: str(_count(text)),
    "residence": lambda text, language: _named(_RESIDENCES, text, language),
    "members": lambda text, language: str(_count(text)),
}


def _words(figures: Mapping[str, Any], language: str) -> dict[str, str]:
    """The figures put into words in the reader's language (only those that are present).
    ``member`` is the member's id in the rules input (their first name) and stays as it is."""
    raw = {str(key): str(value) for key, value in figures.items()}
    words = {
        key: _FORMATS[key](value, language) if key in _FORMATS else value
        for key, value in raw.items()
    }
    if {"spouse", "count_adults", "count_children"} <= raw.keys():
        words["family"] = family_text(
            _flag(raw["spouse"]),
            _count(raw["count_adults"]),
            _count(raw["count_children"]),
            language,
        )
    return words


# Items with more than one sentence: the figure that chooses, and its value → variant.
_VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "earnings_exemption": ("applies", {"true": "applies", "false": "waiting"}),
    **dict.fromkeys(INCOME_ITEMS, ("exempt", {"true": "exempt", "false": "deducted"})),
    "assets": ("over_limit", {"true": "over", "false": "within"}),
    "entitlement": ("eligible", {"true": "eligible", "false": "ineligible"}),
    "personal_needs_allowance": ("unverified_value", {"true": "unverified", "false": ""}),
}


def _variant(item: str, figures: Mapping[str, Any]) -> str | None:
    if item == "shelter_allowance":
        if figures.get("residence") == "emergency_hostel":
            return "emergency_hostel"
        if figures.get("shelter_type") == "no_fixed_address":
            return "no_fixed_address"
        return "heat" if figures.get("heat_exceeds_maximum") == "true" else "cost"
    if item in _VARIANTS:
        key, choices = _VARIANTS[item]
        return choices.get(str(figures.get(key)))
    return ""


def sentence_for(item: str, figures: Mapping[str, Any], language: str) -> str | None:
    """The sentence for one item in ``language``, or None when the item code, its variant or
    a figure it needs is unknown."""
    language = _lang(language)
    variants = SENTENCES.get(item)
    if variants is None:
        return None
    variant = _variant(item, figures)
    template = variants.get(variant) if variant is not None else None
    if template is None:
        return None
    try:
        return template[language].format_map(_words(figures, language))
    except (KeyError, _UnknownFigureError):
        return None


def _amount_cents(value: Any) -> int | None:
    try:
        return parse_dollars_to_cents(str(value))
    except ValueError:
        return None


def explanation_line(entry: Mapping[str, Any], language: str) -> ExplanationLine:
    """One stored explanation item as {label, sentence, amount_cents, citation} in
    ``language`` ("en" or "fr"). Falls back to the engine's English rule text for the
    sentence when the item or a figure is unknown (older determinations have no figures)."""
    language = _lang(language)
    item = str(entry.get("item", ""))
    figures = entry.get("figures")
    sentence = sentence_for(item, figures, language) if isinstance(figures, Mapping) else None
    return ExplanationLine(
        item=item,
        label=item_label(item, language),
        sentence=sentence if sentence is not None else str(entry.get("rule", "")),
        amount_cents=_amount_cents(entry.get("amount", "")),
        citation=citation_text(str(entry.get("citation", "")), language),
    )


def explanation_lines(entries: Iterable[Any], language: str) -> list[ExplanationLine]:
    """Every stored explanation item of a determination (or pre-screen), in order."""
    return [explanation_line(e, language) for e in entries if isinstance(e, Mapping)]
