"""The application panel for the case page: `{% include "applications/_case_panel.html" %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from caseworks.applications.selectors import application_for_case
from caseworks.core.money import display_cents
from caseworks.eligibility.selectors import latest_decision, latest_determination

register = template.Library()


@register.inclusion_tag("applications/_case_panel_body.html", takes_context=True)
def application_panel(context: template.Context, case: Any) -> dict[str, Any]:
    """The case's application status, its next step, the latest determination and decision
    (with the notices). The case page already checked access to `case`."""
    application = application_for_case(benefit_unit=case)
    determination = latest_determination(benefit_unit=case) if application else None
    decision = latest_decision(benefit_unit=case) if application else None
    return {
        "case": case,
        "can": context.get("can", {}),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "application": application,
        "determination": determination,
        "decision": decision,
        "applicant": context.get("applicant"),
    }


@register.filter
def dollars(cents: Any) -> str:
    """Integer cents as money in the page's language: $1,234.50 / 1 234,50 $."""
    if cents is None or cents == "":
        return ""
    return display_cents(int(cents), get_language() or "en")
