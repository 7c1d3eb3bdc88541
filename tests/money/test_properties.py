"""Property tests of the single money path (hypothesis).

* Any sequence of corrections to a paid month leaves the month's ledger at correct − issued.
* For random households, the determination (from the application) and the payment run (from
  the dated versions written at the grant) build the identical rules input for the month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworks.cases.models import BenefitUnit
from caseworks.eligibility.models import Determination
from caseworks.partners.tests.factories import DeliveryPartnerFactory
from caseworks.payments.facts import build_month_facts
from caseworks.payments.models import Payment

from .conftest import Office, make_office
from .test_journeys import Household, Member, _apply, _month_adjustments, _report, _run

pytestmark = pytest.mark.django_db

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
PROPERTY_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
money = st.integers(min_value=0, max_value=150_000).map(lambda c: f"{c // 100}.{c % 100:02d}")
counter = {"n": 0}


def _unique(prefix: str) -> str:
    counter["n"] += 1
    return f"{prefix}{counter['n']}"


@PROPERTY_SETTINGS
@given(
    reports=st.lists(
        st.fixed_dictionaries(
            {"earnings": money},
            optional={"employment_insurance": money, "cpp": money},
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_sequence_of_corrections_leaves_the_month_at_correct_minus_issued(
    db: Any, in_memory_queue: Any, reports: list[dict[str, str]]
) -> None:
    # Runs are one per partner and month: every example has its own partner.
    code = _unique("prop-partner-")
    office = make_office(DeliveryPartnerFactory(code=code, name=code))
    household = Household(
        _unique("prop"),
        "en",
        [Member("Pat", "applicant", "1984-05-05")],
        {"shelter_type": "rent", "shelter_cost": "900.00"},
        incomes=[(0, "earnings", "100.00")],
    )
    granted = _apply(office, household)
    case = BenefitUnit.objects.get(pk=granted["case_id"])
    _run(office, in_memory_queue, JAN)
    _run(office, in_memory_queue, FEB)
    feb = Payment.objects.get(benefit_unit=case, benefit_month=FEB)
    # February was paid on the last known income ($100 of earnings declared): 733 − 100.
    assert (feb.amount_cents, feb.recovery_cents) == (63_300, 0)
    reported: dict[str, str] = {}
    for amounts in reports:
        _report(office, case.pk, granted["people"][0], JAN, amounts)
        reported.update(amounts)  # a report adds or replaces kinds
        assert feb.amount_cents + _month_adjustments(feb) == _due(reported)


def _due(amounts: dict[str, str]) -> int:
    """February, worked independently of the code: a single person paying $900 rent needs
    $343 + $390 = $733 (O. Reg. 134/98 s. 41, 42); in the second month of receipt no earnings
    exemption applies (Directive 5.3) and EI and CPP are deducted dollar for dollar, so income
    counts in full. Income equal to or above the requirements: not eligible, nothing due
    (Act s. 7(3)(b)). Otherwise at least $2.50 (s. 63)."""
    counted = sum(int(Decimal(value) * 100) for value in amounts.values())
    if counted >= 73_300:
        return 0
    return max(73_300 - counted, 250)


roles = st.lists(
    st.tuples(
        st.sampled_from(["spouse", "dependant_child", "dependant_adult"]),
        st.booleans(),
    ),
    max_size=3,
)


@PROPERTY_SETTINGS
@given(
    others=roles,
    rent=st.integers(min_value=0, max_value=200_000),
    earnings=money,
    ei=money,
    diet=st.sampled_from(["0", "25.00", "50.00"]),
    shelter_type=st.sampled_from(["rent", "own", "board_and_lodging", "no_fixed_address"]),
    language=st.sampled_from(["en", "fr"]),
)
def test_determination_and_payment_run_build_the_identical_rules_input(
    office: Office,
    others: list[tuple[str, bool]],
    rent: int,
    earnings: str,
    ei: str,
    diet: str,
    shelter_type: str,
    language: str,
) -> None:
    births = {
        "spouse": "1983-03-03",
        "dependant_child": "2015-04-04",
        "dependant_adult": "2005-05-05",
    }
    members = [Member("Alex", "applicant", "1982-02-02", special_diet=diet)]
    spouse_seen = False
    for index, (role, pregnant) in enumerate(others):
        if role == "spouse":
            if spouse_seen:
                continue
            spouse_seen = True
        members.append(Member(f"M{index}", role, births[role], pregnant=pregnant))
    household = Household(
        _unique("same"),
        language,
        members,
        {"shelter_type": shelter_type, "shelter_cost": f"{rent // 100}.{rent % 100:02d}"}
        if shelter_type != "no_fixed_address"
        else {"shelter_type": shelter_type},
        incomes=[(0, "earnings", earnings), (0, "employment_insurance", ei)],
    )
    try:
        granted = _apply(office, household)
    except AssertionError as error:
        # An ineligible household has no grant: nothing is paid, nothing to compare.
        if "ineligible" in str(error):
            return
        raise
    determination = Determination.objects.get(pk=granted["determination"]["id"])
    facts = build_month_facts([granted["case_id"]], determination.benefit_month)[0]
    assert facts.unit == determination.situation
