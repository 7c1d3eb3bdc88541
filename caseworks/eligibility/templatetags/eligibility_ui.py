"""The application and decision panel of the case page (`{% load eligibility_ui %}
{% application_panel case %}`), and the latest determination for the application page."""

from __future__ import annotations

from typing import Any

from django import template

from caseworks.applications.selectors import application_for_case
from caseworks.cases.models import BenefitUnit

from ..models import Determination
from ..selectors import latest_decision, latest_determination

register = template.Library()


@register.inclusion_tag("eligibility/_application_panel.html", takes_context=True)
def application_panel(context: template.Context, case: BenefitUnit) -> dict[str, Any]:
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


@register.simple_tag
def latest_determination_of(case: BenefitUnit) -> Determination | None:
    """`{% latest_determination_of application.benefit_unit as determination %}` (the page
    already checked access to the case)."""
    return latest_determination(benefit_unit=case)
