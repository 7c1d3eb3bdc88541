"""Reading a bank's returns file (CPA-005 returns or CSV) and matching its items to payments."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseworks.core.errors import ApplicationError
from caseworks.core.money import format_cents, parse_dollars_to_cents

from .bulk import id_in
from .constants import (
    PaymentMethod,
    ReturnsFileFormat,
)
from .cpa005 import (
    PREFIX_LENGTH,
    RECORD_LENGTH,
    SEGMENT_LENGTH,
    SEGMENTS_PER_RECORD,
)
from .models import (
    Payment,
)

RETURN_REASONS: dict[str, tuple[Any, bool]] = {
    "900": (gettext_lazy("Edit reject"), True),
    "902": (gettext_lazy("Cannot trace / account not found"), True),
    "903": (gettext_lazy("Payment stopped or recalled"), True),
    "905": (gettext_lazy("Account closed"), True),
    "906": (gettext_lazy("Account transferred"), False),  # Property Vista only
    "910": (gettext_lazy("Payee deceased"), True),
    "911": (gettext_lazy("Account frozen"), True),
    "912": (gettext_lazy("Invalid or incorrect account number"), True),
    "914": (gettext_lazy("Incorrect payee name"), True),
    "915": (gettext_lazy("Refused by payee"), False),  # Property Vista (LoanPro: PAD only)
    "922": (gettext_lazy("Customer-initiated return"), False),  # LoanPro only
    "990": (gettext_lazy("Institution in default"), True),
}
# (offset, length) in a returned segment; see the module doc (UNVERIFIED position).
RETURN_REASON_FIELD = (0, 3)
CROSS_REFERENCE = re.compile(r"OW(\d{17})")


def reason_label(code: str) -> str:
    found = RETURN_REASONS.get(code)
    return f"{code} {found[0]}" if found else code


@dataclass(frozen=True)
class ReturnedItem:
    item_number: int  # 1-based line (CSV) or item (CPA-005) of the file
    cross_reference: str
    amount_cents: int
    reason_code: str
    returned_on: dt.date
    trace_number: str = ""
    record: int = 0  # CPA-005: the record (2 = the first after the header) and its segment
    segment: int = 0


def _refuse_item(item: ReturnedItem, message: str, code: str = "returns_file_invalid") -> Any:
    if not item.record:
        return _refuse(item.item_number, message, code)
    return ApplicationError(
        _("Record %(record)s, segment %(segment)s of the returns file: %(problem)s")
        % {"record": item.record, "segment": item.segment, "problem": message},
        field="file",
        code=code,
    )


def _refuse(item: int, message: str, code: str = "returns_file_invalid") -> ApplicationError:
    return ApplicationError(
        _("Line %(line)s of the returns file: %(problem)s") % {"line": item, "problem": message},
        field="file",
        code=code,
    )


def _julian_date(item: int, text: str) -> dt.date:
    """0YYDDD → date (Standard 005 date format)."""
    if not (len(text) == 6 and text.isdigit()):
        raise _refuse(item, _("the date %(date)r is not 0YYDDD.") % {"date": text})
    try:
        return dt.date(2000 + int(text[1:3]), 1, 1) + dt.timedelta(days=int(text[3:]) - 1)
    except (ValueError, OverflowError) as exc:
        raise _refuse(item, _("the date %(date)r is not 0YYDDD.") % {"date": text}) from exc


def parse_cpa005_returns(data: bytes) -> list[ReturnedItem]:
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise _refuse(1, _("only ASCII characters are allowed.")) from exc
    records = [r for r in re.split(r"\r\n|\n", text) if r]
    if len(records) < 2 or records[0][:1] != "A" or records[-1][:1] != "Z":
        raise _refuse(1, _("a Standard 005 file starts with a header A and ends with a Z."))
    items: list[ReturnedItem] = []
    for index, record in enumerate(records[1:-1], start=2):
        if len(record) != RECORD_LENGTH or record[:1] not in ("C", "I"):
            raise _refuse(
                index,
                _("record %(n)s is not a 1464-byte returned credit record (C or I).")
                % {"n": index},
            )
        for slot in range(SEGMENTS_PER_RECORD):
            start = PREFIX_LENGTH + slot * SEGMENT_LENGTH
            segment = record[start : start + SEGMENT_LENGTH]
            if not segment.strip():
                continue
            number = len(items) + 1
            offset, length = RETURN_REASON_FIELD
            amount = segment[3:13]
            if not amount.isdigit():
                raise _refuse(number, _("the amount %(a)r is not numeric.") % {"a": amount})
            items.append(
                ReturnedItem(
                    item_number=number,
                    cross_reference=segment[150:169].strip(),
                    amount_cents=int(amount),
                    reason_code=segment[offset : offset + length],
                    returned_on=_julian_date(number, segment[13:19]),
                    trace_number=segment[40:62].strip(),
                    record=index,
                    segment=slot + 1,
                )
            )
    return items


def parse_csv_returns(data: bytes) -> list[ReturnedItem]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(1, _("the file is not UTF-8 text.")) from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    reference = "cross_reference" if "cross_reference" in columns else "payment_number"
    missing = {reference, "amount", "reason_code", "date"} - columns
    if missing:
        raise _refuse(
            1, _("the columns %(cols)s are missing.") % {"cols": ", ".join(sorted(missing))}
        )
    items = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            amount = parse_dollars_to_cents(row["amount"])
        except (ValueError, ArithmeticError) as exc:
            raise _refuse(
                line, _("the amount %(a)r is not 1234.56.") % {"a": row["amount"]}
            ) from exc
        try:
            returned_on = dt.date.fromisoformat(row["date"])
        except ValueError as exc:
            raise _refuse(
                line, _("the date %(d)r is not YYYY-MM-DD.") % {"d": row["date"]}
            ) from exc
        items.append(
            ReturnedItem(
                item_number=line,
                cross_reference=row[reference],
                amount_cents=amount,
                reason_code=row["reason_code"].upper().removeprefix("R")[:3],
                returned_on=returned_on,
                trace_number=row.get("trace", "")[:22],
            )
        )
    return items


def payment_id_of(item: ReturnedItem) -> int:
    """The cross reference the file builder wrote ("OW" + 17 digits), or a bare payment number."""
    found = CROSS_REFERENCE.fullmatch(item.cross_reference)
    if found:
        return int(found.group(1))
    if item.cross_reference.isdigit() and len(item.cross_reference) <= 17:
        return int(item.cross_reference)
    raise _refuse_item(
        item,
        _("the cross reference %(ref)r is not a payment of this system.")
        % {"ref": item.cross_reference},
    )


def matched_payments(items: list[ReturnedItem], partner_id: int) -> dict[int, dict[str, Any]]:
    """Every item's payment (validated: ours, a direct deposit, the same amount to the cent)."""
    ids = [payment_id_of(item) for item in items]
    payments = {
        p["id"]: p
        for p in Payment.objects.filter(id_in("id", ids))
        .filter(benefit_unit__delivery_partner_id=partner_id)
        .values("id", "amount_cents", "method", "benefit_unit_id", "benefit_unit__caseworker_id")
    }
    seen: set[int] = set()
    for item, payment_id in zip(items, ids, strict=True):
        if item.reason_code not in RETURN_REASONS:
            raise _refuse_item(
                item,
                _("the reason code %(code)r is not a Standard 007 credit return reason.")
                % {"code": item.reason_code},
            )
        payment = payments.get(payment_id)
        if payment is None:
            raise _refuse_item(
                item,
                _("no payment %(ref)s of your office.") % {"ref": item.cross_reference},
            )
        if payment["method"] != PaymentMethod.EFT:
            raise _refuse_item(item, _("payment %(id)s was a cheque.") % {"id": payment_id})
        if payment["amount_cents"] != item.amount_cents:
            raise _refuse_item(
                item,
                _(
                    "the amount returned, %(returned)s, is not the amount paid, %(paid)s, on "
                    "payment %(id)s. Nothing was imported; ask the bank to confirm the item."
                )
                % {
                    "returned": format_cents(item.amount_cents),
                    "paid": format_cents(payment["amount_cents"]),
                    "id": payment_id,
                },
                code="returned_amount_mismatch",
            )
        if payment_id in seen:
            raise _refuse_item(item, _("payment %(id)s is returned twice.") % {"id": payment_id})
        seen.add(payment_id)
    return {pid: dict(payments[pid]) for pid in ids}


def parse_returns(data: bytes) -> tuple[str, list[ReturnedItem]]:
    if data[:1] == b"A" and len(data.split(b"\n", 1)[0].rstrip(b"\r")) == RECORD_LENGTH:
        return ReturnsFileFormat.CPA005, parse_cpa005_returns(data)
    return ReturnsFileFormat.CSV, parse_csv_returns(data)
