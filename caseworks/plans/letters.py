"""The printable participation agreement (PDF, in the participant's language or the one asked):
goals, activities, the participant's obligations, and a signature line for a paper signature
or the signature given on screen (drawn, or the typed name with the participant's consent)."""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from caseworks.core.text import letter_date_text

from .constants import DIRECTIVE_CITATION, DIRECTIVE_URL, SignatureMethod
from .models import ParticipationAgreement


def agreement_language(agreement: ParticipationAgreement, asked: str = "") -> str:
    """The language asked ("en"/"fr"), else the participant's language of service."""
    if asked in ("en", "fr"):
        return asked
    return "fr" if getattr(agreement.person, "language_preference", "") == "fr" else "en"


def render_participation_agreement(
    agreement: ParticipationAgreement,
    language: str,
    *,
    signature_png: bytes | None = None,
    signed_on: Any = None,
    signed_by: str = "",
    method: str = "",
) -> bytes:
    """The agreement as PDF bytes. Without a signature it prints an empty signature line."""
    language = "fr" if language == "fr" else "en"
    partner = agreement.benefit_unit.delivery_partner
    context = {
        "language": language,
        "agreement": agreement,
        "person": agreement.person,
        "case_number": agreement.benefit_unit.case_number,
        "partner_name": (partner.name_fr or partner.name) if language == "fr" else partner.name,
        "goals": list(agreement.goals.all()),
        "activities": list(agreement.activities.select_related("goal")),
        "start_on": letter_date_text(agreement.start_on, language),
        "signed_on": letter_date_text(signed_on, language) if signed_on else "",
        "signed_by": signed_by,
        "on_screen": method == SignatureMethod.SCREEN,
        "signature_data_url": (
            "data:image/png;base64," + base64.b64encode(signature_png).decode("ascii")
            if signature_png
            else ""
        ),
        "directive": DIRECTIVE_CITATION,
        "directive_url": DIRECTIVE_URL,
    }
    with translation.override(language):
        html = render_to_string("plans/agreement_letter.html", context)
    import weasyprint  # noqa: PLC0415  # ~1 s of import (cffi): paid by the first letter only

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
