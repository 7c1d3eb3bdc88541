"""Golden test: a fixed synthetic caseload gives exactly the expected CPA-005 file and totals.

The expected bytes are checked in (cpa005_2026-01.golden). To regenerate after a deliberate
change of the file layout, run with UPDATE_GOLDEN=1 and review the diff by hand.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from caseworks.payments.constants import PaymentMethod
from caseworks.payments.cpa005 import RECORD_LENGTH, Originator
from caseworks.payments.models import Payment
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import cheque_list_csv, payment_file_build
from caseworks.payments.tests.builders import active_case, payment_staff

GOLDEN = Path(__file__).with_name("cpa005_2026-01.golden")
GOLDEN_CHEQUES = Path(__file__).with_name("cheques_2026-01.golden.csv")
MONTH = dt.date(2026, 1, 1)
ORIGINATOR = Originator(
    originator_id="0123456789",
    short_name="OW TEST",
    long_name="ONTARIO WORKS TEST PARTNER",
    destination_data_centre="00310",
    return_institution="001",
    return_transit="00011",
    return_account="1234567",
)
# (first name, last name, rent in cents, children, bank details or None for a cheque)
CASELOAD = [
    ("Amélie", "Côté", 80_000, 0, ("001", "00011", "1000001")),
    ("Brandon", "Smith", 35_000, 0, ("004", "12345", "123456789012")),
    ("Chloé", "Gagnon", 120_000, 2, ("006", "54321", "7654321")),
    ("Daniel", "Nguyen", 50_000, 1, None),
    ("Émile", "Tremblay", 0, 0, ("010", "00123", "55555555")),
    ("Fatima", "Ali", 95_000, 3, None),
    ("Gurpreet", "Singh", 70_000, 0, ("002", "99999", "1234567890")),
    ("Hassan", "Abdi", 60_000, 0, ("003", "10001", "9999999")),
]


@pytest.fixture
def released_run(partner: Any) -> Any:
    staff = payment_staff(partner)
    for first, last, rent, children, bank in CASELOAD:
        active_case(
            partner=partner,
            actor=staff["caseworker"],
            first_name=first,
            last_name=last,
            rent_cents=rent,
            shelter_type="rent" if rent else "no_fixed_address",
            children=children,
            bank=bank,
        )
    run = payment_run_prepare(
        acting_user=staff["caseworker"], delivery_partner=partner, benefit_month=MONTH
    )
    run = payment_run_dry_run(acting_user=staff["caseworker"], run=run)
    run = payment_run_approve(acting_user=staff["supervisor"], run=run)
    return payment_run_release(acting_user=staff["supervisor"], run=run)


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_payment_file_build_matches_golden_file_when_caseload_fixed(released_run: Any) -> None:
    data, total, count = payment_file_build(
        run=released_run,
        originator=ORIGINATOR,
        creation_date=dt.date(2025, 12, 22),
        funds_date=dt.date(2025, 12, 29),
    )
    cheques = cheque_list_csv(run=released_run).encode()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_bytes(data)
        GOLDEN_CHEQUES.write_bytes(cheques)
    assert data == GOLDEN.read_bytes()
    assert cheques == GOLDEN_CHEQUES.read_bytes()
    # Totals in integer cents, the same from the file, the payments and the dry run.
    eft = Payment.objects.filter(run=released_run, method=PaymentMethod.EFT)
    assert count == eft.count() == released_run.eft_count == 6
    assert total == sum(p.amount_cents for p in eft) == released_run.eft_total_cents
    assert released_run.released_total_cents == released_run.total_cents
    assert released_run.cheque_count == 2
    assert total == 429_200  # $4,292.00 by direct deposit
    assert released_run.total_cents == 626_800  # + two cheques, $860.00 and $1,116.00


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_payment_file_build_has_valid_records_when_released(released_run: Any) -> None:
    data, total, count = payment_file_build(
        run=released_run,
        originator=ORIGINATOR,
        creation_date=dt.date(2025, 12, 22),
        funds_date=dt.date(2025, 12, 29),
    )
    records = data.split(b"\r\n")[:-1]
    assert all(len(r) == RECORD_LENGTH for r in records)
    assert [r[:1] for r in records] == [b"A", b"C", b"Z"]  # 6 credits fill one C record
    for number, record in enumerate(records, start=1):
        assert int(record[1:10]) == number  # logical record count
        assert record[10:20] == b"0123456789"
    header = records[0]
    assert header[24:30] == b"025356"  # 2025-12-22 as 0YYDDD
    assert header[55:58] == b"CAD"
    first = records[1][24 : 24 + 240]
    assert first[:3] == b"603"  # Income Security Benefits
    assert first[19:28] == b"000100011"  # 0 + institution 001 + transit 00011
    trailer = records[-1]
    assert int(trailer[24:38]) == 0  # no debits
    assert int(trailer[38:46]) == 0
    assert int(trailer[46:60]) == total
    assert int(trailer[60:68]) == count
    segments = [r[24 + i * 240 : 24 + (i + 1) * 240] for r in records[1:-1] for i in range(6)]
    used = [s for s in segments if s.strip()]
    assert sum(int(s[3:13]) for s in used) == total
