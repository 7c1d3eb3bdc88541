"""What an application still lacks before it can be calculated (pending proofs, consent).

The rules input itself is made by the one builder, `caseworks.payments.facts` (`rules_unit`),
from the application's facts (`application_month_facts`): the same code the payment run uses.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from caseworks.applications.constants import VerificationStatus
from caseworks.applications.models import Application


def verification_section(application: Application) -> list[str]:
    missing = []
    for item in application.verifications.select_related("person").order_by("kind", "id"):
        if item.status == VerificationStatus.PENDING:
            who = f" — {item.person.full_name}" if item.person else ""
            missing.append(
                _("proof not yet verified: %(item)s") % {"item": item.get_kind_display()} + who
            )
    if not application.consent_to_verification:
        missing.append(_("the applicant's consent to verification"))
    return missing
