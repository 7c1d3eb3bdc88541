"""Direct deposit credit file in the Payments Canada (formerly CPA) Standard 005 format.

Layout (Payments Canada Standard 005, "Standards for the Exchange of Financial Data on AFT
Files"; field positions as in the public bank implementation guides, e.g. the "CPA 005"
sample at https://joeyxff.blogspot.com/2019/10/cpa-005-example.html):

* every logical record is 1464 bytes: a 24-byte common prefix (record type 1, logical record
  count 9, originator's id 10, file creation number 4) then 1440 bytes;
* A (header, once, first): creation date 0YYDDD, destination data centre 5, communication
  area 20, currency "CAD", blanks;
* C (credits): up to 6 segments of 240 bytes — transaction type 3, amount 10 (cents), date
  funds available 0YYDDD, institution id 9 ("0" + institution 3 + transit 5), payee account
  12 (left-justified), item trace 22 (zeros), stored transaction type 3 (zeros), originator's
  short name 15, payee name 30, originator's long name 30, originating direct clearer's user
  id 10, originator's cross reference 19, return institution id 9, return account 12,
  sundry 15, filler 22, settlement code 2, invalid data element id 11 (zeros); unused
  segments are blank;
* Z (trailer, once, last): total value and count of debits (D), credits (C), and of the
  error-correction records E and F (14 and 8 digits each), blanks.

Transaction type 603 ("Income Security Benefits", Standard 007 category 600–620 provincial and
local government payments) marks social assistance credits (constants.CPA_TRANSACTION_CODE).
Records are separated by CR LF, as most Canadian banks' AFT file upload services expect.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .constants import CPA_TRANSACTION_CODE

RECORD_LENGTH = 1464
SEGMENT_LENGTH = 240
SEGMENTS_PER_RECORD = 6
RECORD_SEPARATOR = b"\r\n"


@dataclass(frozen=True)
class Originator:
    originator_id: str  # 10 characters, assigned by the originator's bank
    short_name: str  # 15
    long_name: str  # 30
    destination_data_centre: str  # 5 digits
    return_institution: str  # 3 digits
    return_transit: str  # 5 digits
    return_account: str  # up to 12
    direct_clearer_user_id: str = ""  # 10


@dataclass(frozen=True)
class Credit:
    amount_cents: int
    institution: str
    transit: str
    account: str
    payee_name: str
    cross_reference: str  # e.g. the payment number


def julian(day: dt.date) -> str:
    """0YYDDD (Standard 005 date format)."""
    return f"0{day:%y}{day.timetuple().tm_yday:03d}"


def _ascii(text: str) -> str:
    """Bank files are plain ASCII: accents dropped (Élodie → Elodie), others replaced."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128 and not unicodedata.combining(c)).upper()


def alpha(value: str, width: int) -> str:
    return _ascii(value)[:width].ljust(width)


def num(value: int | str, width: int) -> str:
    text = str(value)
    if not text.isdigit() or len(text) > width:
        raise ValueError(f"{text!r} does not fit {width} digits")
    return text.rjust(width, "0")


def _prefix(kind: str, count: int, originator: Originator, file_number: int) -> str:
    return kind + num(count, 9) + alpha(originator.originator_id, 10) + num(file_number, 4)


def _segment(credit: Credit, originator: Originator, funds_date: dt.date) -> str:
    segment = (
        num(CPA_TRANSACTION_CODE, 3)
        + num(credit.amount_cents, 10)
        + julian(funds_date)
        + "0"
        + num(credit.institution, 3)
        + num(credit.transit, 5)
        + alpha(credit.account, 12)
        + "0" * 22
        + "000"
        + alpha(originator.short_name, 15)
        + alpha(credit.payee_name, 30)
        + alpha(originator.long_name, 30)
        + alpha(originator.direct_clearer_user_id, 10)
        + alpha(credit.cross_reference, 19)
        + "0"
        + num(originator.return_institution, 3)
        + num(originator.return_transit, 5)
        + alpha(originator.return_account, 12)
        + alpha("", 15)
        + alpha("", 22)
        + alpha("", 2)
        + "0" * 11
    )
    assert len(segment) == SEGMENT_LENGTH, len(segment)
    return segment


def build_credit_file(
    credits: Iterable[Credit],
    *,
    originator: Originator,
    file_creation_number: int,
    creation_date: dt.date,
    funds_date: dt.date,
) -> tuple[bytes, int, int]:
    """(file bytes, total credit value in cents, credit count)."""
    records: list[str] = []
    header = (
        _prefix("A", 1, originator, file_creation_number)
        + julian(creation_date)
        + num(originator.destination_data_centre, 5)
        + alpha("", 20)
        + "CAD"
    )
    records.append(header.ljust(RECORD_LENGTH))
    total = 0
    count = 0
    batch: list[str] = []

    def flush() -> None:
        body = "".join(batch).ljust(SEGMENTS_PER_RECORD * SEGMENT_LENGTH)
        records.append(_prefix("C", len(records) + 1, originator, file_creation_number) + body)
        batch.clear()

    for credit in credits:
        if credit.amount_cents <= 0:
            raise ValueError("a credit must be a positive amount")
        batch.append(_segment(credit, originator, funds_date))
        total += credit.amount_cents
        count += 1
        if len(batch) == SEGMENTS_PER_RECORD:
            flush()
    if batch:
        flush()
    trailer = (
        _prefix("Z", len(records) + 1, originator, file_creation_number)
        + num(0, 14)
        + num(0, 8)
        + num(total, 14)
        + num(count, 8)
        + num(0, 14)
        + num(0, 8)
        + num(0, 14)
        + num(0, 8)
    )
    records.append(trailer.ljust(RECORD_LENGTH))
    for record in records:
        assert len(record) == RECORD_LENGTH, (record[:1], len(record))
    data = RECORD_SEPARATOR.join(r.encode("ascii") for r in records) + RECORD_SEPARATOR
    return data, total, count
