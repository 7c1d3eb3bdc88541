"""Notices to clients as real PDF letters (WeasyPrint), in English and in French.

A notice is rendered only from stored records (the decision and its determination), never from
a new calculation, so regenerating it gives the same letter, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from caseworks.cases.constants import MemberRole
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.money import display_cents
from caseworks.eligibility.constants import INTERNAL_REVIEW_DAYS, DecisionOutcome
from caseworks.eligibility.explanations import explanation_lines
from caseworks.eligibility.labels import citation_text, reason_label
from caseworks.eligibility.models import Decision

from .services import notice_store

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _date_text(value: Any, language: str, with_day: bool = True) -> str:
    if language == "fr":
        month = MONTHS_FR[value.month - 1]
        return f"{value.day} {month} {value.year}" if with_day else f"{month} {value.year}"
    return f"{value:%B} {value.day}, {value.year}" if with_day else f"{value:%B %Y}"


@dataclass(frozen=True)
class LetterLine:
    label: str
    sentence: str
    amount: str
    citation: str


def notice_context(decision: Decision, language: str) -> dict[str, Any]:
    determination = decision.determination
    benefit_unit = decision.benefit_unit
    applicant = (
        benefit_unit.members.filter(role=MemberRole.APPLICANT).select_related("person").first()
    )
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
        "decided_on": _date_text(decided_on, language),
        "effective_on": _date_text(decision.effective_on, language),
        "benefit_month": _date_text(determination.benefit_month, language, with_day=False),
        "lines": lines,
        "reasons": reasons,
        "money": money,
        "review_days": INTERNAL_REVIEW_DAYS,
        "rules_version": determination.rules_version,
        "determination_id": determination.pk,
    }


def render_notice_of_decision(decision: Decision, language: str) -> bytes:
    """The notice as PDF bytes. Deterministic for a given stored decision."""
    language = "fr" if language == "fr" else "en"
    html = render_to_string(
        f"documents/notice_of_decision_{language}.html", notice_context(decision, language)
    )
    import weasyprint  # noqa: PLC0415  # ~1 s of import (cffi): paid by the first letter only

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


@transaction.atomic
def notices_generate(*, acting_user: Any, decision: Decision) -> Decision:
    """Render the notice in English and French, store both on the case, link them."""
    applicant = (
        decision.benefit_unit.members.filter(role=MemberRole.APPLICANT)
        .select_related("person")
        .first()
    )
    person = applicant.person if applicant else None
    titles = {"en": "Notice of decision", "fr": "Avis de décision"}
    for language in ("en", "fr"):
        document = notice_store(
            acting_user=acting_user,
            benefit_unit=decision.benefit_unit,
            person=person,
            title=f"{titles[language]} {decision.benefit_unit.case_number}",
            pdf=render_notice_of_decision(decision, language),
            language=language,
        )
        setattr(decision, f"notice_{language}", document)
    decision._history_user = acting_user  # type: ignore[attr-defined]
    decision.save(update_fields=["notice_en", "notice_fr"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.NOTICE_GENERATED,
        subject=decision,
        delivery_partner_id=decision.benefit_unit.delivery_partner_id,
        person_id=person.pk if person else None,
        benefit_unit_id=decision.benefit_unit_id,
        extra_data={"notice_en": decision.notice_en_id, "notice_fr": decision.notice_fr_id},
    )
    return decision
