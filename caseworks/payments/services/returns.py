"""Importing a bank's returns file: every item matched, then written in batches."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.models import Task
from caseworks.core.access import partner_scope, require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError

from ..bulk import id_in
from ..constants import (
    RETURNED_PAYMENT_TASK_KIND,
    RETURNS_BATCH,
)
from ..faults import fault_point
from ..models import (
    PaymentReturn,
    ReturnsFile,
)
from ..returns_parsing import (
    ReturnedItem,
    matched_payments,
    parse_returns,
    payment_id_of,
    reason_label,
)


@dataclass
class ImportResult:
    returns_file: ReturnsFile
    recorded: int = 0
    already_returned: int = 0
    tasks: int = 0
    unchanged: bool = False  # the same file was imported before
    errors: list[str] = field(default_factory=list)


def payment_returns_import(
    *, acting_user: User, data: bytes, batch_size: int | None = None
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
    payments = matched_payments(items, partner_id)
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
    acting_user: User,
    returns_file_id: int,
    batch: list[ReturnedItem],
    payments: dict[int, dict[str, Any]],
    checkpoint: int,
) -> tuple[int, int, int]:
    locked = ReturnsFile.objects.select_for_update().get(pk=returns_file_id)
    if locked.next_item >= checkpoint:  # another import of the same file did this batch
        return 0, 0, 0
    ids = [payment_id_of(item) for item in batch]
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
