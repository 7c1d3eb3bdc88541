"""The notice of decision as a real PDF letter (WeasyPrint), in English and in French.

A notice is rendered only from stored records (the decision and its determination), never from
a new calculation, so regenerating it gives the same letter, byte for byte. It lives with the
decisions it notifies; `services.notices_generate` stores it through caseworks.documents
(storage only). The templates keep their names, `documents/notice_of_decision_<language>.html`
(in this app's templates folder), and extend `documents/letter_base.html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from caseworks.calculation.explanations import explanation_lines
from caseworks.calculation.labels import citation_text, reason_label
from caseworks.cases.services import case_applicant
from caseworks.core.money import display_cents
from caseworks.core.text import letter_date_text

from .constants import INTERNAL_REVIEW_DAYS, DecisionOutcome
from .models import Decision
from .notice_sections import NoticeSection


@dataclass(frozen=True)
class LetterLine:
    label: str
    sentence: str
    amount: str
    citation: str


def notice_context(
    decision: Decision, language: str, sections: Sequence[NoticeSection] = ()
) -> dict[str, Any]:
    determination = decision.determination
    benefit_unit = decision.benefit_unit
    applicant = case_applicant(benefit_unit)
    person = applicant.person if applicant else None
    lines = [
        LetterLine(
            label=line.label,
            sentence=line.sentence,
            amount=display_cents(line.amount_cents, language)
            if line.amount_cents is not None
            else "",
            citation=line.citation,
        )
        for line in explanation_lines(determination.explanation, language)
    ]
    reasons = [
        {
            "text": reason_label(str(r.get("code", "")), language),
            "detail": str(r.get("detail", "")),
            "citation": citation_text(str(r.get("citation", "")), language),
        }
        for r in decision.reasons
    ]
    decided_on = timezone.localtime(decision.decided_at).date()
    money = {
        name: display_cents(getattr(determination, f"{name}_cents"), language)
        for name in (
            "budgetary_requirements",
            "chargeable_income",
            "entitlement",
            "overpayment_deduction",
            "payment",
        )
    }
    return {
        "language": language,
        "decision": decision,
        "granted": decision.outcome == DecisionOutcome.GRANT,
        "partner": benefit_unit.delivery_partner,
        "partner_name": (
            benefit_unit.delivery_partner.name_fr or benefit_unit.delivery_partner.name
        )
        if language == "fr"
        else benefit_unit.delivery_partner.name,
        "case_number": benefit_unit.case_number,
        "person": person,
        "decided_on": letter_date_text(decided_on, language),
        "effective_on": letter_date_text(decision.effective_on, language),
        "benefit_month": letter_date_text(determination.benefit_month, language, with_day=False),
        "lines": lines,
        "reasons": reasons,
        "money": money,
        "review_days": INTERNAL_REVIEW_DAYS,
        "rules_version": determination.rules_version,
        "determination_id": determination.pk,
        # What apps above this one add (notice_sections: the portal's activation codes).
        "extra_sections": list(sections),
    }


def render_notice_of_decision(
    decision: Decision, language: str, sections: Sequence[NoticeSection] = ()
) -> bytes:
    """The notice as PDF bytes. Deterministic for a given stored decision and `sections` (the
    sections other apps add in this language, from notice_sections)."""
    language = "fr" if language == "fr" else "en"
    html = render_to_string(
        f"documents/notice_of_decision_{language}.html",
        notice_context(decision, language, sections),
    )
    import weasyprint  # noqa: PLC0415  # ~1 s of import (cffi): paid by the first letter only

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
