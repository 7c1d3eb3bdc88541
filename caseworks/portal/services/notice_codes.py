"""The activation codes printed on the notice of decision (issue 17).

When a grant's notice is generated, each adult of the case who has no online account yet gets a
one-time activation code (activation_code_issue: only its hash is kept, an audit event per
code), printed in the letter in English and in French with how to open the account. The letter
is what is mailed; the code is shown nowhere else. Eligibility, below this app, asks for the
section through its registry (caseworks.eligibility.notice_sections, filled by
PortalConfig.ready()), once per decision: generating the same notice again issues nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.errors import ApplicationError
from caseworks.core.text import letter_date_text
from caseworks.eligibility.constants import DecisionOutcome, DecisionStatus
from caseworks.eligibility.models import Decision
from caseworks.eligibility.notice_sections import NoticeSection, NoticeSections

from ..models import PortalAccount
from ._common import ADULT_AGE, _age_on
from .activation import activation_code_issue
from .reports import reporting_members

NOTICE_LANGUAGES = ("en", "fr")


def _section(
    language: str, case_number: str, codes: list[tuple[str, str, dt.date]]
) -> NoticeSection:
    url = settings.SITE_URL.rstrip("/") + reverse("portal:activate")
    with translation.override(language):
        return NoticeSection(
            heading=_("Your online account: My Ontario Works"),
            paragraphs=(
                _(
                    "Online, from a phone or a computer, you can see your payments and "
                    "letters, report your income and changes, send documents and write to "
                    "your worker's team. You do not need an e-mail address."
                ),
                _(
                    "To open your account, go to %(url)s and enter your case number "
                    "%(case_number)s, your date of birth and your activation code:"
                )
                % {"url": url, "case_number": case_number},
            ),
            lines=tuple(
                _("%(name)s: activation code %(code)s") % {"name": name, "code": code}
                for name, code, _expires in codes
            ),
            after=(
                _(
                    "Each code is for the person named and works once, until %(date)s. Keep "
                    "it private. If it does not work, ask your caseworker for a new code."
                )
                % {"date": letter_date_text(min(e for _n, _c, e in codes), language)},
            ),
        )


def activation_notice_sections(*, acting_user: User, decision: Decision) -> NoticeSections:
    """A notice-section provider: for a final grant, a new activation code for each adult of
    the case without an online account, issued by the staff member generating the notice, and
    the section that prints them ({} when there is nothing to print)."""
    if decision.outcome != DecisionOutcome.GRANT or decision.status != DecisionStatus.FINAL:
        return {}
    if not acting_user.has_capability(Capability.CASE_EDIT):
        return {}  # activation_code_issue would refuse; the caseworker gives a code later
    case = decision.benefit_unit
    today = timezone.localdate()
    members = [m.person for m in reporting_members(case) if _age_on(m.person, today) >= ADULT_AGE]
    with_account = set(
        PortalAccount.objects.filter(person__in=members).values_list("person_id", flat=True)
    )
    codes = []
    for person in members:
        if person.pk in with_account:
            continue
        try:
            row, code = activation_code_issue(
                acting_user=acting_user, benefit_unit=case, person=person
            )
        except ApplicationError:
            continue  # the decision stands; the caseworker can give this person a code later
        codes.append((person.full_name, code, timezone.localtime(row.expires_at).date()))
    if not codes:
        return {}
    return {
        language: [_section(language, case.case_number, codes)] for language in NOTICE_LANGUAGES
    }
