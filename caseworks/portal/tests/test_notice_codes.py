"""The activation code printed on the notice of decision of a granted case (issue 17): the
portal's section of the letter (caseworks.eligibility.notice_sections), in English and French."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.constants import AuditEventType
from caseworks.core.models import AuditEvent
from caseworks.documents.models import Document
from caseworks.eligibility.services import decision_make, determination_run, notices_generate
from caseworks.eligibility.tests.test_services import JAN_2026, complete_application, pdf_text
from caseworks.portal.models import ActivationCode
from caseworks.portal.services import portal_account_activate

from .conftest import PASSWORD, World
from .test_portal_matrix import _decision

pytestmark = pytest.mark.django_db

BORN = dt.date(1990, 5, 17)
CODE = r"([0-9A-Z]{5}-[0-9A-Z]{5})"


def _granted(caseworker: Any, person: Any) -> Any:
    application = complete_application(caseworker, person)
    determination = determination_run(acting_user=caseworker, application=application)
    return decision_make(
        acting_user=caseworker, determination=determination, outcome="grant", effective_on=JAN_2026
    )


def test_a_granted_notice_prints_a_code_that_opens_the_applicants_account_in_both_languages(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(
        delivery_partner=partner, first_name="Marie", last_name="Tremblay", date_of_birth=BORN
    )
    decision = _granted(caseworker, person)
    case_number = decision.benefit_unit.case_number
    # One space for each run of white space: the PDF wraps the lines where it likes.
    english = " ".join(pdf_text(bytes(decision.notice_en.content)).split())
    french = " ".join(pdf_text(bytes(decision.notice_fr.content)).split())

    found = re.search(r"Marie Tremblay: activation code " + CODE, english)
    assert found, english
    code = found.group(1)
    assert "Your online account: My Ontario Works" in english
    assert "/my/activate/" in english
    assert f"case number {case_number}" in english
    assert re.search(r"Marie Tremblay : code d.activation " + re.escape(code), french), french
    assert "Votre compte en ligne : Mon Ontario au travail" in french
    assert "/my/activate/" in french
    assert f"numéro de dossier {case_number}" in french
    assert "Your online account" not in french

    # Only the hash is kept; the code was issued by the staff member generating the notice.
    row = ActivationCode.objects.get(person=person)
    assert row.issued_by == caseworker
    assert code.replace("-", "") not in row.code_hash
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.PORTAL_ACTIVATION_CODE_ISSUED, person_id=person.pk
        ).count()
        == 1
    )

    # Generating the same notice again: no second code, no new letter, the stored PDF unchanged.
    stored = bytes(decision.notice_en.content)
    documents = Document.objects.count()
    notices_generate(acting_user=caseworker, decision=decision)
    decision.refresh_from_db()
    assert ActivationCode.objects.filter(person=person).count() == 1
    assert Document.objects.count() == documents
    assert bytes(decision.notice_en.content) == stored

    # The printed code, the date of birth and the case number open the client's account.
    account = portal_account_activate(
        code=code,
        date_of_birth=BORN,
        case_number=case_number,
        username="marie.tremblay",
        password=PASSWORD,
    )
    assert (account.person, account.benefit_unit) == (person, decision.benefit_unit)


def test_a_denied_notice_prints_no_code(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner, date_of_birth=BORN)
    application = complete_application(caseworker, person, earnings_cents=200_000)
    determination = determination_run(acting_user=caseworker, application=application)
    decision = decision_make(
        acting_user=caseworker, determination=determination, outcome="deny", effective_on=JAN_2026
    )
    english = pdf_text(bytes(decision.notice_en.content))
    assert "denied" in english
    assert "activation" not in english
    assert not ActivationCode.objects.filter(person=person).exists()


def test_only_the_adults_without_an_account_get_a_code(world: World) -> None:
    """The applicant has an account already; the spouse gets the only code, by name."""
    caseworker = world.staff["caseworker"]
    decision = _decision(world, world.case)
    notices_generate(acting_user=caseworker, decision=decision)
    decision.refresh_from_db()
    english = " ".join(pdf_text(bytes(decision.notice_en.content)).split())
    assert re.search(r"Omar Haddad: activation code " + CODE, english), english
    assert "Amira Haddad: activation code" not in english
    assert list(ActivationCode.objects.filter(used_at=None).values_list("person", flat=True)) == [
        world.spouse.pk
    ]
