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
  id 10 (the originator's id, as the bank guides fill it: "client number ... assigned by
  bank", Treasury Software "CPA 005 1464-Byte Description of EFT Record Formats", basic
  payment record field 15; it used to be left blank here), originator's cross reference 19,
  return institution id 9, return account 12, sundry 15, filler 22, settlement code 2,
  invalid data element id 11 (zeros); unused segments are blank;
* Z (trailer, once, last): total value and count of debits (D), credits (C), and of the
  error-correction records E and F (14 and 8 digits each), blanks.

Transaction type 603 ("Income Security Benefits", Standard 007 category 600–620 provincial and
local government payments) marks social assistance credits (constants.CPA_TRANSACTION_CODE).
Records are separated by CR LF, as most Canadian banks' AFT file upload services expect.

Before a byte is written, `validate_file` checks every record and field (record length, the
character set, numeric fields numeric, record counts in sequence, the same originator and file
creation number throughout, trailer totals equal to the sum of the credits) and raises
`Cpa005Error` naming the record and the field: a bad file is never produced.

File creation number: 4 digits, 0001–9999, a new number for every file an originator sends;
a bank refuses a number it has already processed (Infor "CPA EFT Output Format": "The file
creation number must increment by one from one file to the next"; Propra "CPA005 bank file":
"File Creation Number (FCN): A sequence number (0001–9999) to prevent duplicate
submissions"). The standard's public summaries do not say what follows 9999; software that
wraps to 0001 says it "breaks the rule" (Theatre Manager, "EFT file creation number"). So the
sequence (services.file_creation_number_take) refuses at 9999 until the bank confirms a
restart, rather than wrapping silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from caseworks.core.validators import bank_ascii

from .constants import CPA_TRANSACTION_CODE

RECORD_LENGTH = 1464
SEGMENT_LENGTH = 240
SEGMENTS_PER_RECORD = 6
RECORD_SEPARATOR = b"\r\n"
MAX_FILE_CREATION_NUMBER = 9999
# What an alphanumeric field may hold: upper-case letters, digits, space and a few marks.
_ALLOWED = re.compile(r"[A-Z0-9 '\-.,&/()#]*")
PREFIX_LENGTH = 24


class Cpa005Error(ValueError):
    """A record or field that would make a bad bank file (names the record and the field)."""

    def __init__(self, record: int, field: str, message: str) -> None:
        super().__init__(f"record {record}, field {field}: {message}")
        self.record = record
        self.field = field
        self.message = message


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


def alpha(value: str, width: int) -> str:
    """Upper-case ASCII (accents dropped: Élodie → ELODIE), cut to the width, blank-filled.
    Characters outside the bank character set stay in, so that `validate_file` refuses them."""
    text = "".join(c.upper() if c.isascii() else (bank_ascii(c) or c) for c in value)
    return text[:width].ljust(width)


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
        + alpha(originator.direct_clearer_user_id or originator.originator_id, 10)
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
    validate_file(records)
    data = RECORD_SEPARATOR.join(r.encode("ascii") for r in records) + RECORD_SEPARATOR
    return data, total, count


# (name, offset in the segment, length, kind) of a credit segment; kind "n" numeric, "a" text.
SEGMENT_FIELDS = (
    ("transaction type", 0, 3, "n"),
    ("amount", 3, 10, "n"),
    ("date funds available", 13, 6, "n"),
    ("institution and transit", 19, 9, "n"),
    ("payee account", 28, 12, "a"),
    ("item trace number", 40, 22, "n"),
    ("stored transaction type", 62, 3, "n"),
    ("originator short name", 65, 15, "a"),
    ("payee name", 80, 30, "a"),
    ("originator long name", 110, 30, "a"),
    ("direct clearer user id", 140, 10, "a"),
    ("cross reference", 150, 19, "a"),
    ("return institution and transit", 169, 9, "n"),
    ("return account", 178, 12, "a"),
    ("sundry information", 190, 15, "a"),
    ("filler", 205, 22, "a"),
    ("settlement code", 227, 2, "a"),
    ("invalid data element id", 229, 11, "n"),
)
TRAILER_FIELDS = tuple(
    (name, PREFIX_LENGTH + offset, length)
    for name, offset, length in (
        ("total value of debits", 0, 14),
        ("number of debits", 14, 8),
        ("total value of credits", 22, 14),
        ("number of credits", 36, 8),
        ("total value of error corrections E", 44, 14),
        ("number of error corrections E", 58, 8),
        ("total value of error corrections F", 66, 14),
        ("number of error corrections F", 80, 8),
    )
)


def _check_text(record: int, field: str, value: str) -> None:
    if not _ALLOWED.fullmatch(value):
        bad = next(c for c in value if not _ALLOWED.fullmatch(c))
        raise Cpa005Error(record, field, f"character {bad!r} is not allowed in a bank file")


def _check_number(record: int, field: str, value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise Cpa005Error(record, field, f"{value!r} is not numeric")
    return int(value)


def _validate_prefix(index: int, record: str, expected: str, header: str) -> None:
    if len(record) != RECORD_LENGTH:
        raise Cpa005Error(index, "record length", f"{len(record)} bytes, not {RECORD_LENGTH}")
    if record[0] != expected:
        raise Cpa005Error(index, "record type", f"{record[0]!r} where {expected!r} belongs")
    if _check_number(index, "logical record count", record[1:10]) != index:
        raise Cpa005Error(index, "logical record count", "out of sequence")
    _check_text(index, "originator id", record[10:20])
    if record[10:20] != header[10:20]:
        raise Cpa005Error(index, "originator id", "differs from the header")
    file_number = _check_number(index, "file creation number", record[20:24])
    if record[20:24] != header[20:24] or not 1 <= file_number <= MAX_FILE_CREATION_NUMBER:
        raise Cpa005Error(index, "file creation number", "not the header's 0001–9999 number")


def _validate_header(index: int, record: str) -> None:
    _check_number(index, "creation date", record[24:30])
    _check_number(index, "destination data centre", record[30:35])
    _check_text(index, "communication area", record[35:55])
    if record[55:58] != "CAD":
        raise Cpa005Error(index, "currency", "must be CAD")
    if record[58:].strip():
        raise Cpa005Error(index, "filler", "must be blank")


# Every field of a segment in one pattern: the fast path of a province-sized file (one match per
# segment instead of one per field); a segment that fails it is checked field by field to name
# the field.
_SEGMENT_PATTERN = re.compile(
    "".join(
        f"[0-9]{{{length}}}" if kind == "n" else f"[A-Z0-9 '\\-.,&/()#]{{{length}}}"
        for _name, _offset, length, kind in SEGMENT_FIELDS
    )
)


def _validate_segment(index: int, slot: int, segment: str) -> int:
    if not _SEGMENT_PATTERN.fullmatch(segment):
        for name, offset, length, field_kind in SEGMENT_FIELDS:
            value = segment[offset : offset + length]
            label = f"segment {slot} {name}"
            if field_kind == "n":
                _check_number(index, label, value)
            else:
                _check_text(index, label, value)
    amount = int(segment[3:13])
    if amount <= 0:
        raise Cpa005Error(index, f"segment {slot} amount", "must be positive")
    if not segment[80:110].strip():
        raise Cpa005Error(index, f"segment {slot} payee name", "is blank")
    if not segment[28:40].strip():
        raise Cpa005Error(index, f"segment {slot} payee account", "is blank")
    return amount


def _validate_credits(index: int, record: str) -> list[int]:
    amounts: list[int] = []
    for slot in range(SEGMENTS_PER_RECORD):
        start = PREFIX_LENGTH + slot * SEGMENT_LENGTH
        segment = record[start : start + SEGMENT_LENGTH]
        if not segment.strip():
            continue
        if len(amounts) != slot:
            raise Cpa005Error(index, f"segment {slot + 1}", "follows a blank segment")
        amounts.append(_validate_segment(index, slot + 1, segment))
    if not amounts:
        raise Cpa005Error(index, "segment 1", "a credit record without a credit")
    return amounts


def _validate_trailer(index: int, record: str, total: int, count: int) -> None:
    values = {
        name: _check_number(index, name, record[start : start + length])
        for name, start, length in TRAILER_FIELDS
    }
    if values["total value of credits"] != total:
        raise Cpa005Error(index, "total value of credits", "differs from the credits")
    if values["number of credits"] != count:
        raise Cpa005Error(index, "number of credits", "differs from the credits")
    if record[PREFIX_LENGTH + 88 :].strip():
        raise Cpa005Error(index, "filler", "must be blank")


def validate_file(records: list[str]) -> None:
    """Every record and field of a credit file, before it is written (see the module doc)."""
    if len(records) < 2:  # a header and a trailer at least
        raise Cpa005Error(1, "record type", "a file needs a header (A) and a trailer (Z)")
    amounts: list[int] = []
    for index, record in enumerate(records, start=1):
        expected = "A" if index == 1 else "Z" if index == len(records) else "C"
        _validate_prefix(index, record, expected, records[0])
        if expected == "A":
            _validate_header(index, record)
        elif expected == "C":
            amounts.extend(_validate_credits(index, record))
        else:
            _validate_trailer(index, record, sum(amounts), len(amounts))
        if not record.isascii():
            raise Cpa005Error(index, "character set", "only ASCII characters are allowed")
