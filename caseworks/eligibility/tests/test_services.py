"""Intake to decision, end to end through the services, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from caseworks.accounts.constants import Role
from caseworks.accounts.tests.factories import UserFactory
from caseworks.applications.constants import VerificationStatus
from caseworks.applications.services import (
    ApplicationFacts,
    AssetFacts,
    IncomeFacts,
    application_start,
    application_update,
    verification_update,
)
from caseworks.cases.constants import CaseStatus
from caseworks.clients.tests.factories import PersonFactory
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.eligibility import notice_sections
from caseworks.eligibility.constants import DecisionStatus, DeterminationResult
from caseworks.eligibility.letters import render_notice_of_decision
from caseworks.eligibility.models import Decision, Determination
from caseworks.eligibility.services import (
    decision_make,
    decision_override_review,
    determination_run,
)

pytestmark = pytest.mark.django_db

JAN_2026 = dt.date(2026, 1, 15)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def complete_application(caseworker: Any, person: Any, *, earnings_cents: int = 30_000) -> Any:
    application = application_start(acting_user=caseworker, applicant=person, applied_on=JAN_2026)
    application = application_update(
        acting_user=caseworker,
        application=application,
        facts=ApplicationFacts(
            shelter_type="rent",
            shelter_cost_cents=80_000,
            consent_to_verification=True,
            incomes=[
                IncomeFacts(
                    person_id=person.pk, income_type="earnings", monthly_amount_cents=earnings_cents
                )
            ],
            assets=[AssetFacts(asset_type="bank_account", value_cents=50_000)],
        ),
    )
    for item in application.verifications.all():
        verification_update(
            acting_user=caseworker, item=item, status="waived", waived_reason="Seen in person"
        )
    return application


def test_determination_run_is_insufficient_information_naming_what_is_missing(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, first_name="Marie")
    application = application_start(acting_user=caseworker, applicant=person, applied_on=JAN_2026)
    determination = determination_run(acting_user=caseworker, application=application)
    assert determination.result == DeterminationResult.INSUFFICIENT_INFORMATION
    missing = " ".join(determination.missing_information)
    assert "housing" in missing
    assert "consent" in missing
    assert "Proof of identity — Marie" in missing
    assert determination.payment_cents == 0


def test_determination_run_stores_snapshot_in_integer_cents(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner, first_name="Marie")
    application = complete_application(caseworker, person)
    determination = determination_run(acting_user=caseworker, application=application)
    assert determination.result == DeterminationResult.ELIGIBLE
    assert determination.benefit_month == dt.date(2026, 1, 1)
    # At application no earnings exemption applies (Directive 5.3): 733.00 - 300.00 = 433.00
    assert determination.budgetary_requirements_cents == 73_300
    assert determination.chargeable_income_cents == 30_000
    assert determination.payment_cents == 43_300
    assert isinstance(determination.payment_cents, int)
    assert determination.situation["members"][0]["net_earnings"] == "300.00"
    assert determination.explanation[0]["item"] == "basic_needs"
    assert determination.rules_version
    assert AuditEvent.objects.filter(event_type="determination_run").count() == 1


def test_decision_grant_activates_case_and_stores_notices_in_both_languages(
    partner: Any, caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner, first_name="Marie", language_preference="fr")
    application = complete_application(caseworker, person)
    determination = determination_run(acting_user=caseworker, application=application)
    decision = decision_make(
        acting_user=caseworker, determination=determination, outcome="grant", effective_on=JAN_2026
    )
    assert decision.status == DecisionStatus.FINAL
    application.benefit_unit.refresh_from_db()
    assert application.benefit_unit.status == CaseStatus.ACTIVE
    assert decision.notice_en is not None
    assert decision.notice_fr is not None

    english = pdf_text(bytes(decision.notice_en.content))
    assert "Notice of decision" in english
    assert "$433.00" in english
    assert "O. Reg. 134/98, s. 41(1)" in english
    assert "within 30 days" in english
    assert "internal review" in english

    french = pdf_text(bytes(decision.notice_fr.content))
    assert "Avis de décision" in french
    assert "433,00" in french
    assert "Règl. de l'Ont. 134/98, art. 41(1)" in french
    assert "dans les 30 jours" in french
    assert "révision interne" in french
    assert "Notice of decision" not in french


def test_notice_regenerates_identically_from_the_stored_determination(
    partner: Any, caseworker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the sections other apps add: the portal's activation code is new in each letter
    # (caseworks/portal/tests/test_notice_codes.py checks it, and that a replay keeps it).
    monkeypatch.setattr(notice_sections, "NOTICE_SECTION_PROVIDERS", [])
    person = PersonFactory(delivery_partner=partner)
    application = complete_application(caseworker, person)
    determination = determination_run(acting_user=caseworker, application=application)
    decision = decision_make(acting_user=caseworker, determination=determination, outcome="grant")
    stored = bytes(decision.notice_en.content)
    # Change the application afterwards: the letter still comes from the stored snapshot.
    Determination.objects.filter(pk=determination.pk).update(
        rules_version=determination.rules_version
    )
    assert render_notice_of_decision(Decision.objects.get(pk=decision.pk), "en") == stored


def test_decision_override_waits_for_another_supervisor(
    partner: Any, caseworker: Any, users: dict[str, Any]
) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = complete_application(caseworker, person, earnings_cents=200_000)
    determination = determination_run(acting_user=caseworker, application=application)
    assert determination.result == DeterminationResult.INELIGIBLE
    with pytest.raises(ApplicationError) as err:
        decision_make(acting_user=caseworker, determination=determination, outcome="grant")
    assert err.value.field == "override_reason"
    decision = decision_make(
        acting_user=caseworker,
        determination=determination,
        outcome="grant",
        override_reason="Earnings ended last week; pay stub shows final pay",
    )
    assert decision.status == DecisionStatus.AWAITING_APPROVAL
    application.benefit_unit.refresh_from_db()
    assert application.benefit_unit.status == CaseStatus.PENDING
    with pytest.raises(PermissionDeniedError):
        decision_override_review(acting_user=caseworker, decision=decision, approve=True)
    decision = decision_override_review(
        acting_user=users[Role.SUPERVISOR], decision=decision, approve=True
    )
    assert decision.status == DecisionStatus.FINAL
    application.benefit_unit.refresh_from_db()
    assert application.benefit_unit.status == CaseStatus.ACTIVE


def test_decision_deny_lists_rule_reasons_with_citations(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = complete_application(caseworker, person, earnings_cents=200_000)
    determination = determination_run(acting_user=caseworker, application=application)
    decision = decision_make(acting_user=caseworker, determination=determination, outcome="deny")
    assert decision.status == DecisionStatus.FINAL
    assert decision.reasons[0]["code"] == "income_exceeds_budgetary_requirements"
    text = pdf_text(bytes(decision.notice_en.content))
    assert "denied" in text
    assert "Your income is more than" in text
    assert "Ontario Works Act, 1997, s. 7(3)" in text


def test_decision_make_refuses_stale_determination(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = complete_application(caseworker, person)
    first = determination_run(acting_user=caseworker, application=application)
    determination_run(acting_user=caseworker, application=application)
    with pytest.raises(ApplicationError) as err:
        decision_make(acting_user=caseworker, determination=first, outcome="grant")
    assert err.value.field == "determination"
    assert not Decision.objects.exists()


def test_other_partner_cannot_run_determination(
    partner: Any, caseworker: Any, other_caseworker: Any
) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = complete_application(caseworker, person)
    with pytest.raises(ApplicationError):
        determination_run(acting_user=other_caseworker, application=application)
    assert not Determination.objects.exists()


def test_verification_waiver_without_reason_is_refused(partner: Any, caseworker: Any) -> None:
    person = PersonFactory(delivery_partner=partner)
    application = application_start(acting_user=caseworker, applicant=person)
    item = application.verifications.first()
    with pytest.raises(ApplicationError) as err:
        verification_update(acting_user=caseworker, item=item, status="waived")
    assert err.value.field == "waived_reason"
    item.refresh_from_db()
    assert item.status == VerificationStatus.PENDING


def test_intake_clerk_cannot_decide(partner: Any, caseworker: Any) -> None:
    clerk = UserFactory(role=Role.INTAKE_CLERK, delivery_partner=partner)
    person = PersonFactory(delivery_partner=partner)
    application = complete_application(caseworker, person)
    determination = determination_run(acting_user=caseworker, application=application)
    with pytest.raises(PermissionDeniedError):
        decision_make(acting_user=clerk, determination=determination, outcome="grant")
    assert timezone.now()
