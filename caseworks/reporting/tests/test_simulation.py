"""Policy simulation: equal to ow-calc per case, worked reform arithmetic, nothing live changes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openfisca_ontario_works.simulation import (
    calculate_batch_with_parameters,
    parse_units,
    payments_with_parameters,
)

from caseworks.accounts.constants import Role
from caseworks.cases.models import BenefitUnit
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.models import AuditEvent
from caseworks.eligibility.models import Determination
from caseworks.reporting.models import PolicySimulation
from caseworks.reporting.services import policy_simulation_run, simulate_situations

from .dataset import D, make_case

OW_CALC = Path(sys.executable).with_name("ow-calc")
FLAT = "ontario_works.earnings.flat_exemption"


def single(earnings: str, *, months: int = 4, rent: str = "800.00") -> dict[str, Any]:
    return {
        "benefit_month": "2026-11",
        "months_in_receipt": months,
        "members": [{"id": "a", "role": "applicant", "age": 35, "net_earnings": earnings}],
        "shelter": {"type": "rent", "cost": rent},
    }


SAMPLE = [
    single("0.00"),
    single("600.00"),
    single("150.00"),
    single("1200.00", months=1),
    single("600.00", rent="300.00"),
    {
        "benefit_month": "2026-11",
        "months_in_receipt": 12,
        "members": [
            {"id": "a", "role": "applicant", "age": 30, "net_earnings": "900.00"},
            {"id": "s", "role": "spouse", "age": 31},
            {"id": "c", "role": "dependant", "age": 4},
        ],
        "shelter": {"type": "rent", "cost": "1200.00", "heat": "80.00"},
        "assets": [{"type": "bank_account", "value": "2000.00"}],
    },
]


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def test_payments_with_parameters_equal_ow_calc_when_law_unchanged() -> None:
    text = "".join(json.dumps(unit) + "\n" for unit in SAMPLE)
    done = subprocess.run(
        [str(OW_CALC), "--batch"], input=text, capture_output=True, text=True, check=True
    )
    cli = [json.loads(line) for line in done.stdout.splitlines()]
    payments, eligible = payments_with_parameters(parse_units(SAMPLE), {})
    assert payments == [_cents(out["payment"]) for out in cli]
    assert eligible == [out["eligible"] for out in cli]
    # An override equal to the law changes nothing either.
    same = calculate_batch_with_parameters(SAMPLE, {FLAT: Decimal("200")})
    assert [out["payment"] for out in same] == [out["payment"] for out in cli]


def test_payments_with_parameters_raise_exemption_when_flat_amount_doubled() -> None:
    # Single, $600 earnings, 4 months on assistance: exempt $200 + 50% of $400 = $400,
    # chargeable $200. With a $400 flat exemption: $400 + 50% of $200 = $500 exempt,
    # chargeable $100: the payment rises by exactly $100.00.
    units = parse_units([single("600.00")])
    (before,), _ = payments_with_parameters(units, {})
    (after,), _ = payments_with_parameters(units, {FLAT: Decimal("400")})
    assert after - before == 10000
    # No earnings: no change. In the first 3 months exemptions do not apply: no change.
    units = parse_units([single("0.00"), single("600.00", months=2)])
    assert (
        payments_with_parameters(units, {FLAT: Decimal("400")})[0]
        == (payments_with_parameters(units, {})[0])
    )


def test_simulate_situations_same_summary_when_split_over_workers() -> None:
    situations = SAMPLE * 4000  # 24,000: above the threshold for worker processes
    one, count_one, _ = simulate_situations(
        situations, {FLAT: Decimal("400")}, benefit_month=D(2026, 11, 1), workers=1
    )
    two, count_two, _ = simulate_situations(
        situations, {FLAT: Decimal("400")}, benefit_month=D(2026, 11, 1), workers=2
    )
    assert one == two
    assert count_one == count_two == 24000


@pytest.mark.django_db
def test_policy_simulation_run_summarises_when_caseload_has_determinations(
    users: dict[str, Any], partner: Any, caseworker: Any
) -> None:
    analyst = users["provincial_ministry_analyst"]
    # 12 active single cases: 10 with $600 of earnings, 2 without; one older determination
    # of the first case (superseded) must not be counted.
    for index in range(12):
        unit = make_case(
            partner, caseworker, status="active", opened_on=D(2026, 1, 1), granted_on=D(2026, 1, 5)
        )
        situation = single("600.00" if index < 10 else "0.00")
        Determination.objects.create(
            benefit_unit=unit,
            benefit_month=D(2026, 10, 1),
            result="eligible",
            situation=situation,
            rules_version="t",
            determined_by=caseworker,
        )
        if index == 0:
            Determination.objects.create(
                benefit_unit=unit,
                benefit_month=D(2026, 9, 1),
                result="eligible",
                situation=single("0.00"),
                rules_version="t",
                determined_by=caseworker,
            )
    before = list(BenefitUnit.objects.values_list("pk", "status", "version"))
    run = policy_simulation_run(
        acting_user=analyst, overrides={FLAT: Decimal("400")}, benefit_month=dt.date(2026, 11, 1)
    )
    # 10 cases gain $100.00 each: $1,000.00 a month, $12,000.00 a year.
    assert run.case_count == 12
    assert run.summary["gaining"] == 10
    assert run.summary["losing"] == 0
    assert run.summary["monthly_change_cents"] == 100000
    assert run.summary["annual_change_cents"] == 1200000
    assert run.summary["by_family"]["single"]["cases"] == 12
    assert run.summary["bands"]["gain_up_to_100"] == 10
    assert list(BenefitUnit.objects.values_list("pk", "status", "version")) == before
    assert Determination.objects.count() == 13
    assert AuditEvent.objects.filter(event_type="policy_simulation_run").count() == 1


@pytest.mark.django_db
def test_policy_simulation_run_refuses_when_not_analyst_or_bad_parameter(
    users: dict[str, Any],
) -> None:
    with pytest.raises(PermissionDeniedError):
        policy_simulation_run(
            acting_user=users[Role.PARTNER_ADMIN],
            overrides={FLAT: Decimal(1)},
            benefit_month=D(2026, 11, 1),
        )
    with pytest.raises(ApplicationError):
        policy_simulation_run(
            acting_user=users["provincial_ministry_analyst"],
            overrides={"ontario_works.nothing": Decimal(1)},
            benefit_month=D(2026, 11, 1),
        )
    assert not PolicySimulation.objects.exists()


@pytest.mark.django_db
def test_simulation_page_runs_for_analyst_and_refuses_partner_admin(users: dict[str, Any]) -> None:
    analyst = Client()
    analyst.force_login(users["provincial_ministry_analyst"])
    response = analyst.post(reverse("reporting:simulation"), {"flat_exemption": "300"})
    assert response.status_code == 302
    page = analyst.get(response["Location"])
    assert page.status_code == 200
    assert 'role="img"' in page.content.decode()
    admin = Client()
    admin.force_login(users[Role.PARTNER_ADMIN])
    assert admin.get(reverse("reporting:simulation")).status_code == 403
    assert analyst.post(reverse("reporting:simulation"), {}).status_code == 422
