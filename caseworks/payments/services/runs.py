"""Payment runs: dry run → approval (another supervisor) → release (idempotent, resumable).

* The dry run calculates every active, not-held case of the partner for the month with ONE
  rules call per chunk of DRY_RUN_CHUNK cases, stores a Determination per case and a run line
  per case with bulk inserts, then the totals, the variance against last month's payments and
  the unusual changes (|change| > UNUSUAL_CHANGE_PERCENT %).
* Release turns the approved lines into Payments chunk by chunk. Each chunk is one transaction
  that inserts the payments with `ignore_conflicts` (the database allows exactly one payment per
  case per month) and moves the run's checkpoint past the chunk. Killed half-way, the chunk
  rolls back; started again, release carries on from the checkpoint. Released twice, nothing new
  is created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.calculation import engine
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit, Task
from caseworks.cases.services import task_create
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.metrics import payment_run_observed
from caseworks.core.ownership import require_same_partner
from caseworks.eligibility.constants import DeterminationResult
from caseworks.eligibility.models import Determination
from caseworks.partners.models import DeliveryPartner

from ..bank_details import bank_details_run_guard
from ..bulk import copy_rows, id_in
from ..calc import calculate_many, determination_row
from ..constants import (
    DRY_RUN_CHUNK,
    UNUSUAL_CHANGE_PERCENT,
    LineKind,
    PaymentMethod,
    RunStatus,
)
from ..controls import (
    acknowledgements_record,
    benefit_month_check,
    held_cases_snapshot,
    require_approver,
)
from ..facts import build_month_facts, month_start
from ..faults import fault_point
from ..interim import interim_assistance_case_ids
from ..models import (
    BankAccount,
    Payment,
    PaymentProfile,
    PaymentRun,
    PaymentRunAcknowledgement,
    PaymentRunLine,
)
from ..run_states import run_may_move, run_transition_check

MISSING_REPORT_TASK_KIND = "income_report_missing"

UNUSUAL_LIST_LIMIT = 500


def _require_partner(acting_user: User, partner_id: int) -> None:
    require_same_partner(
        acting_user, partner_id, message=_("This payment run belongs to another delivery partner.")
    )


def run_candidate_ids(partner_id: int, month: dt.date) -> tuple[list[int], set[int]]:
    """(every case to calculate this month, the subset paid as interim assistance)."""
    held = PaymentProfile.objects.filter(
        benefit_unit__delivery_partner_id=partner_id, on_hold=True
    ).values("benefit_unit_id")
    active = set(
        BenefitUnit.objects.filter(
            delivery_partner_id=partner_id,
            status=CaseStatus.ACTIVE,
            opened_on__lt=month + relativedelta(months=1),
        )
        .exclude(pk__in=held)
        .values_list("pk", flat=True)
    )
    interim = interim_assistance_case_ids(partner_id) - active
    already_paid = set(
        Payment.objects.filter(
            benefit_unit__delivery_partner_id=partner_id, benefit_month=month
        ).values_list("benefit_unit_id", flat=True)
    )
    ids = sorted((active | interim) - already_paid)
    return ids, interim


def _check_month_order(delivery_partner: DeliveryPartner, month: dt.date) -> None:
    """A month is calculated from the one before (months in receipt, recovery, the payment it
    follows): a partner's months are run in order, each after the one before is released. A
    partner's first run may be any month."""
    if PaymentRun.objects.filter(
        delivery_partner=delivery_partner, benefit_month__gt=month
    ).exists():
        raise ApplicationError(
            _("A later month already has a run: months are run in order."), field="benefit_month"
        )
    latest = (
        PaymentRun.objects.filter(delivery_partner=delivery_partner, benefit_month__lt=month)
        .order_by("-benefit_month")
        .first()
    )
    if latest is None:
        return
    expected = month - relativedelta(months=1)
    if latest.benefit_month != expected:
        raise ApplicationError(
            _("Run %(month)s first: each month follows the one before.")
            % {"month": expected.strftime("%Y-%m")},
            field="benefit_month",
        )
    if latest.status != RunStatus.RELEASED:
        raise ApplicationError(
            _("Release the run for %(month)s first: each month follows the one before.")
            % {"month": latest.benefit_month.strftime("%Y-%m")},
            field="benefit_month",
        )


@transaction.atomic
def payment_run_prepare(
    *, acting_user: User, delivery_partner: DeliveryPartner, benefit_month: dt.date
) -> PaymentRun:
    """Open (or reopen for a new dry run) the run for the partner's month."""
    require_capability(acting_user, Capability.PAYMENT_RUN_PREPARE)
    _require_partner(acting_user, delivery_partner.pk)
    month = month_start(benefit_month)
    benefit_month_check(month)
    _check_month_order(delivery_partner, month)
    run, created = PaymentRun.objects.select_for_update().get_or_create(
        delivery_partner=delivery_partner,
        benefit_month=month,
        defaults={"prepared_by": acting_user},
    )
    if not created and not run_may_move(run.status, RunStatus.DRAFT):
        raise ApplicationError(
            _("The run for this month is already %(status)s; it cannot be prepared again.")
            % {"status": RunStatus(run.status).label},
            field="benefit_month",
        )
    run.status = RunStatus.DRAFT
    run.prepared_by = acting_user
    run.dry_run_queued_at = timezone.now()
    run.dry_run_error = ""
    run.dry_run_failed_at = None
    run._history_user = acting_user  # type: ignore[attr-defined]
    run.save(
        update_fields=[
            "status",
            "prepared_by",
            "dry_run_queued_at",
            "dry_run_error",
            "dry_run_failed_at",
            "modified_at",
        ]
    )
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_RUN_PREPARED,
        subject=run,
        delivery_partner_id=delivery_partner.pk,
        extra_data={"benefit_month": month.isoformat()},
    )
    return run


def _previous_amounts(ids: list[int], month: dt.date) -> dict[int, int]:
    return dict(
        Payment.objects.filter(
            id_in("benefit_unit_id", ids), benefit_month=month - relativedelta(months=1)
        ).values_list("benefit_unit_id", "amount_cents")
    )


def _current_accounts(ids: list[int]) -> dict[int, int]:
    """Case id → id of its current direct deposit account, once its cooling-off is over
    (bank_details.py: before `deposits_from` the case is paid by cheque)."""
    usable = Q(deposits_from__isnull=True) | Q(deposits_from__lte=timezone.localdate())
    return dict(
        BankAccount.objects.filter(
            usable, id_in("benefit_unit_id", ids), end_on__isnull=True
        ).values_list("benefit_unit_id", "id")
    )


def _is_unusual(previous: int | None, amount: int) -> bool:
    if previous is None or previous == 0:
        return False
    return abs(amount - previous) * 100 > UNUSUAL_CHANGE_PERCENT * previous


def _dry_run_chunk(
    run: PaymentRun, ids: list[int], interim: set[int], acting_user_id: int, rules_version: str
) -> None:
    month = run.benefit_month
    facts = build_month_facts(ids, month)
    outcomes = calculate_many(facts)
    determinations = [
        determination_row(
            o, benefit_month=month, acting_user_id=acting_user_id, rules_version=rules_version
        )
        for o in outcomes
    ]
    determination_ids = copy_rows(Determination, determinations)
    previous = _previous_amounts(ids, month)
    accounts = _current_accounts(ids)
    versions = dict(BenefitUnit.objects.filter(id_in("pk", ids)).values_list("pk", "version"))
    lines = []
    insufficient = DeterminationResult.INSUFFICIENT_INFORMATION.value
    for outcome, determination, determination_id in zip(
        outcomes, determinations, determination_ids, strict=True
    ):
        unit_id = outcome.facts.benefit_unit_id
        payment = determination["payment_cents"]
        if determination["result"] == insufficient:
            kind = LineKind.ERROR.value
        elif payment > 0:
            kind = LineKind.PAY.value
        else:
            kind = LineKind.NO_PAYMENT.value
        amount = payment if kind == LineKind.PAY else 0
        account_id = accounts.get(unit_id) if amount else None
        prev = previous.get(unit_id)
        lines.append(
            {
                "run_id": run.pk,
                "benefit_unit_id": unit_id,
                "determination_id": determination_id,
                "kind": kind,
                "amount_cents": amount,
                "recovery_cents": determination["overpayment_deduction_cents"] if amount else 0,
                "previous_amount_cents": prev,
                "months_in_receipt": outcome.facts.months_in_receipt,
                "method": (PaymentMethod.EFT.value if account_id else PaymentMethod.CHEQUE.value)
                if amount
                else "",
                "bank_account_id": account_id,
                "payee_name": outcome.facts.payee_name,
                "is_interim": unit_id in interim,
                "unusual": _is_unusual(prev, amount),
                "errors": outcome.errors if kind == LineKind.ERROR else [],
                "exceptions": outcome.facts.exceptions,
                "case_version": versions.get(unit_id, 0),
            }
        )
    copy_rows(PaymentRunLine, lines)
    unreported = [o.facts.benefit_unit_id for o in outcomes if o.facts.exceptions]
    if unreported:
        _missing_report_tasks(run, unreported, acting_user_id)


def _missing_report_tasks(run: PaymentRun, unit_ids: list[int], acting_user_id: int) -> None:
    """A task for the caseworker of each case paid without its income report (once per case
    and month, however often the run is dry-run)."""

    month_text = run.benefit_month.strftime("%Y-%m")
    title = _("Income report missing: payment for %(month)s made on the last known income") % {
        "month": month_text
    }
    # Once per case and month, whatever the language the title was written in.
    have = set(
        Task.objects.filter(
            id_in("benefit_unit_id", unit_ids),
            kind=MISSING_REPORT_TASK_KIND,
            title__contains=month_text,
        ).values_list("benefit_unit_id", flat=True)
    )
    acting_user = User.objects.get(pk=acting_user_id)
    for unit in BenefitUnit.objects.filter(id_in("pk", [u for u in unit_ids if u not in have])):
        task_create(
            acting_user=acting_user,
            title=title,
            due_on=timezone.localdate(),
            benefit_unit=unit,
            kind=MISSING_REPORT_TASK_KIND,
        )


def _run_totals(run: PaymentRun) -> None:
    lines = PaymentRunLine.objects.filter(run=run)
    pay = Q(kind=LineKind.PAY)
    totals = lines.aggregate(
        cases=Count("id"),
        payments=Count("id", filter=pay),
        total=Sum("amount_cents", filter=pay),
        eft=Count("id", filter=pay & Q(method=PaymentMethod.EFT)),
        eft_total=Sum("amount_cents", filter=pay & Q(method=PaymentMethod.EFT)),
        cheque=Count("id", filter=pay & Q(method=PaymentMethod.CHEQUE)),
        cheque_total=Sum("amount_cents", filter=pay & Q(method=PaymentMethod.CHEQUE)),
        recovery=Sum("recovery_cents", filter=pay),
        errors=Count("id", filter=Q(kind=LineKind.ERROR)),
    )
    run.case_count = totals["cases"]
    run.payment_count = totals["payments"]
    run.total_cents = totals["total"] or 0
    run.eft_count = totals["eft"]
    run.eft_total_cents = totals["eft_total"] or 0
    run.cheque_count = totals["cheque"]
    run.cheque_total_cents = totals["cheque_total"] or 0
    run.recovery_total_cents = totals["recovery"] or 0
    run.error_count = totals["errors"]
    previous = Payment.objects.filter(
        benefit_unit__delivery_partner_id=run.delivery_partner_id,
        benefit_month=run.benefit_month - relativedelta(months=1),
    ).aggregate(total=Sum("amount_cents"), count=Count("id"))
    run.previous_total_cents = previous["total"] if previous["count"] else None
    run.previous_payment_count = previous["count"] if previous["count"] else None
    run.unusual_changes = [
        {
            "line": line["id"],
            "benefit_unit": line["benefit_unit_id"],
            "case_number": line["benefit_unit__case_number"],
            "previous_cents": line["previous_amount_cents"],
            "amount_cents": line["amount_cents"],
        }
        for line in lines.filter(unusual=True)
        .order_by("id")
        .values(
            "id",
            "benefit_unit_id",
            "benefit_unit__case_number",
            "previous_amount_cents",
            "amount_cents",
        )[:UNUSUAL_LIST_LIMIT]
    ]


@payment_run_observed("dry_run")
def payment_run_dry_run(
    *, acting_user: User, run: PaymentRun, chunk_size: int = DRY_RUN_CHUNK
) -> PaymentRun:
    """Calculate and store the month for every case of the run (see module docstring).

    Chunks are committed one by one (a province-sized run must not be one huge transaction);
    a run interrupted here stays "draft" and is simply dry-run again (its old lines go first).
    """
    require_capability(acting_user, Capability.PAYMENT_RUN_PREPARE)
    _require_partner(acting_user, run.delivery_partner_id)
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        run_transition_check(run, RunStatus.DRAFT)
        # A month outside the window it was prepared in (a run left from before the bound, e.g.
        # 9999-12) fails here with a message, never deeper with a crash.
        benefit_month_check(run.benefit_month, today=timezone.localdate(run.created_at))
        run.status = RunStatus.DRAFT
        run.save(update_fields=["status", "modified_at"])
        # A new dry run resolves the cases the approver acknowledged: the list starts again.
        PaymentRunAcknowledgement.objects.filter(run=run).delete()
        # A run not yet approved has no payment: its old lines go in one statement (the ORM
        # would load 300,000 lines to look for protected payments first).
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{PaymentRunLine._meta.db_table}" WHERE run_id = %s',  # noqa: S608
                [run.pk],
            )
    ids, interim = run_candidate_ids(run.delivery_partner_id, run.benefit_month)
    rules_version = engine.rules_version()
    for start in range(0, len(ids), chunk_size):
        with transaction.atomic():
            _dry_run_chunk(
                run, ids[start : start + chunk_size], interim, acting_user.pk, rules_version
            )
        fault_point("dry_run_chunk")  # crash tests: killed between two committed chunks
    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().get(pk=run.pk)
        _run_totals(run)
        run.held_cases = held_cases_snapshot(run.delivery_partner_id)
        run.dry_run_error = ""
        run.dry_run_failed_at = None
        run.status = RunStatus.DRY_RUN_COMPLETE
        run.rules_version = rules_version
        run.dry_run_at = timezone.now()
        run.prepared_by = acting_user
        run._history_user = acting_user  # type: ignore[attr-defined]
        run.save()
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.PAYMENT_RUN_DRY_RUN_COMPLETED,
            subject=run,
            delivery_partner_id=run.delivery_partner_id,
            extra_data={
                "benefit_month": run.benefit_month.isoformat(),
                "cases": run.case_count,
                "payments": run.payment_count,
                "total_cents": run.total_cents,
                "errors": run.error_count,
                "held": len(run.held_cases),
                "unusual": len(run.unusual_changes),
            },
        )
    return run


@transaction.atomic
def payment_run_approve(
    *,
    acting_user: User,
    run: PaymentRun,
    acknowledged: Collection[int] = (),
    reviewed: bool = False,
) -> PaymentRun:
    """An approver (controls.py: the partner's pool or supervisors, or a Ministry finance
    approver) approves the dry run's figures; never the person who prepared it. Every case not
    calculated or held must be acknowledged (`acknowledged`: case ids, signed now or before)
    and, if there is any, the approver confirms having reviewed them (`reviewed`)."""
    require_approver(acting_user, run)
    locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
    run_transition_check(locked, RunStatus.APPROVED)
    if locked.prepared_by_id == acting_user.pk:
        raise ApplicationError(
            _("You prepared this run; another approver must approve it."), field="approved_by"
        )
    bank_details_run_guard(acting_user=acting_user, run=locked)
    items = acknowledgements_record(
        acting_user=acting_user, run=locked, benefit_unit_ids=acknowledged, reviewed=reviewed
    )
    locked.status = RunStatus.APPROVED
    locked.approved_by = acting_user
    locked.approved_at = timezone.now()
    locked._history_user = acting_user  # type: ignore[attr-defined]
    locked.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_RUN_APPROVED,
        subject=locked,
        delivery_partner_id=locked.delivery_partner_id,
        extra_data={
            "total_cents": locked.total_cents,
            "payments": locked.payment_count,
            "not_paid_acknowledged": len(items),
        },
    )
    fault_point("approve")  # crash tests: killed with every write done, before the commit
    return locked
