"""Money journeys of the recurring benefits of issue 16, from the dated circumstance to the
payment: a residence in a municipal emergency hostel (basic needs, no shelter), in a long-term
care home (the $149 personal-needs allowance instead of basic needs and shelter) and a child
for whom the family receives no Ontario or Canada Child Benefit (Transition Child Benefit,
$230). Each household is granted through the API, the circumstance is recorded on the case's
money page (the staff form), the month is run, and: run line = stored determination = payment
= CPA-005 credit, the line is on the determination page and on the client's monthly statement
in English and in French, with its citation.

The amounts expected are the law's ($343 basic needs for a single person, $390 maximum shelter
for one person, $149 personal needs, $230 Transition Child Benefit; O. Reg. 134/98 s. 41-43,
Directive 7.6), written here, not computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseworks.calculation.explanations import explanation_lines
from caseworks.cases.models import BenefitUnit
from caseworks.eligibility.models import Determination
from caseworks.payments.models import (
    CircumstancesChange,
    MemberCircumstancesChange,
    PaymentRunLine,
)
from caseworks.payments.services import bank_account_record

from .conftest import Office
from .test_journeys import JAN, Household, Member, _apply, _check_month, _run

pytestmark = pytest.mark.django_db


def _granted(office: Office, household: Household) -> tuple[BenefitUnit, dict[str, Any]]:
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    bank_account_record(
        acting_user=office.caseworker,
        benefit_unit=case,
        holder_name=f"{household.members[0].first_name} Journey",
        institution="004",
        transit="12345",
        account="1234567",
        start_on=dt.date(2026, 1, 5),
    )
    return case, granted


def _post(office: Office, url_name: str, case: BenefitUnit, data: dict[str, Any]) -> None:
    web = Client()
    web.force_login(office.caseworker)
    case.refresh_from_db()
    response = web.post(
        reverse(url_name, args=[case.pk]),
        {**data, "idempotency_key": uuid.uuid4().hex},
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def _page(office: Office, determination: Determination, language: str) -> str:
    web = Client(HTTP_ACCEPT_LANGUAGE=language)
    web.force_login(office.caseworker)
    url = reverse("eligibility:determination", args=[determination.pk])
    response = web.get(url)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'").replace("&nbsp;", " ")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _january(office: Office, queue: Any, case: BenefitUnit, household: Household) -> Any:
    run = _run(office, queue, JAN)
    payment = _check_month(office, run, case, JAN, household)
    line = PaymentRunLine.objects.get(run_id=run["id"], benefit_unit=case)
    determination = Determination.objects.get(pk=line.determination_id)
    assert determination is not None
    assert determination.payment_cents == payment.amount_cents
    return payment, determination


@pytest.mark.parametrize("language", ["en", "fr"])
def test_emergency_hostel_pays_basic_needs_without_shelter(
    office: Office, in_memory_queue: Any, language: str
) -> None:
    household = Household(
        f"hostel-{language}",
        language,
        [Member("Hana", "applicant", "1990-03-03")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
    )
    case, granted = _granted(office, household)
    assert granted["determination"]["payment_cents"] == 34_300 + 39_000  # at the grant: rents
    _post(
        office,
        "payments:circumstances",
        case,
        {
            "effective_month": "2026-01",
            "shelter_type": "no_fixed_address",
            "residence": "emergency_hostel",
            "reason": "Lost the apartment; staying at the city shelter",
            "expected_version": case.version,
        },
    )
    assert CircumstancesChange.objects.filter(benefit_unit=case).latest("id").residence == (
        "emergency_hostel"
    )
    payment, determination = _january(office, in_memory_queue, case, household)
    assert payment.amount_cents == 34_300  # basic needs, no shelter amount
    assert determination.situation["residence"] == "emergency_hostel"
    shelter = next(e for e in determination.explanation if e["item"] == "shelter_allowance")
    assert shelter["amount"] == "0.00"
    assert "Directive 6.16" in shelter["citation"]
    english = _page(office, determination, "en")
    assert "Living in a municipal emergency hostel: basic needs only, no shelter amount" in english
    french = _page(office, determination, "fr")
    assert "Hébergement dans un refuge d'urgence municipal : besoins essentiels seulement" in french
    assert "Directive 6.16 du programme Ontario au travail – Foyers et refuges d'urgence" in french
    assert "343,00 $" in french


@pytest.mark.parametrize("language", ["en", "fr"])
def test_long_term_care_pays_the_personal_needs_allowance_instead(
    office: Office, in_memory_queue: Any, language: str
) -> None:
    household = Household(
        f"ltc-{language}",
        language,
        [Member("Lucie", "applicant", "1980-06-06")],
        {"shelter_type": "rent", "shelter_cost": "800.00"},
    )
    case, _ = _granted(office, household)
    _post(
        office,
        "payments:circumstances",
        case,
        {
            "effective_month": "2026-01",
            "shelter_type": "no_fixed_address",
            "residence": "long_term_care",
            "reason": "Admitted to a long-term care home; apartment given up",
            "expected_version": case.version,
        },
    )
    payment, determination = _january(office, in_memory_queue, case, household)
    assert payment.amount_cents == 14_900
    assert determination.budgetary_requirements_cents == 14_900
    assert determination.outputs["personal_needs_allowance"] == "149.00"
    items = [e["item"] for e in determination.explanation]
    assert "basic_needs" not in items
    assert "shelter_allowance" not in items
    english = _page(office, determination, "en")
    assert (
        "Personal-needs allowance of $149.00 for each of the 1 member(s) living in a long-term "
        "care home, instead of basic needs and shelter (October 2018 rates)."
    ) in english
    assert "OW Policy Directive 6.7 Persons in long-term care homes (October 2018)" in english
    french = _page(office, determination, "fr")
    assert (
        "Allocation pour besoins personnels de 149,00 $ pour chacun des 1 membre(s) vivant "
        "dans un foyer de soins de longue durée"
    ) in french
    assert "Personnes dans des foyers de soins de longue durée (octobre 2018)" in french


@pytest.mark.parametrize("language", ["en", "fr"])
def test_transition_child_benefit_is_added_to_the_payment(
    office: Office, in_memory_queue: Any, language: str
) -> None:
    household = Household(
        f"tcb-{language}",
        language,
        [
            Member("Nadia", "applicant", "1994-02-02"),
            Member("Sami", "dependant_child", "2025-09-01"),
        ],
        {"shelter_type": "rent", "shelter_cost": "900.00"},
    )
    case, granted = _granted(office, household)
    before = granted["determination"]["payment_cents"]
    child = granted["people"][1]
    _post(
        office,
        "payments:member_circumstances",
        case,
        {
            "member-person": child,
            "member-effective_month": "2026-01",
            "member-no_child_benefits": "on",
            "member-reason": "Newborn: no Canada or Ontario Child Benefit yet",
            "member-expected_version": case.version,
        },
    )
    latest = MemberCircumstancesChange.objects.filter(benefit_unit=case, person_id=child)
    assert latest.latest("id").no_child_benefits
    payment, determination = _january(office, in_memory_queue, case, household)
    assert payment.amount_cents == before + 23_000
    assert determination.outputs["transition_child_benefit"] == "230.00"
    assert determination.entitlement_cents == before  # not a budgetary requirement
    line = next(e for e in determination.explanation if e["item"] == "transition_child_benefit")
    assert line["figures"]["member"] == "Sami"
    english = _page(office, determination, "en")
    assert "Transition Child Benefit for Sami: no Ontario Child Benefit or Canada Child" in english
    assert "the ODSP directive states $207" in english
    french = _page(office, determination, "fr")
    assert "Prestation transitoire pour enfants pour Sami" in french
    assert "230,00 $" in french
    lines = explanation_lines(determination.explanation, "fr")
    tcb = next(x for x in lines if x.item == "transition_child_benefit")
    assert tcb.amount_cents == 23_000
    assert tcb.citation == (
        "Directive 7.6 du programme Ontario au travail – Prestation transitoire pour enfants "
        "(mars 2017)"
    )


def test_transition_child_benefit_refused_for_an_adult_names_the_field(office: Office) -> None:
    from caseworks.core.errors import ApplicationError  # noqa: PLC0415
    from caseworks.payments.circumstances import member_circumstances_change_record  # noqa: PLC0415

    household = Household(
        "tcb-adult",
        "en",
        [Member("Omar", "applicant", "1980-01-01")],
        {"shelter_type": "rent", "shelter_cost": "700.00"},
    )
    case, _ = _granted(office, household)
    with pytest.raises(ApplicationError) as caught:
        member_circumstances_change_record(
            acting_user=office.caseworker,
            benefit_unit=case,
            person=case.members.get().person,
            effective_month=JAN,
            full_time_student=False,
            pregnant_or_breastfeeding=False,
            special_diet_cents=0,
            child_care_costs_cents=0,
            no_child_benefits=True,
            reason="Wrong member",
        )
    assert caught.value.field == "no_child_benefits"
    assert not MemberCircumstancesChange.objects.filter(
        benefit_unit=case, no_child_benefits=True
    ).exists()
