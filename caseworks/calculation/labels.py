"""Client-facing words for the rules engine's output, in English and French: labels of the
explanation items and reason codes, names of income types, and legal citations.

Letters and pages use these (through `caseworks.calculation.explanations` for explanation
lines) so that the French notice is French throughout (French Language Services Act), whatever
language the engine's own `rule` text is in. One approach: explicit dictionaries, written by
hand, keyed by the engine's codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from caseworks.core.text import MONTHS_FR

# The engine's income types (rules constants.UNEARNED_INCOME_TYPES); each is also the code of
# its explanation item.
INCOME_TYPE_NAMES: dict[str, dict[str, str]] = {
    "employment_insurance": {"en": "Employment Insurance", "fr": "Assurance-emploi"},
    "cpp": {"en": "Canada Pension Plan", "fr": "Régime de pensions du Canada"},
    "spousal_support": {"en": "Spousal support", "fr": "Pension alimentaire pour le conjoint"},
    "child_support": {"en": "Child support", "fr": "Pension alimentaire pour enfants"},
    "canada_child_benefit": {
        "en": "Canada Child Benefit",
        "fr": "Allocation canadienne pour enfants",
    },
    "ontario_child_benefit": {
        "en": "Ontario Child Benefit",
        "fr": "Prestation ontarienne pour enfants",
    },
    "workers_compensation": {
        "en": "Workers' compensation (WSIB)",
        "fr": "Indemnités d'accident du travail (CSPAAT)",
    },
    "other": {"en": "Other income", "fr": "Autre revenu"},
    "cpp_childrens_benefit": {
        "en": "CPP disabled contributor's child's benefit",
        "fr": "Prestation d'enfant de cotisant invalide du RPC",
    },
    "cpp_orphans_benefit": {"en": "CPP orphan's benefit", "fr": "Prestation d'orphelin du RPC"},
}

ITEM_LABELS: dict[str, dict[str, str]] = {
    "dependant_left_out": {
        "en": "Dependant left out of the benefit unit",
        "fr": "Personne à charge exclue du groupe de prestataires",
    },
    "basic_needs": {"en": "Basic needs", "fr": "Besoins essentiels"},
    "shelter_allowance": {"en": "Shelter allowance", "fr": "Allocation de logement"},
    "board_and_lodging": {"en": "Board and lodging", "fr": "Chambre et pension"},
    "special_boarder_allowance": {
        "en": "Special Boarder Allowance",
        "fr": "Allocation spéciale de pensionnaire",
    },
    "remote_communities_allowance": {
        "en": "Remote Communities Allowance",
        "fr": "Allocation pour les collectivités éloignées",
    },
    "special_diet_allowance": {
        "en": "Special Diet Allowance",
        "fr": "Allocation pour régime alimentaire spécial",
    },
    "pregnancy_breastfeeding_allowance": {
        "en": "Pregnancy/Breast-feeding Nutritional Allowance",
        "fr": "Allocation nutritionnelle de grossesse ou d'allaitement",
    },
    "advanced_age_allowance": {"en": "Advanced Age Allowance", "fr": "Allocation de personne âgée"},
    "budgetary_requirements": {"en": "Budgetary requirements", "fr": "Besoins budgétaires"},
    "earnings_not_counted": {"en": "Earnings not counted", "fr": "Gains non comptés"},
    "net_earnings": {"en": "Net earnings", "fr": "Gains nets"},
    "earnings_exemption": {"en": "Earnings exemption", "fr": "Exemption des gains"},
    "child_care_deduction": {"en": "Child care deduction", "fr": "Déduction pour frais de garde"},
    **INCOME_TYPE_NAMES,
    "chargeable_income": {"en": "Income counted", "fr": "Revenu pris en compte"},
    "assets": {"en": "Assets", "fr": "Avoirs"},
    "entitlement": {"en": "Monthly assistance", "fr": "Aide mensuelle"},
    "overpayment_deduction": {
        "en": "Overpayment recovery",
        "fr": "Recouvrement d'un paiement excédentaire",
    },
    "minimum_payment": {"en": "Minimum payment", "fr": "Paiement minimal"},
    "payment": {"en": "Payment", "fr": "Paiement"},
    "personal_needs_allowance": {
        "en": "Personal-needs allowance",
        "fr": "Allocation pour besoins personnels",
    },
    "transition_child_benefit": {
        "en": "Transition Child Benefit",
        "fr": "Prestation transitoire pour enfants",
    },
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

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": MONTHS_FR,
}


def _fr(language: str | None) -> bool:
    return (language or "en").startswith("fr")


def item_label(item: str, language: str) -> str:
    labels = ITEM_LABELS.get(item)
    if labels is None:
        return item.replace("_", " ").capitalize()
    return labels["fr" if _fr(language) else "en"]


def reason_label(code: str, language: str) -> str:
    labels = REASON_LABELS.get(code)
    if labels is None:
        return code.replace("_", " ").capitalize()
    return labels["fr" if _fr(language) else "en"]


def income_type_name(income_type: str, language: str) -> str | None:
    names = INCOME_TYPE_NAMES.get(income_type)
    return None if names is None else names["fr" if _fr(language) else "en"]


def rates_of(month: int, year: int | str, language: str) -> str:
    """'October 2018 rates' / "taux d'octobre 2018" (elided before a vowel)."""
    if _fr(language):
        name = MONTHS["fr"][month - 1]
        return f"taux d'{name} {year}" if name[0] in "aeiouyâéè" else f"taux de {name} {year}"
    return f"{MONTHS['en'][month - 1]} {year} rates"


# --- Legal citations -----------------------------------------------------------------------
#
# The citations the engine gives are the parameter references of `rules/` (the first title of
# each dated reference) and the fixed texts of its `citations.py`. They are legal references
# ("O. Reg. 134/98, s. 41(1) para 1 (Table), as substituted by O. Reg. 282/17, s. 3(1)"), the
# titles of policy directives, the name of a secondary source, and notes in parentheses. The
# translator keeps the structure and translates each part: notes by exact text (the closed list
# below), directive titles by number, the legal words by pattern. A part it does not know stays
# in English (never an error); the tests list every citation the rules package can give and
# check that none is left in English.

DIRECTIVE_TITLES_FR: dict[str, str] = {
    "3.5": "Requérants et participants de moins de 18 ans",
    "4.1": "Résumé des avoirs",
    "4.2": "Plafonds des avoirs",
    "4.7": "Pensions, REER et REEE",
    "5.3": "Exemptions des gains",
    "5.4": "Déductions pour frais de garde d'enfants",
    "5.5": "Pensions alimentaires",
    "5.6": "Prestations fédérales et provinciales pour les familles avec enfants",
    "6.1": "Calcul de l'aide",
    "6.3": "Logement",
    "6.7": "Personnes dans des foyers de soins de longue durée",
    "6.16": "Foyers et refuges d'urgence",
    "7.2": "Prestations de santé",
    "7.6": "Prestation transitoire pour enfants",
    "9.3": "Recouvrement des paiements excédentaires",
}

# Notes in parentheses, by exact text (without the parentheses).
CITATION_NOTES_FR: dict[str, str] = {
    "Table": "tableau",
    "$41 to $42": "de 41 $ à 42 $",
    "$50 if lactose intolerant": "50 $ en cas d'intolérance au lactose",
    "amending text on this point not retrieved; value inferred": (
        "texte modificatif sur ce point non consulté; montant déduit"
    ),
    "table text not retrieved; values as published by Cochrane District Social Services "
    "Administration Board, Ontario Works FAQ, 2017 rates": (
        "texte du tableau non consulté; montants publiés par le Conseil d'administration des "
        "services sociaux du district de Cochrane, FAQ d'Ontario au travail, taux de 2017"
    ),
    "October 2017 value not retrieved; the October 2018 amount is applied": (
        "montant d'octobre 2017 non consulté; le montant d'octobre 2018 est appliqué"
    ),
    "quoted by City of Toronto": "cité par la Ville de Toronto",
    "up to $500 in any 12-month period": "jusqu'à 500 $ par période de 12 mois",
    "the child-care deduction: actual cost for licensed care, up to $600 per child otherwise": (
        "la déduction pour frais de garde d'enfants : coût réel pour une garde agréée, sinon "
        "jusqu'à 600 $ par enfant"
    ),
    "quoted by City of Toronto, Board and lodging": (
        "cité par la Ville de Toronto, Chambre et pension"
    ),
    "quoted by City of Toronto, Fuel/energy for heat": (
        "cité par la Ville de Toronto, Combustible et énergie pour le chauffage"
    ),
    "quoted by City of Toronto, Payment of assistance": (
        "cité par la Ville de Toronto, Versement de l'aide"
    ),
    "Remote Communities Allowance table": (
        "tableau de l'allocation pour les collectivités éloignées"
    ),
    "CPP benefits deducted dollar for dollar before October 2017": (
        "prestations du RPC déduites dollar pour dollar avant octobre 2017"
    ),
    "child support deducted dollar for dollar before February 2017": (
        "pension alimentaire pour enfants déduite dollar pour dollar avant février 2017"
    ),
    "child support fully exempt from 1 February 2017": (
        "pension alimentaire pour enfants entièrement exemptée à compter du 1er février 2017"
    ),
    "income other than earnings deducted dollar for dollar": (
        "revenus autres que des gains déduits dollar pour dollar"
    ),
    "earnings of dependent children and of dependants in full-time school are not counted, "
    "as summarised by CLEO": (
        "les gains des enfants à charge et des personnes à charge aux études à temps plein ne "
        "sont pas comptés, selon le résumé de CLEO"
    ),
    "a disabled contributor's child's benefit payment under the Canada Pension Plan": (
        "prestation d'enfant de cotisant invalide versée au titre du Régime de pensions du Canada"
    ),
    "a dependent adult whose net income is more than the maximum assistance for a single "
    "person is removed from the benefit unit for the month": (
        "un adulte à charge dont le revenu net dépasse l'aide maximale pour une personne seule "
        "est exclu du groupe de prestataires pour le mois"
    ),
    "same income test": "même critère de revenu",
    "$136 to $138; in force from October 2014, inferred from the filing date": (
        "de 136 $ à 138 $; en vigueur à compter d'octobre 2014, date déduite de la date de dépôt"
    ),
    "$140 to $143": "de 140 $ à 143 $",
    "amending text on this point not retrieved; $146 applied, may be $147": (
        "texte modificatif sur ce point non consulté; 146 $ appliqué, pourrait être 147 $"
    ),
    "shelter funded by the municipal Homelessness Prevention Program since January 2013, not "
    "by Ontario Works": (
        "logement financé par le Programme de prévention de l'itinérance de la municipalité "
        "depuis janvier 2013, et non par Ontario au travail"
    ),
    "basic needs are paid whether or not the unit has an address": (
        "les besoins essentiels sont versés, que le groupe ait une adresse ou non"
    ),
    "budgetary requirements must exceed income": (
        "les besoins budgétaires doivent dépasser le revenu"
    ),
    "income equal to or above budgetary requirements": (
        "revenu égal ou supérieur aux besoins budgétaires"
    ),
    "prescribed amount; text of s. 62 not read": (
        "montant prescrit; texte de l'art. 62 non consulté"
    ),
    "body not read": "texte non consulté",
    "'if you live in a First Nations community, OW usually reduces your assistance by 5%'": (
        "traduction : « si vous vivez dans une collectivité des Premières Nations, Ontario au "
        "travail réduit habituellement votre aide de 5 % »"
    ),
    "no TFSA exemption found": "aucune exemption du CELI trouvée",
    "locked-in pensions and locked-in RRSPs are exempt": (
        "les pensions immobilisées et les REER immobilisés sont exemptés"
    ),
    "ODSP": "POSPH",
    "retroactive payment": "paiement rétroactif",
    "overpayment recovery": "recouvrement des paiements excédentaires",
    "arrears applied to an overpayment": "arriérés appliqués au paiement excédentaire",
}

# Sources that are not legal instruments (names and page titles), by exact text.
CITATION_SOURCES_FR: dict[str, str] = {
    "quoted by City of Toronto, Child care start-up costs": (
        "cité par la Ville de Toronto, frais de démarrage de la garde d'enfants"
    ),
    "City of Toronto, Ontario Works child-related benefits": (
        "Ville de Toronto, prestations liées aux enfants d'Ontario au travail"
    ),
    "Cochrane DSSAB, Ontario Works FAQ": "CADSS de Cochrane, FAQ d'Ontario au travail",
    "Cochrane District Services Board, Ontario Works FAQ": (
        "Conseil des services du district de Cochrane, FAQ d'Ontario au travail"
    ),
    "Steps to Justice, Learn what OW can do if you have an overpayment": (
        "Étapes vers la justice, ce que peut faire Ontario au travail en cas de paiement "
        "excédentaire"
    ),
    "Steps to Justice, Know what OW does not count as assets": (
        "Étapes vers la justice, ce qu'Ontario au travail ne compte pas comme avoirs"
    ),
    "amounts per Schedule 1 to": "montants selon l'annexe 1 du",
    "Ministry of Community and Social Services, medical travel mileage rates": (
        "ministère des Services sociaux et communautaires, taux de kilométrage des "
        "déplacements pour raisons médicales"
    ),
}

_MONTH_NAMES_EN = "|".join(MONTHS["en"])
_NOTE = re.compile(r" \(([^()]*)\)")
_MONTH_YEAR = re.compile(rf"^({_MONTH_NAMES_EN}) (\d{{4}})$")
_DIRECTIVE = re.compile(r"\bOW Policy Directive (\d+(?:\.\d+)?)((?: [^;()]+)?)")


def _rates_fr(match: re.Match[str]) -> str:
    return rates_of(MONTHS["en"].index(match.group(1)) + 1, match.group(2), "fr")


_CITATION_PATTERNS_FR: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"\bOntario Works Act, 1997\b"), "Loi de 1997 sur le programme Ontario au travail"),
    (re.compile(r"\bas substituted by O\. Reg\. "), "tel que remplacé par le Règl. de l'Ont. "),
    (re.compile(r"\bas amended by O\. Reg\. "), "tel que modifié par le Règl. de l'Ont. "),
    (re.compile(r"\badded by O\. Reg\. "), "ajoutée par le Règl. de l'Ont. "),
    (re.compile(r"\bO\. Reg\. (\d+/\d+)"), r"Règl. de l'Ont. \1"),
    (re.compile(rf"\b({_MONTH_NAMES_EN}) (\d{{4}}) rates\b"), _rates_fr),
    (re.compile(r"\bss?\. "), "art. "),
    (re.compile(r"\bpara (\d)"), r"disp. \1"),
    (re.compile(r"(?<=[\d)])-(?=[\d(])"), " à "),
    (re.compile(r" and "), " et "),
    (re.compile(r" with art\. "), " avec l'art. "),
    (re.compile(r"\bODSP Policy Directive\b"), "Directive du POSPH"),
    (re.compile(r"\bPolicy Directive\b"), "Directive"),
)


def _directive_fr(match: re.Match[str]) -> str:
    number, title = match.group(1), match.group(2).strip()
    text = f"Directive {number} du programme Ontario au travail"
    if title:
        text += f" – {DIRECTIVE_TITLES_FR.get(number, title)}"
    return text


def _legal_fr(text: str) -> str:
    """A citation's text outside its notes: sources, directives, then the legal words."""
    for english, french in CITATION_SOURCES_FR.items():
        text = text.replace(english, french)
    text = _DIRECTIVE.sub(_directive_fr, text)
    for pattern, replacement in _CITATION_PATTERNS_FR:
        text = pattern.sub(replacement, text)
    return text


def _note_fr(note: str) -> str:
    known = CITATION_NOTES_FR.get(note)
    if known is not None:
        return known
    month_year = _MONTH_YEAR.match(note)
    if month_year:
        return f"{MONTHS['fr'][MONTHS['en'].index(month_year.group(1))]} {month_year.group(2)}"
    rates = re.fullmatch(rf"({_MONTH_NAMES_EN}) (\d{{4}}) rates", note)
    if rates:
        return _rates_fr(rates)
    return _legal_fr(note)  # an unknown note: at least its legal references in French


def citation_text(citation: str, language: str) -> str:
    """A legal citation in the reader's language.

    'O. Reg. 134/98, s. 41(1) para 1 (Table), as substituted by O. Reg. 282/17, s. 3(1)' →
    "Règl. de l'Ont. 134/98, art. 41(1) disp. 1 (tableau), tel que remplacé par le Règl. de
    l'Ont. 282/17, art. 3(1)"."""
    if not _fr(language) or not citation:
        return citation
    parts: list[str] = []
    position = 0
    for note in _NOTE.finditer(citation):
        parts.append(_legal_fr(citation[position : note.start()]))
        parts.append(f" ({_note_fr(note.group(1))})")
        position = note.end()
    parts.append(_legal_fr(citation[position:]))
    return "".join(parts)
