"""Bank returns, reissues, the cheque register and the reconciliation of a run (issue 12).

Returned direct deposits
------------------------
A bank sends back the credits it could not deposit, each with a reason code from Payments
Canada Standard 007 ("Returned items" in Standard 005 files). Two formats are read:

* **Standard 005 returned items** (`parse_cpa005_returns`): 1464-byte records, a header A, the
  returned credits in C records of up to six 240-byte segments laid out like the credits we sent
  (cpa005.SEGMENT_FIELDS), a trailer Z. Some banks mark returned credits with the logical record
  type "I" (returned credit) instead of "C": both are read. In a returned segment:

  - amount (positions 4–13) is the original amount;
  - date funds available (14–19) is read as the date of the return;
  - item trace number (41–62) is the trace the bank gave the item;
  - originator's cross reference (151–169) is what we wrote: "OW" + the payment id on 17
    digits (services.run_credits);
  - the return reason code: **UNVERIFIED position.** No public bank specification of the return
    layout was found (searched: "CPA 005 returned items file", RBC/TD/BMO/Scotiabank AFT
    returns). The layout has a "stored transaction type" field (63–65) that a credit we send
    carries as zeros; we read the returned item as carrying the 900-series reason code in the
    transaction type field (1–3) and the original transaction type (603) in the stored
    transaction type, which is what those two field names suggest. Confirm with the partner's
    bank before production use; `RETURN_REASON_FIELD` is the one place to change.

* **A CSV returns report** (`parse_csv_returns`), which most banks' online banking offers:
  header row with `cross_reference` (or `payment_number`), `amount` ("1234.56"),
  `reason_code`, `date` (YYYY-MM-DD), optional `trace`.

Reason codes (`RETURN_REASONS`), credit returns only. Verified against two secondary sources
quoting Standard 007: LoanPro "Canada Bank Return Codes" (help.loanpro.io/article/0achdqpo8g)
and Property Vista "Returned / NSF / Reject Codes" (support.propertyvista.com, article
205677988); Payrix "EFT Rejects & Returns - Canada" agrees on 902–912. VoPay's "EFT return
codes" page numbers them differently (902 account closed, 905 payment stopped, …): it disagrees
with the other three and is not followed. The Standard 007 text itself was not retrieved.

Import: every line is parsed and matched (payment found in the importer's partner, a direct
deposit, amount equal to the cent) before anything is written; any problem refuses the whole
file naming the line. Then the items are written in batches of RETURNS_BATCH, each batch one
transaction with the file's checkpoint (`ReturnsFile.next_item`): a killed import, run again
with the same file, resumes after the last batch. The same file twice changes nothing (unique
per partner and SHA-256); a payment is returned once (unique), so an item already recorded
from another file is skipped and counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from caseworks.accounts.constants import Capability
from caseworks.cases.models import BenefitUnit, Task
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.exports import csv_cell
from caseworks.core.money import format_cents, parse_dollars_to_cents
from caseworks.partners.models import DeliveryPartner

from .bulk import id_in
from .constants import (
    RETURNED_PAYMENT_TASK_KIND,
    RETURNS_BATCH,
    ChequeActionKind,
    PaymentFileKind,
    PaymentMethod,
    ReissueMethod,
    ReturnsFileFormat,
    RunStatus,
)
from .cpa005 import (
    PREFIX_LENGTH,
    RECORD_LENGTH,
    SEGMENT_LENGTH,
    SEGMENTS_PER_RECORD,
    Credit,
)
from .faults import fault_point
from .models import (
    BankAccount,
    ChequeAction,
    Payment,
    PaymentFile,
    PaymentReissue,
    PaymentReturn,
    PaymentRun,
    ReturnsFile,
)

# Credit return reason codes (Standard 007, through the secondary sources in the module doc).
# Each: (description, verified by at least two of the sources).
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


def _payment_id(item: ReturnedItem) -> int:
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


def _matched(items: list[ReturnedItem], partner_id: int) -> dict[int, dict[str, Any]]:
    """Every item's payment (validated: ours, a direct deposit, the same amount to the cent)."""
    ids = [_payment_id(item) for item in items]
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


@dataclass
class ImportResult:
    returns_file: ReturnsFile
    recorded: int = 0
    already_returned: int = 0
    tasks: int = 0
    unchanged: bool = False  # the same file was imported before
    errors: list[str] = field(default_factory=list)


def payment_returns_import(
    *, acting_user: Any, data: bytes, batch_size: int | None = None
) -> ImportResult:
    """Import a bank's returned-items file for the user's partner (see the module doc).
    Not one transaction on purpose: batches commit with the checkpoint (resumable)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    partner_id = partner_scope(acting_user)
    if partner_id is None:
        raise ApplicationError(_("Returns are imported by the partner's office."), field="file")
    if not data:
        raise ApplicationError(_("The returns file is empty."), field="file")
    file_format, items = parse_returns(data)
    if not items:
        raise ApplicationError(_("The returns file has no returned item."), field="file")
    payments = _matched(items, partner_id)
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        returns_file, created = ReturnsFile.objects.get_or_create(
            delivery_partner_id=partner_id,
            sha256=sha,
            defaults={
                "file_format": file_format,
                "size_bytes": len(data),
                "item_count": len(items),
                "total_cents": sum(i.amount_cents for i in items),
                "imported_by": acting_user,
            },
        )
    result = ImportResult(returns_file=returns_file)
    if not created and returns_file.completed_at is not None:
        result.unchanged = True
        return result
    start = returns_file.next_item
    batch_size = batch_size or RETURNS_BATCH
    for batch_start in range(start, len(items), batch_size):
        batch = items[batch_start : batch_start + batch_size]
        recorded, already, tasks = _import_batch(
            acting_user, returns_file.pk, batch, payments, batch_start + len(batch)
        )
        result.recorded += recorded
        result.already_returned += already
        result.tasks += tasks
        fault_point("returns_batch")  # crash tests: killed after a committed batch
    with transaction.atomic():
        locked = ReturnsFile.objects.select_for_update().get(pk=returns_file.pk)
        if locked.completed_at is None:
            locked.completed_at = timezone.now()
            locked.save(update_fields=["completed_at"])
            audit_record(
                acting_user=acting_user,
                event_type=AuditEventType.PAYMENT_RETURNS_IMPORTED,
                subject=locked,
                delivery_partner_id=partner_id,
                extra_data={
                    "format": file_format,
                    "sha256": sha,
                    "items": len(items),
                    "total_cents": locked.total_cents,
                    "recorded": locked.recorded_count,
                    "resumed_from": start,
                },
            )
        result.returns_file = locked
    return result


@transaction.atomic
def _import_batch(
    acting_user: Any,
    returns_file_id: int,
    batch: list[ReturnedItem],
    payments: dict[int, dict[str, Any]],
    checkpoint: int,
) -> tuple[int, int, int]:
    locked = ReturnsFile.objects.select_for_update().get(pk=returns_file_id)
    if locked.next_item >= checkpoint:  # another import of the same file did this batch
        return 0, 0, 0
    ids = [_payment_id(item) for item in batch]
    already = set(
        PaymentReturn.objects.filter(id_in("payment_id", ids)).values_list("payment_id", flat=True)
    )
    now = timezone.now()
    rows = []
    tasks = []
    for item, payment_id in zip(batch, ids, strict=True):
        if payment_id in already:
            continue
        payment = payments[payment_id]
        rows.append(
            PaymentReturn(
                payment_id=payment_id,
                benefit_unit_id=payment["benefit_unit_id"],
                returns_file_id=returns_file_id,
                item_number=item.item_number,
                amount_cents=item.amount_cents,
                reason_code=item.reason_code,
                cross_reference=item.cross_reference[:19],
                trace_number=item.trace_number,
                returned_on=item.returned_on,
                recorded_by=acting_user,
                recorded_at=now,
            )
        )
        tasks.append(
            Task(
                delivery_partner_id=locked.delivery_partner_id,
                benefit_unit_id=payment["benefit_unit_id"],
                assigned_to_id=payment["benefit_unit__caseworker_id"] or acting_user.pk,
                kind=RETURNED_PAYMENT_TASK_KIND,
                title=(
                    _(
                        "Direct deposit returned by the bank (%(reason)s): reissue by cheque or "
                        "to a corrected account"
                    )
                    % {"reason": reason_label(item.reason_code)}
                )[:200],
                due_on=timezone.localdate() + dt.timedelta(days=2),
            )
        )
    PaymentReturn.objects.bulk_create(rows, batch_size=RETURNS_BATCH)
    bulk_create_with_history(tasks, Task, batch_size=RETURNS_BATCH, default_user=acting_user)
    locked.next_item = checkpoint
    locked.recorded_count += len(rows)
    locked.save(update_fields=["next_item", "recorded_count"])
    return len(rows), len(batch) - len(rows), len(tasks)


# --- Reissue ------------------------------------------------------------------------------


def _corrected_account(payment: Payment, acting_user: Any) -> BankAccount:
    """The case's current account, recorded after the payment and different from the account it
    went to (the correction goes through the bank details page and its safeguards)."""
    account = BankAccount.objects.filter(
        benefit_unit_id=payment.benefit_unit_id, end_on__isnull=True
    ).first()
    if account is None or (account.institution, account.transit, account.account) == (
        payment.institution,
        payment.transit,
        payment.account,
    ):
        raise ApplicationError(
            _(
                "Record the corrected bank account on the case first (Bank details); the "
                "payment is then reissued to it."
            ),
            field="method",
            code="no_corrected_account",
        )
    if account.recorded_by_id == acting_user.pk:
        raise ApplicationError(
            _("You recorded this bank account: another person must reissue the payment to it."),
            field="method",
            code="own_bank_change",
        )
    return account


def _reissue(
    *, acting_user: Any, original: Payment, method: str, reason: str, payment_return: Any
) -> PaymentReissue:
    if method not in ReissueMethod.values:
        raise ApplicationError(_("Choose cheque or direct deposit."), field="method")
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the reissue."), field="reason")
    if PaymentReissue.objects.filter(original=original).exists():
        raise ApplicationError(
            _("This payment was already reissued; it is reissued only once."),
            field="payment",
            code="already_reissued",
        )
    reissue = PaymentReissue(
        original=original,
        payment_return=payment_return,
        benefit_unit_id=original.benefit_unit_id,
        method=method,
        amount_cents=original.amount_cents,
        payee_name=original.payee_name,
        reason=reason.strip(),
        issued_by=acting_user,
    )
    if method == ReissueMethod.EFT:
        account = _corrected_account(original, acting_user)
        reissue.bank_account = account
        reissue.institution, reissue.transit = account.institution, account.transit
        reissue.account = account.account
        reissue.payee_name = account.holder_name[:30]
    reissue.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_REISSUED,
        subject=reissue,
        delivery_partner_id=acting_user.delivery_partner_id,
        benefit_unit_id=original.benefit_unit_id,
        extra_data={
            "original": original.pk,
            "return": payment_return.pk if payment_return else None,
            "method": method,
            "amount_cents": reissue.amount_cents,
            "old_method": original.method,
        },
    )
    return reissue


def _own_payment(acting_user: Any, payment_id: int) -> Payment:
    scope = partner_scope(acting_user)
    rows = Payment.objects.filter(pk=payment_id)
    if scope is not None:
        rows = rows.filter(benefit_unit__delivery_partner_id=scope)
    unit_id = rows.values_list("benefit_unit_id", flat=True).first()
    if unit_id is None:
        raise ApplicationError(_("No such payment in your office."), field="payment")
    # The case row first (the lock every money write of a case takes), then the payment.
    BenefitUnit.objects.select_for_update().filter(pk=unit_id).first()
    return Payment.objects.select_for_update().get(pk=payment_id)


def payment_return_for_user(*, user: Any, return_id: int) -> PaymentReturn:
    """A returned payment of the user's partner (any partner for provincial staff)."""
    require_capability(user, Capability.PAYMENT_VIEW)
    rows = PaymentReturn.objects.filter(pk=return_id)
    scope = partner_scope(user)
    if scope is not None:
        rows = rows.filter(benefit_unit__delivery_partner_id=scope)
    found = rows.first()
    if found is None:
        raise ApplicationError(
            _("No such returned payment in your office."), field="return_id", code="not_found"
        )
    return found


@transaction.atomic
def payment_return_reissue(
    *, acting_user: Any, payment_return: PaymentReturn, method: str, reason: str
) -> PaymentReissue:
    """The caseworker reissues a returned deposit by cheque or to the corrected account."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    original = _own_payment(acting_user, payment_return.payment_id)
    return _reissue(
        acting_user=acting_user,
        original=original,
        method=method,
        reason=reason,
        payment_return=payment_return,
    )


# --- Sending reissues: a reissues bank file and a reissue cheque list -----------------------

REISSUE_CROSS_REFERENCE = "OWR{:016d}"  # "OWR" + the reissue id: never read as a payment id


def _pending_reissues(partner_id: int, method: str) -> list[PaymentReissue]:
    """The partner's reissues by `method` not sent yet, locked (two builds never take one twice:
    the second waits, then finds them sent)."""
    return list(
        PaymentReissue.objects.select_for_update(of=("self",))
        .filter(
            benefit_unit__delivery_partner_id=partner_id,
            method=method,
            sent_at__isnull=True,
        )
        .select_related("original", "benefit_unit")
        .order_by("id")
    )


def _reissue_partner(acting_user: Any) -> DeliveryPartner:
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    partner_id = partner_scope(acting_user)
    if partner_id is None:
        raise ApplicationError(_("Reissues are sent by the partner's office."), field="partner")
    return DeliveryPartner.objects.get(pk=partner_id)


def _nothing_to_send() -> ApplicationError:
    return ApplicationError(
        _("No reissued payment of this kind is waiting to be sent."),
        field="reissues",
        code="nothing_to_send",
    )


@transaction.atomic
def reissue_file_build(
    *,
    acting_user: Any,
    originator: Any = None,
    creation_date: dt.date | None = None,
    funds_date: dt.date | None = None,
) -> tuple[bytes, PaymentFile]:
    """The CPA-005 file of the partner's direct deposit reissues not sent yet: a new file
    creation number from the originator's sequence (the same counter as the runs' files), the
    same validation, a `PaymentFile` of kind "reissues"; each reissue is marked sent in it, so
    it is in exactly one file. A file that fails validation rolls everything back."""
    from .services import numbered_credit_file, originator_for  # noqa: PLC0415  # cycle

    partner = _reissue_partner(acting_user)
    pending = _pending_reissues(partner.pk, ReissueMethod.EFT)
    if not pending:
        raise _nothing_to_send()
    originator = originator or originator_for(partner)
    creation_date = creation_date or timezone.localdate()
    funds_date = funds_date or creation_date
    credits = [
        Credit(
            amount_cents=r.amount_cents,
            institution=r.institution,
            transit=r.transit,
            account=r.account,
            payee_name=r.payee_name,
            cross_reference=REISSUE_CROSS_REFERENCE.format(r.pk),
        )
        for r in pending
    ]
    data, record = numbered_credit_file(
        acting_user=acting_user,
        credits=credits,
        originator=originator,
        creation_date=creation_date,
        funds_date=funds_date,
        delivery_partner_id=partner.pk,
        kind=PaymentFileKind.REISSUES,
    )
    PaymentReissue.objects.filter(pk__in=[r.pk for r in pending]).update(
        payment_file=record, sent_at=timezone.now()
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=record,
        delivery_partner_id=partner.pk,
        extra_data={
            "kind": "cpa005_reissues",
            "file_creation_number": record.file_creation_number,
            "sha256": record.sha256,
            "credit_count": record.credit_count,
            "credit_total_cents": record.credit_total_cents,
            "reissues": [r.pk for r in pending],
        },
    )
    return data, record


@transaction.atomic
def reissue_cheque_list_csv(*, acting_user: Any) -> str:
    """The partner's cheque reissues not listed yet, as the cheque list CSV (machine amounts);
    each is marked sent, so it is on exactly one list. Audited with the reissues listed."""
    partner = _reissue_partner(acting_user)
    pending = _pending_reissues(partner.pk, ReissueMethod.CHEQUE)
    if not pending:
        raise _nothing_to_send()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["reissue_id", "payment_id", "case_number", "payee_name", "benefit_month", "amount"]
    )
    for r in pending:
        writer.writerow(
            [
                csv_cell(c)
                for c in (
                    r.pk,
                    r.original_id,
                    r.benefit_unit.case_number,
                    r.payee_name,
                    r.original.benefit_month.strftime("%Y-%m"),
                    format_cents(r.amount_cents),
                )
            ]
        )
    PaymentReissue.objects.filter(pk__in=[r.pk for r in pending]).update(sent_at=timezone.now())
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=partner,
        delivery_partner_id=partner.pk,
        extra_data={
            "kind": "reissue_cheques",
            "reissues": [r.pk for r in pending],
            "total_cents": sum(r.amount_cents for r in pending),
        },
    )
    return out.getvalue()


# --- Cheque register ------------------------------------------------------------------------


@transaction.atomic
def cheque_action_record(
    *, acting_user: Any, payment_id: int, kind: str, reason: str, method: str = "cheque"
) -> ChequeAction:
    """Stop, cancel or reissue a cheque of a released run, with the reason (finance staff:
    the run approve capability). A reissue follows a stop or a cancellation, once."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    payment = _own_payment(acting_user, payment_id)
    if payment.method != PaymentMethod.CHEQUE:
        raise ApplicationError(_("This payment is not a cheque."), field="payment")
    if kind not in ChequeActionKind.values:
        raise ApplicationError(_("Choose stop, cancel or reissue."), field="kind")
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    done = set(ChequeAction.objects.filter(payment=payment).values_list("kind", flat=True))
    stopped = done & {ChequeActionKind.STOP, ChequeActionKind.CANCEL}
    if kind in (ChequeActionKind.STOP, ChequeActionKind.CANCEL) and stopped:
        raise ApplicationError(
            _("This cheque is already stopped or cancelled."), field="kind", code="already_done"
        )
    if kind == ChequeActionKind.REISSUE and not stopped:
        raise ApplicationError(
            _("Stop or cancel the cheque before reissuing it."), field="kind", code="not_stopped"
        )
    reissue = None
    if kind == ChequeActionKind.REISSUE:
        reissue = _reissue(
            acting_user=acting_user,
            original=payment,
            method=method,
            reason=reason,
            payment_return=None,
        )
    action = ChequeAction.objects.create(
        payment=payment,
        benefit_unit_id=payment.benefit_unit_id,
        kind=kind,
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.CHEQUE_ACTION_RECORDED,
        subject=action,
        delivery_partner_id=acting_user.delivery_partner_id,
        benefit_unit_id=payment.benefit_unit_id,
        extra_data={
            "payment": payment.pk,
            "kind": kind,
            "old": sorted(done),
            "reissue": reissue.pk if reissue else None,
        },
    )
    return action


def cheque_register(run: PaymentRun) -> list[dict[str, Any]]:
    """The run's cheques with their stop/cancel/reissue state (page; a few thousand at most)."""
    actions: dict[int, list[str]] = defaultdict(list)
    for payment_id, kind in ChequeAction.objects.filter(payment__run=run).values_list(
        "payment_id", "kind"
    ):
        actions[payment_id].append(kind)
    reissued = dict(
        PaymentReissue.objects.filter(original__run=run).values_list("original_id", "method")
    )
    rows = []
    for p in (
        Payment.objects.filter(run=run, method=PaymentMethod.CHEQUE)
        .order_by("id")
        .values("id", "benefit_unit_id", "benefit_unit__case_number", "payee_name", "amount_cents")
    ):
        kinds = actions.get(p["id"], [])
        rows.append(
            {
                **p,
                "stopped": ChequeActionKind.STOP in kinds,
                "cancelled": ChequeActionKind.CANCEL in kinds,
                "reissued": reissued.get(p["id"]),
            }
        )
    return rows


# --- Reconciliation -------------------------------------------------------------------------

METHODS = (PaymentMethod.EFT, PaymentMethod.CHEQUE)
ROWS = ("issued", "returned", "reissued", "outstanding", "paid")


def reconciliation(run: PaymentRun) -> dict[str, dict[str, tuple[int, int]]]:
    """{row: {method or "total": (count, cents)}} for a released run. Definitions:

    * issued: the run's payments, by their method;
    * returned: those that did not reach the client: deposits the bank returned, cheques
      stopped or cancelled (by the original method);
    * reissued: reissues of those, by the method of the reissue;
    * outstanding: returned and not (yet) reissued (by the original method): owed to clients;
    * paid: issued − returned + reissued (the money that reached clients, as far as known).

    Identity (tested): issued = paid + returned − reissued, i.e. issued = paid + outstanding,
    to the cent; outstanding is counted from the unreissued returns themselves, not by
    subtraction. Five aggregate queries, whatever the run's size."""
    payments = Payment.objects.filter(run=run)
    returned_q = Q(pk__in=PaymentReturn.objects.filter(payment__run=run).values("payment_id")) | Q(
        pk__in=ChequeAction.objects.filter(
            payment__run=run, kind__in=[ChequeActionKind.STOP, ChequeActionKind.CANCEL]
        ).values("payment_id")
    )
    reissues = PaymentReissue.objects.filter(original__run=run)
    report: dict[str, dict[str, tuple[int, int]]] = {row: {} for row in ROWS}

    def fill(row: str, rows: Any) -> None:
        for r in rows.values("method").annotate(n=Count("id"), cents=Sum("amount_cents")):
            report[row][r["method"]] = (r["n"], r["cents"] or 0)

    fill("issued", payments)
    fill("returned", payments.filter(returned_q))
    fill("reissued", reissues)
    fill("outstanding", payments.filter(returned_q).exclude(pk__in=reissues.values("original_id")))
    for row in ("issued", "returned", "reissued", "outstanding"):
        for method in METHODS:
            report[row].setdefault(method, (0, 0))
    for method in METHODS:
        report["paid"][method] = tuple(  # type: ignore[assignment]
            report["issued"][method][i]
            - report["returned"][method][i]
            + report["reissued"][method][i]
            for i in (0, 1)
        )
    for row in ROWS:
        report[row]["total"] = (
            sum(report[row][m][0] for m in METHODS),
            sum(report[row][m][1] for m in METHODS),
        )
    return report


ROW_LABELS = {
    "issued": gettext_lazy("Issued"),
    "returned": gettext_lazy("Returned, stopped or cancelled"),
    "reissued": gettext_lazy("Reissued"),
    "outstanding": gettext_lazy("Outstanding (not reissued)"),
    "paid": gettext_lazy("Paid (issued − returned + reissued)"),
}


def reconciliation_csv(run: PaymentRun) -> str:
    if run.status != RunStatus.RELEASED:
        raise ApplicationError(_("Only a released run is reconciled."), field="status")
    report = reconciliation(run)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [csv_cell(x) for x in (run.delivery_partner.name, run.benefit_month.strftime("%Y-%m"))]
    )
    header = ["row"]
    for method in (*METHODS, "total"):
        header += [f"{method}_count", f"{method}_amount"]
    writer.writerow(header)
    for row in ROWS:
        cells = [str(ROW_LABELS[row])]
        for method in (*METHODS, "total"):
            count, cents = report[row][method]
            cells += [str(count), format_cents(cents)]
        writer.writerow([csv_cell(c) for c in cells])
    return out.getvalue()


def partner_returns(partner: DeliveryPartner | int, *, limit: int = 200) -> list[PaymentReturn]:
    """The latest returns of a partner (page)."""
    partner_id = partner if isinstance(partner, int) else partner.pk
    return list(
        PaymentReturn.objects.filter(benefit_unit__delivery_partner_id=partner_id)
        .select_related("payment", "benefit_unit", "reissue")
        .order_by("-returned_on", "-id")[:limit]
    )
