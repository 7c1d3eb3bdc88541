"""Explanations in both languages (issue 10): every item code the engine can emit has an English
and a French sentence, legal citations are French in French, unknown items fall back to the
engine's English rule text, and the notice of decision is French throughout in French.

The expected texts below are written by hand, not produced by the code under test."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openfisca_ontario_works import calculate, citations
from pypdf import PdfReader

from caseworks.applications.services import (
    ApplicationFacts,
    IncomeFacts,
    application_member_add,
    application_start,
    application_update,
    verification_update,
)
from caseworks.calculation.explanations import (
    SENTENCES,
    explanation_line,
    explanation_lines,
    sentence_for,
)
from caseworks.calculation.labels import ITEM_LABELS, citation_text, rates_of
from caseworks.clients.tests.factories import PersonFactory
from caseworks.eligibility import notice_sections
from caseworks.eligibility.letters import render_notice_of_decision
from caseworks.eligibility.services import decision_make, determination_run

RULES_MD = Path(settings.BASE_DIR) / "docs" / "rules.md"
RULES_PACKAGE = Path(citations.__file__).parent


def normalise(text: str) -> str:
    """One space between words (PDF lines wrap inside table cells; amounts use no-break
    spaces)."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    return normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def documented_items() -> dict[str, set[str]]:
    """Item code → the backticked words of its figure keys, from the table "Explanation
    figures" of docs/rules.md (the list of every item code the engine can emit)."""
    text = RULES_MD.read_text(encoding="utf-8")
    section = text.split("### Explanation figures", 1)[1].split("\n## ", 1)[0]
    items: dict[str, set[str]] = {}
    for row in re.findall(r"^\| `([a-z_]+)` \| (.*) \|$", section, re.MULTILINE):
        items[row[0]] = set(re.findall(r"`([a-z_]+)`", row[1]))
    return items


# --- Every item code, in both languages ------------------------------------------------------

# (item, figures, English sentence, French sentence) — at least one case per documented item
# code, and one per variant of the items that have several.
CASES: list[tuple[str, dict[str, str], str, str]] = [
    (
        "shelter_allowance",
        {"shelter_type": "no_fixed_address", "residence": "emergency_hostel"},
        "Living in a municipal emergency hostel: basic needs only, no shelter amount (the "
        "hostel is funded by the municipality, not by Ontario Works).",
        "Hébergement dans un refuge d'urgence municipal : besoins essentiels seulement, sans "
        "montant pour le logement (le refuge est financé par la municipalité, et non par "
        "Ontario au travail).",
    ),
    (
        "personal_needs_allowance",
        {
            "residence": "long_term_care",
            "each": "149.00",
            "members": "2",
            "unverified_value": "false",
            "rate_date": "2018-10",
        },
        "Personal-needs allowance of $149.00 for each of the 2 member(s) living in a long-term "
        "care home, instead of basic needs and shelter (October 2018 rates).",
        "Allocation pour besoins personnels de 149,00 $ pour chacun des 2 membre(s) vivant "
        "dans un foyer de soins de longue durée, au lieu des besoins essentiels et du logement "
        "(taux d'octobre 2018).",
    ),
    (
        "personal_needs_allowance",
        {
            "residence": "correctional_community_residence",
            "each": "146.00",
            "members": "1",
            "unverified_value": "true",
            "rate_date": "2017-10",
        },
        "Personal-needs allowance of $146.00 for each of the 1 member(s) living in a community "
        "residence (probation, parole or temporary absence), instead of basic needs and "
        "shelter. $146.00 is applied for October 2017 to September 2018: the amending "
        "regulation was not read and the amount may be $147.",
        "Allocation pour besoins personnels de 146,00 $ pour chacun des 1 membre(s) vivant "
        "dans un établissement résidentiel communautaire (probation, libération conditionnelle "
        "ou absence temporaire), au lieu des besoins essentiels et du logement. Le montant de "
        "146,00 $ est appliqué d'octobre 2017 à septembre 2018 : le règlement modificatif n'a "
        "pas été consulté et le montant pourrait être de 147 $.",
    ),
    (
        "transition_child_benefit",
        {"member": "Bo", "maximum": "230.00", "rate_date": "2016-10"},
        "Transition Child Benefit for Bo: no Ontario Child Benefit or Canada Child Benefit is "
        "received for this child, so the maximum of $230.00 a child is added to the payment "
        "(the Ontario Works amount; the ODSP directive states $207).",
        "Prestation transitoire pour enfants pour Bo : aucune Prestation ontarienne pour "
        "enfants ni Allocation canadienne pour enfants n'est reçue pour cet enfant, donc le "
        "maximum de 230,00 $ par enfant est ajouté au paiement (montant d'Ontario au travail; "
        "la directive du POSPH indique 207 $).",
    ),
    (
        "dependant_left_out",
        {"member": "Ahmed", "net_income": "900.00", "single_maximum": "733.00"},
        "Ahmed (dependant 18 or older) is left out of the benefit unit this month: net income "
        "of $900.00 is more than $733.00, the most a single person could receive, so neither "
        "their needs nor their income count.",
        "Ahmed (adulte à charge) ne fait pas partie du groupe de prestataires ce mois-ci : son "
        "revenu net de 900,00 $ dépasse 733,00 $, le montant maximal qu'une personne seule "
        "pourrait recevoir; ni ses besoins ni son revenu ne sont comptés.",
    ),
    (
        "basic_needs",
        {"spouse": "true", "count_adults": "1", "count_children": "2", "rate_date": "2018-10"},
        "Basic needs for a recipient and spouse with 1 dependant 18 or older and 2 dependants "
        "under 18 (October 2018 rates).",
        "Besoins essentiels pour un bénéficiaire et son conjoint avec 1 adulte à charge et "
        "2 enfants à charge (taux d'octobre 2018).",
    ),
    (
        "board_and_lodging",
        {
            "spouse": "false",
            "count_adults": "0",
            "count_children": "0",
            "paid": "600.00",
            "maximum": "533.00",
            "rate_date": "2017-10",
        },
        "Board and lodging: amount paid $600.00, up to the maximum of $533.00 for a single "
        "person with no dependants (October 2017 rates).",
        "Chambre et pension : montant payé 600,00 $, jusqu'au maximum de 533,00 $ pour une "
        "personne seule sans personne à charge (taux d'octobre 2017).",
    ),
    (
        "shelter_allowance",
        {"shelter_type": "no_fixed_address"},
        "No fixed address: no shelter costs, so no shelter allowance.",
        "Sans adresse fixe : pas de frais de logement, donc pas d'allocation de logement.",
    ),
    (
        "shelter_allowance",
        {
            "shelter_type": "rent",
            "heat": "700.00",
            "maximum": "390.00",
            "unit_size": "1",
            "heat_exceeds_maximum": "true",
            "rate_date": "2018-10",
        },
        "The cost of heat alone ($700.00) is more than the maximum of $390.00 for 1 person, so "
        "the cost of heat is paid (October 2018 rates).",
        "Le coût du chauffage à lui seul (700,00 $) dépasse le maximum de 390,00 $ pour "
        "1 personne; le coût du chauffage est donc payé (taux d'octobre 2018).",
    ),
    (
        "shelter_allowance",
        {
            "shelter_type": "own",
            "cost": "1234.50",
            "maximum": "642.00",
            "unit_size": "2",
            "rate_date": "2016-10",
        },
        "Actual shelter cost of $1,234.50 (home owned, including heat and utilities), up to the "
        "maximum of $642.00 for 2 people (October 2016 rates).",
        "Coût réel du logement de 1 234,50 $ (propriétaire, chauffage et services publics "
        "compris), jusqu'au maximum de 642,00 $ pour 2 personnes (taux d'octobre 2016).",
    ),
    (
        "remote_communities_allowance",
        {"spouse": "false", "count_adults": "0", "count_children": "1", "rate_date": "2018-10"},
        "Remote Communities Allowance for a sole support parent with 1 dependant under 18 "
        "(October 2018 rates).",
        "Allocation pour les collectivités éloignées pour un parent seul avec 1 enfant à charge "
        "(taux d'octobre 2018).",
    ),
    (
        "special_diet_allowance",
        {"member": "Anne", "requested": "300.00", "maximum": "250.00"},
        "Special Diet Allowance for Anne: amount determined $300.00, up to $250.00 a member.",
        "Allocation pour régime alimentaire spécial pour Anne : montant établi 300,00 $, "
        "jusqu'à 250,00 $ par membre.",
    ),
    (
        "pregnancy_breastfeeding_allowance",
        {"member": "Anne", "non_dairy": "true", "rate_date": "2018-10"},
        "Pregnancy/Breast-feeding Nutritional Allowance for Anne (non-dairy diet; October 2018 "
        "rates).",
        "Allocation nutritionnelle de grossesse ou d'allaitement pour Anne (régime sans produits "
        "laitiers; taux d'octobre 2018).",
    ),
    (
        "pregnancy_breastfeeding_allowance",
        {"member": "Anne", "non_dairy": "false", "rate_date": "2016-10"},
        "Pregnancy/Breast-feeding Nutritional Allowance for Anne (October 2016 rates).",
        "Allocation nutritionnelle de grossesse ou d'allaitement pour Anne (taux d'octobre 2016).",
    ),
    (
        "advanced_age_allowance",
        {"member": "Omar", "age_minimum": "65", "rate_date": "2017-10"},
        "Advanced Age Allowance for Omar (65 or older; October 2017 rates).",
        "Allocation de personne âgée pour Omar (65 ans ou plus; taux d'octobre 2017).",
    ),
    (
        "special_boarder_allowance",
        {"rate_date": "2018-10"},
        "Special Boarder Allowance (October 2018 rates).",
        "Allocation spéciale de pensionnaire (taux d'octobre 2018).",
    ),
    (
        "budgetary_requirements",
        {},
        "Basic needs, shelter and allowances added together.",
        "Besoins essentiels, logement et allocations additionnés.",
    ),
    (
        "earnings_not_counted",
        {"member": "Léo"},
        "Net earnings of Léo: not counted (dependant under 18 or in full-time school).",
        "Gains nets touchés par Léo : non comptés (personne à charge de moins de 18 ans ou aux "
        "études à temps plein).",
    ),
    (
        "net_earnings",
        {"member": "Anne"},
        "Net earnings of Anne.",
        "Gains nets touchés par Anne.",
    ),
    (
        "earnings_exemption",
        {
            "member": "Anne",
            "applies": "true",
            "flat": "200.00",
            "percent": "50",
            "waiting_months": "3",
        },
        "Earnings exemption for Anne: the first $200.00 plus 50% of the rest is not counted.",
        "Exemption des gains pour Anne : les premiers 200,00 $ plus 50 % du reste ne sont pas "
        "comptés.",
    ),
    (
        "earnings_exemption",
        {"member": "Anne", "applies": "false", "waiting_months": "3", "months_in_receipt": "1"},
        "No earnings exemption for Anne: 1 consecutive month on assistance, fewer than the "
        "3 months required.",
        "Aucune exemption des gains pour Anne : 1 mois consécutif d'aide, moins que les 3 mois "
        "requis.",
    ),
    (
        "earnings_exemption",
        {"member": "Anne", "applies": "false", "waiting_months": "3", "months_in_receipt": "2"},
        "No earnings exemption for Anne: 2 consecutive months on assistance, fewer than the "
        "3 months required.",
        "Aucune exemption des gains pour Anne : 2 mois consécutifs d'aide, moins que les 3 mois "
        "requis.",
    ),
    (
        "child_care_deduction",
        {"costs": "240.00"},
        "Child care costs of $240.00 deducted from earnings after the exemptions (never more "
        "than the earnings).",
        "Frais de garde d'enfants de 240,00 $ déduits des gains après les exemptions (jamais "
        "plus que les gains).",
    ),
    (
        "employment_insurance",
        {"member": "Anne", "income_type": "employment_insurance", "exempt": "false"},
        "Employment Insurance received by Anne: deducted dollar for dollar.",
        "Assurance-emploi : montant touché par Anne, déduit dollar pour dollar.",
    ),
    (
        "cpp",
        {"member": "Anne", "income_type": "cpp", "exempt": "false"},
        "Canada Pension Plan received by Anne: deducted dollar for dollar.",
        "Régime de pensions du Canada : montant touché par Anne, déduit dollar pour dollar.",
    ),
    (
        "spousal_support",
        {"member": "Anne", "income_type": "spousal_support", "exempt": "false"},
        "Spousal support received by Anne: deducted dollar for dollar.",
        "Pension alimentaire pour le conjoint : montant touché par Anne, déduit dollar pour "
        "dollar.",
    ),
    (
        "child_support",
        {"member": "Anne", "income_type": "child_support", "exempt": "true"},
        "Child support received by Anne: exempt, not deducted.",
        "Pension alimentaire pour enfants : montant touché par Anne, exempté et non déduit.",
    ),
    (
        "child_support",
        {"member": "Anne", "income_type": "child_support", "exempt": "false"},
        "Child support received by Anne: deducted dollar for dollar.",
        "Pension alimentaire pour enfants : montant touché par Anne, déduit dollar pour dollar.",
    ),
    (
        "canada_child_benefit",
        {"member": "Anne", "income_type": "canada_child_benefit", "exempt": "true"},
        "Canada Child Benefit received by Anne: exempt, not deducted.",
        "Allocation canadienne pour enfants : montant touché par Anne, exempté et non déduit.",
    ),
    (
        "ontario_child_benefit",
        {"member": "Anne", "income_type": "ontario_child_benefit", "exempt": "true"},
        "Ontario Child Benefit received by Anne: exempt, not deducted.",
        "Prestation ontarienne pour enfants : montant touché par Anne, exempté et non déduit.",
    ),
    (
        "workers_compensation",
        {"member": "Anne", "income_type": "workers_compensation", "exempt": "false"},
        "Workers' compensation (WSIB) received by Anne: deducted dollar for dollar.",
        "Indemnités d'accident du travail (CSPAAT) : montant touché par Anne, déduit dollar pour "
        "dollar.",
    ),
    (
        "other",
        {"member": "Anne", "income_type": "other", "exempt": "false"},
        "Other income received by Anne: deducted dollar for dollar.",
        "Autre revenu : montant touché par Anne, déduit dollar pour dollar.",
    ),
    (
        "cpp_childrens_benefit",
        {"member": "Léo", "income_type": "cpp_childrens_benefit", "exempt": "true"},
        "CPP disabled contributor's child's benefit received by Léo: exempt, not deducted.",
        "Prestation d'enfant de cotisant invalide du RPC : montant touché par Léo, exempté et "
        "non déduit.",
    ),
    (
        "cpp_orphans_benefit",
        {"member": "Léo", "income_type": "cpp_orphans_benefit", "exempt": "false"},
        "CPP orphan's benefit received by Léo: deducted dollar for dollar.",
        "Prestation d'orphelin du RPC : montant touché par Léo, déduit dollar pour dollar.",
    ),
    (
        "chargeable_income",
        {},
        "Earnings after exemptions and child care, plus income that is not exempt.",
        "Gains après les exemptions et les frais de garde, plus les revenus non exemptés.",
    ),
    (
        "assets",
        {"limit": "10000.00", "over_limit": "false"},
        "Assets that count (exempt assets left out): within the limit of $10,000.00 for this "
        "benefit unit.",
        "Avoirs pris en compte (avoirs exemptés exclus) : sous la limite de 10 000,00 $ pour ce "
        "groupe de prestataires.",
    ),
    (
        "assets",
        {"limit": "15500.00", "over_limit": "true"},
        "Assets that count (exempt assets left out): over the limit of $15,500.00 for this "
        "benefit unit.",
        "Avoirs pris en compte (avoirs exemptés exclus) : au-dessus de la limite de 15 500,00 $ "
        "pour ce groupe de prestataires.",
    ),
    (
        "entitlement",
        {"eligible": "true"},
        "Budgetary requirements minus income counted (not below zero).",
        "Besoins budgétaires moins le revenu pris en compte (jamais moins de zéro).",
    ),
    (
        "entitlement",
        {"eligible": "false"},
        "Not eligible this month, so no assistance (see the reasons; income equal to or above "
        "the budgetary requirements is not eligible).",
        "Non admissible ce mois-ci, donc aucune aide (voir les motifs; un revenu égal ou "
        "supérieur aux besoins budgétaires n'est pas admissible).",
    ),
    (
        "overpayment_deduction",
        {
            "percent": "5",
            "base": "733.00",
            "balance": "1000.00",
            "minimum": "2.50",
            "first_nations": "true",
        },
        "Overpayment recovery: 5% of the budgetary requirements of $733.00 (rounded down to the "
        "cent), up to the balance of $1,000.00, leaving at least $2.50.",
        "Recouvrement d'un paiement excédentaire : 5 % des besoins budgétaires de 733,00 $ "
        "(arrondi au cent inférieur), jusqu'à concurrence du solde de 1 000,00 $, en laissant au "
        "moins 2,50 $.",
    ),
    (
        "overpayment_deduction",
        {
            "percent": "7.5",
            "base": "1161.00",
            "balance": "200.00",
            "minimum": "2.50",
            "first_nations": "false",
        },
        "Overpayment recovery: 7.5% of the budgetary requirements of $1,161.00 (rounded down to "
        "the cent), up to the balance of $200.00, leaving at least $2.50.",
        "Recouvrement d'un paiement excédentaire : 7,5 % des besoins budgétaires de 1 161,00 $ "
        "(arrondi au cent inférieur), jusqu'à concurrence du solde de 200,00 $, en laissant au "
        "moins 2,50 $.",
    ),
    (
        "minimum_payment",
        {"minimum": "2.50"},
        "Minimum payment: a payment below $2.50 is raised to $2.50.",
        "Paiement minimal : un paiement inférieur à 2,50 $ est porté à 2,50 $.",
    ),
    ("payment", {}, "Payment for the month.", "Paiement du mois."),
]


@pytest.mark.parametrize(
    ("item", "figures", "english", "french"),
    CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)],
)
def test_item_sentence_in_english_and_french(
    item: str, figures: dict[str, str], english: str, french: str
) -> None:
    assert normalise(sentence_for(item, figures, "en") or "") == english
    assert normalise(sentence_for(item, figures, "fr") or "") == french


def test_every_item_code_the_engine_can_emit_has_both_templates_and_a_label() -> None:
    documented = documented_items()
    assert len(documented) >= 29  # the table in docs/rules.md, rules 1.1.0
    assert set(SENTENCES) == set(documented)
    assert {case[0] for case in CASES} == set(documented)
    for item, variants in SENTENCES.items():
        assert set(ITEM_LABELS[item]) == {"en", "fr"}, item
        assert ITEM_LABELS[item]["en"] != ITEM_LABELS[item]["fr"], item
        for variant, texts in variants.items():
            assert texts.get("en"), (item, variant)
            assert texts.get("fr"), (item, variant)
            assert texts["en"] != texts["fr"], (item, variant)
    for item, figures, _english, _french in CASES:
        # The examples use only the figure keys documented for their item.
        assert set(figures) <= documented[item], (item, set(figures) - documented[item])


# Households that together make the engine emit every item code.
ENGINE_HOUSEHOLDS: list[dict[str, Any]] = [
    {
        "benefit_month": "2026-01",
        "months_in_receipt": 0,
        "members": [
            {
                "id": "Anne",
                "role": "applicant",
                "age": 30,
                "net_earnings": "100.00",
                "pregnant_or_breastfeeding": True,
                "pregnancy_allowance_non_dairy": True,
                "unearned_income": [
                    {"type": kind, "amount": "10.00"}
                    for kind in (
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
                ],
            },
            {"id": "Ahmed", "role": "dependant", "age": 20, "net_earnings": "2000.00"},
            {"id": "Léo", "role": "dependant", "age": 15, "net_earnings": "50.00"},
        ],
        "shelter": {"type": "rent", "cost": "100.00", "heat": "900.00"},
    },
    {
        "benefit_month": "2026-01",
        "months_in_receipt": 6,
        "members": [
            {"id": "Priya", "role": "applicant", "age": 30, "net_earnings": "585.00"},
            {"id": "Sam", "role": "dependant", "age": 4, "child_care_costs": "240.00"},
        ],
        "shelter": {"type": "own", "cost": "600.00", "heat": "100.00"},
        "assets": [{"type": "bank_account", "value": "500.00"}],
        "overpayment_recovery": {"balance": "200.00"},
    },
    {
        "benefit_month": "2026-01",
        "members": [{"id": "Omar", "role": "applicant", "age": 70}],
        "shelter": {"type": "no_fixed_address"},
        "assets": [{"type": "cash", "value": "20000.00"}],
    },
    {
        "benefit_month": "2026-01",
        "members": [{"id": "Rose", "role": "applicant", "age": 45, "special_diet": "75.00"}],
        "shelter": {"type": "board_and_lodging", "cost": "600.00"},
        "remote_community": True,
    },
    {
        "benefit_month": "2026-01",
        "months_in_receipt": 10,
        "members": [
            {
                "id": "Omar",
                "role": "applicant",
                "age": 40,
                "unearned_income": [{"type": "employment_insurance", "amount": "732.00"}],
            }
        ],
        "shelter": {"type": "rent", "cost": "500.00"},
    },
    {
        "benefit_month": "2026-01",
        "members": [
            {"id": "Ana", "role": "applicant", "age": 30},
            {"id": "Bo", "role": "dependant", "age": 0, "no_child_benefits": True},
        ],
        "residence": "emergency_hostel",
    },
    {
        "benefit_month": "2026-01",
        "members": [
            {"id": "Ana", "role": "applicant", "age": 30},
            {"id": "Bo", "role": "dependant", "age": 0, "no_child_benefits": True},
        ],
    },
    {
        "benefit_month": "2018-03",
        "members": [{"id": "Joe", "role": "applicant", "age": 81}],
        "residence": "long_term_care",
    },
]


def test_the_engines_real_output_renders_every_line_without_falling_back() -> None:
    seen: set[str] = set()
    for household in ENGINE_HOUSEHOLDS:
        for entry in calculate(household)["explanation"]:
            seen.add(entry["item"])
            for language in ("en", "fr"):
                assert sentence_for(entry["item"], entry["figures"], language), (entry, language)
    assert seen == set(documented_items())


# --- Fallback -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        {"item": "new_allowance", "amount": "10.00", "rule": "A new rule", "figures": {}},
        {"item": "basic_needs", "amount": "343.00", "rule": "A new rule"},  # no figures (1.0.0)
        {"item": "basic_needs", "amount": "343.00", "rule": "A new rule", "figures": {}},
        {
            "item": "basic_needs",
            "amount": "343.00",
            "rule": "A new rule",
            "figures": {
                "spouse": "false",
                "count_adults": "0",
                "count_children": "0",
                "rate_date": "soon",
            },
        },
        {
            "item": "employment_insurance",
            "amount": "1.00",
            "rule": "A new rule",
            "figures": {"member": "Anne", "income_type": "lottery", "exempt": "false"},
        },
        {
            "item": "assets",
            "amount": "1.00",
            "rule": "A new rule",
            "figures": {"limit": "lots", "over_limit": "false"},
        },
        {"item": "entitlement", "amount": "1.00", "rule": "A new rule", "figures": {"x": "1"}},
        {"item": "payment", "amount": "1.00", "rule": "A new rule", "figures": "not a dict"},
    ],
)
def test_unknown_item_or_figure_falls_back_to_the_engines_rule_text(entry: dict[str, Any]) -> None:
    for language in ("en", "fr"):
        line = explanation_line(entry, language)
        assert line.sentence == "A new rule"
        assert line.amount_cents is not None


def test_line_carries_label_amount_in_cents_and_citation_in_the_language() -> None:
    entry = {
        "item": "basic_needs",
        "amount": "343.00",
        "rule": "Basic needs, single, no dependants",
        "citation": "O. Reg. 134/98, s. 41(1) para 1 (Table), October 2018 rates",
        "figures": {
            "spouse": "false",
            "count_adults": "0",
            "count_children": "0",
            "rate_date": "2018-10",
        },
    }
    french = explanation_line(entry, "fr")
    assert french.item == "basic_needs"
    assert french.label == "Besoins essentiels"
    assert french.sentence == (
        "Besoins essentiels pour une personne seule sans personne à charge (taux d'octobre 2018)."
    )
    assert french.amount_cents == 34_300
    assert (
        french.citation
        == "Règl. de l'Ont. 134/98, art. 41(1) disp. 1 (tableau), taux d'octobre 2018"
    )
    english = explanation_line(entry, "en")
    assert english.label == "Basic needs"
    assert english.citation == entry["citation"]
    assert explanation_lines([entry, "junk", None], "en") == [english]
    assert explanation_line({"item": "payment", "amount": "n/a"}, "en").amount_cents is None


def test_rate_dates_elide_before_a_vowel_in_french() -> None:
    assert rates_of(10, 2018, "fr") == "taux d'octobre 2018"
    assert rates_of(4, 2017, "fr") == "taux d'avril 2017"
    assert rates_of(8, 2017, "fr") == "taux d'août 2017"
    assert rates_of(1, 2019, "fr") == "taux de janvier 2019"
    assert rates_of(10, 2018, "en") == "October 2018 rates"


# --- Citations ------------------------------------------------------------------------------

CITATIONS_FR = [
    (
        "O. Reg. 134/98, s. 41(1) para 1 (Table), October 2018 rates",
        "Règl. de l'Ont. 134/98, art. 41(1) disp. 1 (tableau), taux d'octobre 2018",
    ),
    (
        "O. Reg. 134/98, s. 41(1) para 1 (Table), as substituted by O. Reg. 282/17, s. 3(1)",
        "Règl. de l'Ont. 134/98, art. 41(1) disp. 1 (tableau), tel que remplacé par le Règl. de "
        "l'Ont. 282/17, art. 3(1)",
    ),
    (
        "O. Reg. 134/98, s. 38(1)(a)-(d), as substituted by O. Reg. 282/17, s. 1",
        "Règl. de l'Ont. 134/98, art. 38(1)(a) à (d), tel que remplacé par le Règl. de l'Ont. "
        "282/17, art. 1",
    ),
    (
        "O. Reg. 134/98, s. 41(1) para 5, as amended by O. Reg. 228/16, s. 1(3) ($41 to $42)",
        "Règl. de l'Ont. 134/98, art. 41(1) disp. 5, tel que modifié par le Règl. de l'Ont. "
        "228/16, art. 1(3) (de 41 $ à 42 $)",
    ),
    (
        "O. Reg. 134/98, s. 40(1); OW Policy Directive 6.1 Calculating assistance",
        "Règl. de l'Ont. 134/98, art. 40(1); Directive 6.1 du programme Ontario au travail – "
        "Calcul de l'aide",
    ),
    (
        "O. Reg. 134/98, s. 48; OW Policy Directive 6.1",
        "Règl. de l'Ont. 134/98, art. 48; Directive 6.1 du programme Ontario au travail",
    ),
    (
        "O. Reg. 134/98, s. 48-54; OW Policy Directive 6.1 Calculating assistance",
        "Règl. de l'Ont. 134/98, art. 48 à 54; Directive 6.1 du programme Ontario au travail – "
        "Calcul de l'aide",
    ),
    (
        "OW Policy Directive 5.6 Federal and provincial benefits for families with children",
        "Directive 5.6 du programme Ontario au travail – Prestations fédérales et provinciales "
        "pour les familles avec enfants",
    ),
    (
        "O. Reg. 134/98, s. 53 para 4.2, added by O. Reg. 592/17, s. 5 (a disabled "
        "contributor's child's benefit payment under the Canada Pension Plan)",
        "Règl. de l'Ont. 134/98, art. 53 disp. 4.2, ajoutée par le Règl. de l'Ont. 592/17, "
        "art. 5 (prestation d'enfant de cotisant invalide versée au titre du Régime de pensions "
        "du Canada)",
    ),
    (
        "Ontario Works Act, 1997, s. 7(3)(b) (budgetary requirements must exceed income); "
        "O. Reg. 134/98, s. 57.1 (income equal to or above budgetary requirements); "
        "OW Policy Directive 6.1 Calculating assistance",
        "Loi de 1997 sur le programme Ontario au travail, art. 7(3)(b) (les besoins budgétaires "
        "doivent dépasser le revenu); Règl. de l'Ont. 134/98, art. 57.1 (revenu égal ou "
        "supérieur aux besoins budgétaires); Directive 6.1 du programme Ontario au travail – "
        "Calcul de l'aide",
    ),
    (
        "OW Policy Directive 5.3 Earnings exemptions (a dependent adult whose net income is "
        "more than the maximum assistance for a single person is removed from the benefit unit "
        "for the month); O. Reg. 134/98, s. 2(2)(c)(i) (same income test)",
        "Directive 5.3 du programme Ontario au travail – Exemptions des gains (un adulte à "
        "charge dont le revenu net dépasse l'aide maximale pour une personne seule est exclu du "
        "groupe de prestataires pour le mois); Règl. de l'Ont. 134/98, art. 2(2)(c)(i) (même "
        "critère de revenu)",
    ),
    (
        "O. Reg. 134/98, s. 42(2) para 2 (Table); OW Policy Directive 6.3 Shelter (October 2018)",
        "Règl. de l'Ont. 134/98, art. 42(2) disp. 2 (tableau); Directive 6.3 du programme "
        "Ontario au travail – Logement (octobre 2018)",
    ),
    (
        "O. Reg. 134/98, s. 44(1) para 5 (quoted by City of Toronto, Board and lodging)",
        "Règl. de l'Ont. 134/98, art. 44(1) disp. 5 (cité par la Ville de Toronto, Chambre et "
        "pension)",
    ),
    (
        "Cochrane DSSAB, Ontario Works FAQ (October 2017 rates)",
        "CADSS de Cochrane, FAQ d'Ontario au travail (taux d'octobre 2017)",
    ),
    (
        "OW Policy Directive 3.5 Applicants and participants under 18",
        "Directive 3.5 du programme Ontario au travail – Requérants et participants de moins de "
        "18 ans",
    ),
    (
        "Ontario Works Act, 1997, s. 14; O. Reg. 134/98, s. 14",  # a decision's reason
        "Loi de 1997 sur le programme Ontario au travail, art. 14; Règl. de l'Ont. 134/98, art. 14",
    ),
    (  # health benefits (issue 16)
        "O. Reg. 134/98, s. 55(1) para 1 iii.1, added by O. Reg. 491/01, s. 1",
        "Règl. de l'Ont. 134/98, art. 55(1) disp. 1 iii.1, ajoutée par le Règl. de l'Ont. "
        "491/01, art. 1",
    ),
    (
        "Ministry of Community and Social Services, medical travel mileage rates (January 2017)",
        "ministère des Services sociaux et communautaires, taux de kilométrage des déplacements "
        "pour raisons médicales (janvier 2017)",
    ),
    (
        "OW Policy Directive 7.2 Health benefits",
        "Directive 7.2 du programme Ontario au travail – Prestations de santé",
    ),
]


@pytest.mark.parametrize(("english", "french"), CITATIONS_FR)
def test_citation_in_french(english: str, french: str) -> None:
    assert citation_text(english, "fr") == french
    assert citation_text(english, "en") == english


def engine_citations() -> set[str]:
    """Every citation the rules package can give: the first title of each dated reference of
    its parameters (`citations.citation`) and its fixed citation texts."""
    found: set[str] = set()
    for path in (RULES_PACKAGE / "parameters").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        references = (data.get("metadata") or {}).get("reference") or {}
        for entries in references.values():
            found.add(str(entries[0]["title"]))
    found.update(
        value
        for name, value in vars(citations).items()
        if name.isupper() and isinstance(value, str)
    )
    return found


ENGLISH_WORDS = re.compile(
    r"\b(O\. Reg|s\.|ss\.|para|Table|rates|as substituted|as amended|added by|Policy Directive|"
    r"Ontario Works|Act|quoted|City of|Steps to Justice|the|of|and|by|for|to|is|are|not|from|"
    r"before|under|income|earnings|benefits?|assistance|children|support|Board)\b"
)


def test_every_citation_the_rules_package_can_give_reads_in_french() -> None:
    texts = engine_citations()
    assert len(texts) > 40  # rules 1.1.0 gives 50
    left_in_english = {
        text: citation_text(text, "fr")
        for text in texts
        if ENGLISH_WORDS.search(citation_text(text, "fr"))
    }
    assert left_in_english == {}


def test_an_unknown_citation_is_kept_rather_than_lost() -> None:
    assert citation_text("Something new", "fr") == "Something new"
    assert citation_text("", "fr") == ""


# --- The notice of decision and the determination page ------------------------------------

JAN_2026 = dt.date(2026, 1, 15)


@pytest.fixture
def family_decision(partner: Any, caseworker: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    # The letter's explanations only: no activation-code section (the portal's, printed once in
    # the stored notice), so the stored notice and a fresh rendering are the same letter.
    monkeypatch.setattr(notice_sections, "NOTICE_SECTION_PROVIDERS", [])
    """A sole support parent with earnings, Employment Insurance and the Canada Child Benefit,
    and one child, granted in January 2026."""
    parent = PersonFactory(delivery_partner=partner, first_name="Marie", language_preference="fr")
    child = PersonFactory(
        delivery_partner=partner, first_name="Léo", date_of_birth=dt.date(2019, 3, 1)
    )
    application = application_start(acting_user=caseworker, applicant=parent, applied_on=JAN_2026)
    application_member_add(
        acting_user=caseworker, application=application, person=child, role="dependant_child"
    )
    application.refresh_from_db()
    application = application_update(
        acting_user=caseworker,
        application=application,
        facts=ApplicationFacts(
            shelter_type="rent",
            shelter_cost_cents=90_000,
            consent_to_verification=True,
            incomes=[
                IncomeFacts(
                    person_id=parent.pk, income_type="earnings", monthly_amount_cents=30_000
                ),
                IncomeFacts(
                    person_id=parent.pk,
                    income_type="employment_insurance",
                    monthly_amount_cents=20_000,
                ),
                IncomeFacts(
                    person_id=parent.pk,
                    income_type="canada_child_benefit",
                    monthly_amount_cents=64_891,
                ),
            ],
        ),
    )
    for item in application.verifications.all():
        verification_update(
            acting_user=caseworker, item=item, status="waived", waived_reason="Seen in person"
        )
    determination = determination_run(acting_user=caseworker, application=application)
    return decision_make(
        acting_user=caseworker, determination=determination, outcome="grant", effective_on=JAN_2026
    )


FRENCH_SENTENCES = (
    "Besoins essentiels pour un parent seul avec 1 enfant à charge (taux d'octobre 2018).",
    "Coût réel du logement de 900,00 $ (loyer, chauffage et services publics compris), "
    "jusqu'au maximum de 642,00 $ pour 2 personnes (taux d'octobre 2018).",
    "Gains nets touchés par Marie.",
    "Aucune exemption des gains pour Marie : 0 mois consécutif d'aide, moins que les 3 mois "
    "requis.",
    "Assurance-emploi : montant touché par Marie, déduit dollar pour dollar.",
    "Allocation canadienne pour enfants : montant touché par Marie, exempté et non déduit.",
    "Paiement du mois.",
)
FRENCH_CITATIONS = (
    "Règl. de l'Ont. 134/98, art. 41(1) disp. 1 (tableau), taux d'octobre 2018",
    "Règl. de l'Ont. 134/98, art. 42(2) disp. 2 (tableau); Directive 6.3 du programme Ontario "
    "au travail – Logement (octobre 2018)",
    "Directive 5.6 du programme Ontario au travail – Prestations fédérales et provinciales pour "
    "les familles avec enfants",
    "Règl. de l'Ont. 134/98, art. 48; Directive 6.1 du programme Ontario au travail",
)
ENGLISH_SENTENCES = (
    "Basic needs for a sole support parent with 1 dependant under 18 (October 2018 rates).",
    "Net earnings of Marie.",
    "No earnings exemption for Marie: 0 consecutive months on assistance, fewer than the "
    "3 months required.",
    "Employment Insurance received by Marie: deducted dollar for dollar.",
    "Canada Child Benefit received by Marie: exempt, not deducted.",
)


def test_french_notice_explains_every_line_in_french(family_decision: Any) -> None:
    french = pdf_text(render_notice_of_decision(family_decision, "fr"))
    assert "Règle et fondement juridique" in french
    for sentence in FRENCH_SENTENCES + FRENCH_CITATIONS:
        assert sentence in french, sentence
    for english in (
        "Basic needs",
        "October 2018 rates",
        "as substituted by",
        "O. Reg.",
        "Employment Insurance",
        "Policy Directive",
        "dollar for dollar",
    ):
        assert english not in french, english
    assert "canada child benefit" not in french.lower()
    # The stored notice is the same letter.
    assert pdf_text(bytes(family_decision.notice_fr.content)) == french


def test_english_notice_still_explains_every_line_in_english(family_decision: Any) -> None:
    english = pdf_text(render_notice_of_decision(family_decision, "en"))
    assert "Rule and legal authority" in english
    for sentence in ENGLISH_SENTENCES:
        assert sentence in english, sentence
    assert "O. Reg. 134/98, s. 41(1) para 1 (Table), October 2018 rates" in english
    assert "taux d'octobre" not in english


def test_determination_page_shows_the_sentences_in_the_pages_language(
    family_decision: Any, caseworker: Any
) -> None:
    url = reverse("eligibility:determination", args=[family_decision.determination_id])
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(caseworker)
    french = normalise(client.get(url).content.decode())
    assert "Besoins essentiels pour un parent seul avec 1 enfant à charge" in french
    assert "Assurance-emploi : montant touché par Marie, déduit dollar pour dollar." in french
    assert "Règl. de l&#x27;Ont. 134/98, art. 41(1) disp. 1 (tableau)" in french
    assert "October 2018 rates" not in french
    assert "Canada Child Benefit" not in french

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(caseworker)
    english = normalise(client.get(url).content.decode())
    assert "Employment Insurance received by Marie: deducted dollar for dollar." in english
    assert "O. Reg. 134/98, s. 41(1) para 1 (Table), October 2018 rates" in english
