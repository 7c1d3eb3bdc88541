"""Payment files (CPA-005 credits), file creation numbers and the cheque list of a run."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import MemberRole
from caseworks.cases.models import BenefitUnitMember
from caseworks.clients.services import client_file_accesses_record
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.exports import csv_cell
from caseworks.core.money import format_cents
from caseworks.partners.models import DeliveryPartner

from ..constants import (
    PaymentFileKind,
    PaymentMethod,
    RunStatus,
)
from ..cpa005 import (
    MAX_FILE_CREATION_NUMBER,
    Cpa005Error,
    Credit,
    Originator,
    build_credit_file,
)
from ..faults import fault_point
from ..models import (
    FileCreationCounter,
    Payment,
    PaymentFile,
    PaymentRun,
)


def originator_for(partner: DeliveryPartner) -> Originator:
    """The partner's AFT originator details from settings.PAYMENT_ORIGINATORS[partner.code]
    (assigned by its bank). Without configuration, a clearly fake test originator is used, so
    a file made before set-up can never be accepted by a bank."""
    configured: dict[str, Any] = getattr(settings, "PAYMENT_ORIGINATORS", {}).get(partner.code, {})
    return Originator(
        originator_id=configured.get("originator_id", "TESTONLY00"),
        short_name=configured.get("short_name", partner.code[:15]),
        long_name=configured.get("long_name", partner.name[:30]),
        destination_data_centre=configured.get("destination_data_centre", "00000"),
        return_institution=configured.get("return_institution", "000"),
        return_transit=configured.get("return_transit", "00000"),
        return_account=configured.get("return_account", "0000000"),
        direct_clearer_user_id=configured.get("direct_clearer_user_id", ""),
    )


def run_credits(run: PaymentRun) -> list[Credit]:
    return [
        Credit(
            amount_cents=p["amount_cents"],
            institution=p["institution"],
            transit=p["transit"],
            account=p["account"],
            payee_name=p["payee_name"],
            cross_reference=f"OW{p['id']:017d}",
        )
        for p in Payment.objects.filter(run=run, method=PaymentMethod.EFT)
        .order_by("id")
        .values("id", "amount_cents", "institution", "transit", "account", "payee_name")
        .iterator(chunk_size=20_000)
    ]


def file_creation_number_take(originator_id: str) -> int:
    """The originator's next CPA-005 file creation number, under a row lock on its counter
    (call inside a transaction). 0001–9999; at 9999 the bank must confirm a restart (see
    cpa005's module docstring for the sources), so the build is refused, never wrapped."""
    # INSERT … ON CONFLICT DO NOTHING: two first builds at once both find the row.
    FileCreationCounter.objects.bulk_create(
        [FileCreationCounter(originator_id=originator_id)], ignore_conflicts=True
    )
    counter = FileCreationCounter.objects.select_for_update().get(originator_id=originator_id)
    if counter.last_number >= MAX_FILE_CREATION_NUMBER:
        raise ApplicationError(
            _(
                "Originator %(originator)s has used every file creation number up to 9999. "
                "Ask the bank to confirm that the numbering may start again at 0001 before "
                "another file is built."
            )
            % {"originator": originator_id},
            field="file_creation_number",
            code="file_numbers_exhausted",
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def run_payees_access_record(
    *, acting_user: User, run: PaymentRun, method: str, view_name: str, channel: str = "web"
) -> int:
    """A payment file or cheque list shows every payee's name and account: one access record
    per payee (the applicant of each case paid by `method` in the run), in one INSERT."""
    payees = dict(
        BenefitUnitMember.objects.filter(
            role=MemberRole.APPLICANT,
            benefit_unit__payments__run=run,
            benefit_unit__payments__method=method,
        )
        .values_list("person_id", "benefit_unit_id")
        .distinct()
    )
    return client_file_accesses_record(
        user=acting_user,
        person_ids=list(payees),
        benefit_unit_ids=payees,
        view_name=view_name,
        channel=channel,
        detail=f"run {run.pk}",
    )


def numbered_credit_file(
    *,
    acting_user: User,
    credits: list[Credit],
    originator: Originator,
    creation_date: dt.date,
    funds_date: dt.date,
    delivery_partner_id: int,
    run: PaymentRun | None = None,
    kind: str = PaymentFileKind.RUN,
) -> tuple[bytes, PaymentFile]:
    """Take the originator's next file creation number, build and validate the CPA-005 file,
    and record it (`PaymentFile`). Call inside the caller's transaction: a file that fails
    validation raises, and the rollback gives the number back. The one path of run files and
    reissue files."""
    number = file_creation_number_take(originator.originator_id)
    try:
        data, total, count = build_credit_file(
            credits,
            originator=originator,
            file_creation_number=number,
            creation_date=creation_date,
            funds_date=funds_date,
        )
    except Cpa005Error as exc:
        raise ApplicationError(
            _("The bank file was not written: %(problem)s.") % {"problem": str(exc)},
            field=exc.field,
            code="bank_file_invalid",
        ) from exc
    record = PaymentFile.objects.create(
        run=run,
        delivery_partner_id=delivery_partner_id,
        kind=kind,
        originator_id=originator.originator_id,
        file_creation_number=number,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        credit_count=count,
        credit_total_cents=total,
        created_on=creation_date,
        funds_on=funds_date,
        built_by=acting_user,
    )
    return data, record


@transaction.atomic
def payment_file_build(
    *,
    acting_user: User,
    run: PaymentRun,
    originator: Originator | None = None,
    creation_date: dt.date | None = None,
    funds_date: dt.date | None = None,
) -> tuple[bytes, PaymentFile]:
    """The CPA-005 credit file of a released run, with a new file creation number taken from
    the originator's sequence. Every file built is recorded (`PaymentFile`: number, hash,
    totals, who, when) and audited; a file that fails validation is never returned and its
    number is not used (the transaction rolls back)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    if run.status != RunStatus.RELEASED:
        raise ApplicationError(_("Only a released run has a payment file."), field="status")
    originator = originator or originator_for(run.delivery_partner)
    creation_date = creation_date or timezone.localdate()
    funds_date = funds_date or run.benefit_month
    data, record = numbered_credit_file(
        acting_user=acting_user,
        credits=run_credits(run),
        originator=originator,
        creation_date=creation_date,
        funds_date=funds_date,
        delivery_partner_id=run.delivery_partner_id,
        run=run,
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=record,
        delivery_partner_id=run.delivery_partner_id,
        extra_data={
            "kind": "cpa005",
            "run": run.pk,
            "file_creation_number": record.file_creation_number,
            "sha256": record.sha256,
            "credit_count": record.credit_count,
            "credit_total_cents": record.credit_total_cents,
        },
    )
    run_payees_access_record(
        acting_user=acting_user, run=run, method=PaymentMethod.EFT, view_name="payments:run_file"
    )
    fault_point("file_build")  # crash tests: killed before the commit (the number is not used)
    return data, record


@transaction.atomic
def payment_file_download_record(
    *, acting_user: User, run: PaymentRun, kind: str, size: int
) -> None:
    """Audit who took the bank file or the cheque list (both carry bank details/names)."""
    require_capability(acting_user, Capability.PAYMENT_RUN_APPROVE)
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_FILE_GENERATED,
        subject=run,
        delivery_partner_id=run.delivery_partner_id,
        extra_data={"kind": kind, "bytes": size},
    )


def cheque_list_csv(*, run: PaymentRun) -> str:
    """The released run's cheques (payments without a direct deposit account)."""
    if run.status != RunStatus.RELEASED:
        raise ApplicationError(_("Only a released run has a cheque list."), field="status")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["payment_id", "case_number", "payee_name", "benefit_month", "amount"])
    for p in (
        Payment.objects.filter(run=run, method=PaymentMethod.CHEQUE)
        .order_by("id")
        .values("id", "benefit_unit__case_number", "payee_name", "benefit_month", "amount_cents")
    ):
        writer.writerow(
            [
                p["id"],
                csv_cell(p["benefit_unit__case_number"]),
                csv_cell(p["payee_name"]),
                p["benefit_month"].strftime("%Y-%m"),
                format_cents(p["amount_cents"]),
            ]
        )
    return out.getvalue()
