"""Golden test: a fixed synthetic caseload gives exactly the CPA-005 file the published layout
describes, byte for byte.

The expected file is NOT produced by the code under test (nor re-blessed from it): it is
built here, field by field, from tables written from the published layouts:

* Payments Canada (formerly CPA) Standard 005, "Standards for the Exchange of Financial Data
  on AFT Files": logical records of 1464 bytes, header A / credit C (six 240-byte segments) /
  trailer Z; and
* the field positions, lengths and types as a bank implementation guide publishes them:
  Treasury Software, "CPA 005 1464-Byte Description of EFT Record Formats" (tables "HEADER
  RECORD", "BASIC PAYMENT RECORD" segment one, trailer), cross-checked with RBC "ACH Direct
  Deposits (PDS) Service, CPA-005 Credit File Format Specifications" (version 9, 2013) and
  Infor "CPA EFT Output Format" (header and detail record tables).

Type N: right-justified, zero-filled; type AN: left-justified, blank-filled, upper case.
Positions are 1-based as in the spec; each table must cover its record without gap or overlap.

The payee amounts are the rules engine's result for this caseload (checked against the run's
totals below); the payee names are the caseload's, as a bank file carries them (upper-case
ASCII, accents dropped).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from caseworks.payments.constants import PaymentMethod
from caseworks.payments.cpa005 import Originator
from caseworks.payments.models import Payment, PaymentFile
from caseworks.payments.runs import (
    payment_run_approve,
    payment_run_dry_run,
    payment_run_prepare,
    payment_run_release,
)
from caseworks.payments.services import cheque_list_csv, payment_file_build
from caseworks.payments.tests.builders import active_case, payment_staff

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
CREATED = "025356"  # 2025-12-22: 0YYDDD, day 356
FUNDS = "025363"  # 2025-12-29: day 363
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
# The direct deposits: (payment id, amount in cents, payee name, institution, transit, account).
CREDITS = [
    (1, 73_300, "AMELIE COTE", "001", "00011", "1000001"),
    (2, 69_300, "BRANDON SMITH", "004", "12345", "123456789012"),
    (3, 105_700, "CHLOE GAGNON", "006", "54321", "7654321"),
    (5, 34_300, "EMILE TREMBLAY", "010", "00123", "55555555"),
    (7, 73_300, "GURPREET SINGH", "002", "99999", "1234567890"),
    (8, 73_300, "HASSAN ABDI", "003", "10001", "9999999"),
]


def field_text(name: str, length: int, kind: str, value: str | int) -> str:
    text = str(value)
    assert len(text) <= length, (name, text)
    if kind == "N":
        assert text.isdigit(), (name, text)
        return text.rjust(length, "0")
    return text.ljust(length, " ")


def record_from_table(table: list[tuple[str, int, int, str, str | int]]) -> str:
    """(field, start, length, type, value) rows from the spec → one 1464-byte record."""
    out = ""
    for name, start, length, kind, value in table:
        assert start == len(out) + 1, (
            f"{name} starts at {start}, the previous field ends at {len(out)}"
        )
        out += field_text(name, length, kind, value)
    assert len(out) == 1464
    return out


def common(kind: str, count: int, number: int) -> list[tuple[str, int, int, str, str | int]]:
    return [
        ("Logical Record Type ID", 1, 1, "AN", kind),
        ("Logical Record Count", 2, 9, "N", count),
        ("Originator's ID (client number)", 11, 10, "AN", "0123456789"),
        ("File Creation Number", 21, 4, "N", number),
    ]


def header(number: int) -> str:
    return record_from_table(
        [
            *common("A", 1, number),
            ("Creation Date 0YYDDD", 25, 6, "N", CREATED),
            ("Destination Data Centre", 31, 5, "N", "00310"),
            ("Reserved Customer-Direct Clearer Communication Area", 36, 20, "AN", ""),
            ("Currency Code Identifier", 56, 3, "AN", "CAD"),
            ("Filler", 59, 1406, "AN", ""),
        ]
    )


def segment(start: int, credit: tuple[int, int, str, str, str, str]) -> list[Any]:
    payment_id, cents, name, institution, transit, account = credit
    s = start - 25  # the spec's table is for segment one (positions 25–264)
    return [
        ("Transaction Code (603 Income Security Benefits, Standard 007)", 25 + s, 3, "N", "603"),
        ("Amount (cents)", 28 + s, 10, "N", cents),
        ("Date Funds to be Available 0YYDDD", 38 + s, 6, "N", FUNDS),
        ("Institution ID 0IIITTTTT", 44 + s, 9, "N", "0" + institution + transit),
        ("Payee Account Number", 53 + s, 12, "AN", account),
        ("Item Trace Number (reserved, zero fill)", 65 + s, 22, "N", 0),
        ("Stored Transaction Type (reserved, zero fill)", 87 + s, 3, "N", 0),
        ("Originator's Short Name", 90 + s, 15, "AN", "OW TEST"),
        ("Payee Name", 105 + s, 30, "AN", name),
        ("Originator's Long Name", 135 + s, 30, "AN", "ONTARIO WORKS TEST PARTNER"),
        ("Originating Direct Clearer's User's ID (client number)", 165 + s, 10, "AN", "0123456789"),
        ("Originator's Cross Reference Number", 175 + s, 19, "AN", f"OW{payment_id:017d}"),
        ("Institution ID for Returns 0IIITTTTT", 194 + s, 9, "N", "000100011"),
        ("Account Number for Returns", 203 + s, 12, "AN", "1234567"),
        ("Originator's Sundry Information", 215 + s, 15, "AN", ""),
        ("Filler", 230 + s, 22, "AN", ""),
        ("Originator-Direct Clearer Settlement Code", 252 + s, 2, "AN", ""),
        ("Invalid Data Element ID (zero fill)", 254 + s, 11, "N", 0),
    ]


def credit_record(count: int, number: int, credits: list[Any]) -> str:
    table: list[Any] = common("C", count, number)
    for index in range(6):
        start = 25 + 240 * index
        if index < len(credits):
            table += segment(start, credits[index])
        else:
            table.append((f"Segment {index + 1} (unused, blank)", start, 240, "AN", ""))
    return record_from_table(table)


def trailer(count: int, number: int, total: int, credits: int) -> str:
    return record_from_table(
        [
            *common("Z", count, number),
            ("Total Value of Debit Transactions", 25, 14, "N", 0),
            ("Total Number of Debit Transactions", 39, 8, "N", 0),
            ("Total Value of Credit Transactions", 47, 14, "N", total),
            ("Total Number of Credit Transactions", 61, 8, "N", credits),
            ("Total Value of Error Corrections E", 69, 14, "N", 0),
            ("Total Number of Error Corrections E", 83, 8, "N", 0),
            ("Total Value of Error Corrections F", 91, 14, "N", 0),
            ("Total Number of Error Corrections F", 105, 8, "N", 0),
            ("Filler", 113, 1352, "AN", ""),
        ]
    )


def expected_file(number: int) -> bytes:
    total = sum(c[1] for c in CREDITS)
    records = [
        header(number),
        credit_record(2, number, CREDITS),
        trailer(3, number, total, len(CREDITS)),
    ]
    return b"".join(r.encode("ascii") + b"\r\n" for r in records)


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
    run = payment_run_release(acting_user=staff["supervisor"], run=run)
    run.approver = staff["supervisor"]
    return run


def _build(run: Any) -> tuple[bytes, PaymentFile]:
    return payment_file_build(
        acting_user=run.approver,
        run=run,
        originator=ORIGINATOR,
        creation_date=dt.date(2025, 12, 22),
        funds_date=dt.date(2025, 12, 29),
    )


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_payment_file_build_matches_standard_005_layout_byte_for_byte(released_run: Any) -> None:
    data, built = _build(released_run)
    assert data == expected_file(1)
    assert cheque_list_csv(run=released_run).encode() == GOLDEN_CHEQUES.read_bytes()
    # Totals in integer cents, the same from the file, the payments and the dry run.
    eft = Payment.objects.filter(run=released_run, method=PaymentMethod.EFT)
    assert built.credit_count == eft.count() == released_run.eft_count == 6
    assert built.credit_total_cents == sum(p.amount_cents for p in eft)
    assert built.credit_total_cents == released_run.eft_total_cents == 429_200
    assert released_run.released_total_cents == released_run.total_cents == 626_800
    assert released_run.cheque_count == 2  # $860.00 and $1,116.00


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_payment_file_rebuilt_takes_next_file_creation_number_per_spec(released_run: Any) -> None:
    first, _ = _build(released_run)
    second, built = _build(released_run)
    assert second == expected_file(2)
    assert first != second
    assert built.file_creation_number == 2
