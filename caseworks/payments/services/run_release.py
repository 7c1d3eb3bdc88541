"""Release of an approved payment run (idempotent, resumable, one transaction per chunk),
corrections for cases that changed after approval, and stalled runs."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.cases.models import BenefitUnit
from caseworks.cases.services import task_create
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.core.metrics import payment_run_observed

from ..bank_details import bank_details_run_guard
from ..constants import (
    RELEASE_CHUNK,
    LineKind,
    RunStatus,
)
from ..controls import (
    require_approver,
)
from ..ledger import recoveries_insert
from ..models import (
    BankAccount,
    Payment,
    PaymentRun,
    PaymentRunLine,
)
from ..run_states import run_transition_check
from .recalculation import recalculation_apply


def _release_chunk(run: PaymentRun, after_id: int, upto_id: int, user_id: int) -> None:
    """Payments (and recovery ledger entries) for the run's lines with after_id < id <= upto_id,
    set-based in the database. ON CONFLICT DO NOTHING: a case already paid for the month (the
    unique constraint) or a recovery already recorded for a payment is skipped, never doubled."""
    now = timezone.now()
    payment = Payment._meta.db_table
    line = PaymentRunLine._meta.db_table
    bank = BankAccount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO "{payment}" (benefit_unit_id, benefit_month, run_id, line_id,
                determination_id, amount_cents, recovery_cents, months_in_receipt, method,
                institution, transit, account, payee_name, is_interim, issued_at)
            SELECT l.benefit_unit_id, %s, l.run_id, l.id, l.determination_id, l.amount_cents,
                l.recovery_cents, l.months_in_receipt, l.method, COALESCE(b.institution, ''),
                COALESCE(b.transit, ''), COALESCE(b.account, ''), l.payee_name, l.is_interim, %s
            FROM "{line}" l LEFT OUTER JOIN "{bank}" b ON (b.id = l.bank_account_id)
            WHERE l.run_id = %s AND l.kind = %s AND l.id > %s AND l.id <= %s
            ORDER BY l.id
            ON CONFLICT DO NOTHING
            """,  # noqa: S608  # table names from the models' metadata, values are parameters
            [run.benefit_month, now, run.pk, LineKind.PAY, after_id, upto_id],
        )
    recoveries_insert(
        run_id=run.pk,
        benefit_month=run.benefit_month,
        after_id=after_id,
        upto_id=upto_id,
        user_id=user_id,
        now=now,
    )


def _chunk_end(run: PaymentRun, after_id: int, chunk_size: int) -> int | None:
    """The id of the last line of the next chunk, or None when every line is released."""
    ids = list(
        PaymentRunLine.objects.filter(run=run, kind=LineKind.PAY, id__gt=after_id)
        .order_by("id")
        .values_list("id", flat=True)[chunk_size - 1 : chunk_size]
    )
    if ids:
        return int(ids[0])
    last = (
        PaymentRunLine.objects.filter(run=run, kind=LineKind.PAY, id__gt=after_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return int(last) if last is not None else None


@transaction.atomic
def _release_start(*, acting_user: User, run: PaymentRun) -> PaymentRun:
    locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
    if locked.status == RunStatus.RELEASED:
        return locked
    run_transition_check(locked, RunStatus.RELEASING)
    if locked.status == RunStatus.APPROVED:
        bank_details_run_guard(acting_user=acting_user, run=locked)
        locked.status = RunStatus.RELEASING
        locked.released_by = acting_user
        locked.release_started_at = timezone.now()
        locked._history_user = acting_user  # type: ignore[attr-defined]
        locked.save()
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.PAYMENT_RUN_RELEASE_STARTED,
            subject=locked,
            delivery_partner_id=locked.delivery_partner_id,
            extra_data={"total_cents": locked.total_cents},
        )
    return locked


@payment_run_observed("release")
def payment_run_release(
    *,
    acting_user: User,
    run: PaymentRun,
    chunk_size: int = RELEASE_CHUNK,
    pause_seconds: float = 0.0,
) -> PaymentRun:
    """Issue the approved run's payments (see module docstring). Safe to call again at any time.

    `pause_seconds` throttles between chunks (to spread the load; the crash test uses it to
    stop a release half-way)."""
    require_approver(acting_user, run)
    run = _release_start(acting_user=acting_user, run=run)
    if run.status == RunStatus.RELEASED:
        # Released before: nothing more to create; finish any correction a crash interrupted.
        _correct_changed_cases(run, acting_user)
        return run
    user_id = run.released_by_id or acting_user.pk
    while True:
        with transaction.atomic():
            locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
            upto = _chunk_end(locked, locked.release_checkpoint, chunk_size)
            if upto is None:
                break
            _release_chunk(locked, locked.release_checkpoint, upto, user_id)
            locked.release_checkpoint = upto
            locked.save(update_fields=["release_checkpoint", "modified_at"])
        if pause_seconds:
            time.sleep(pause_seconds)
    with transaction.atomic():
        locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if locked.status == RunStatus.RELEASED:
            return locked
        run_transition_check(locked, RunStatus.RELEASED)
        issued = Payment.objects.filter(run=locked).aggregate(
            count=Count("id"), total=Sum("amount_cents")
        )
        locked.released_count = issued["count"]
        locked.released_total_cents = issued["total"] or 0
        locked.status = RunStatus.RELEASED
        locked.released_at = timezone.now()
        locked._history_user = acting_user  # type: ignore[attr-defined]
        locked.save()
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.PAYMENT_RUN_RELEASED,
            subject=locked,
            delivery_partner_id=locked.delivery_partner_id,
            extra_data={
                "payments": locked.released_count,
                "total_cents": locked.released_total_cents,
                "dry_run_total_cents": locked.total_cents,
            },
        )
    _correct_changed_cases(locked, acting_user)
    return locked


def _correct_changed_cases(run: PaymentRun, acting_user: User) -> dict[str, list[int]]:
    """Cases whose facts changed after their line was calculated (an income report, a change
    of circumstances or of members between the dry run and the release) were paid what the
    approved line said: each is now corrected against its payment, booking only the difference,
    as any correction of a paid month is.

    After the run is released (the money is out whatever happens here), one case at a time in
    its own transaction: a case that cannot be corrected (it left the partner, its month cannot
    be calculated any more) gets a task for its caseworker instead, and never holds the run.
    A corrected line takes the case's version, so calling this again corrects only the rest."""
    line = PaymentRunLine._meta.db_table
    unit = BenefitUnit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT l.id, l.benefit_unit_id FROM "{line}" l
            JOIN "{unit}" u ON (u.id = l.benefit_unit_id)
            WHERE l.run_id = %s AND l.kind = %s AND u.version <> l.case_version
            ORDER BY l.benefit_unit_id
            """,  # noqa: S608  # table names from the models' metadata, values are parameters
            [run.pk, LineKind.PAY],
        )
        changed = cursor.fetchall()
    result: dict[str, list[int]] = {"corrected": [], "not_corrected": []}
    for line_id, unit_id in changed:
        case = BenefitUnit.objects.get(pk=unit_id)
        try:
            with transaction.atomic():
                if case.delivery_partner_id != run.delivery_partner_id:
                    raise ApplicationError(_("The case now belongs to another delivery partner."))
                recalculation_apply(
                    acting_user=acting_user,
                    benefit_unit=case,
                    from_month=run.benefit_month,
                    edit=lambda: None,
                )
                case.refresh_from_db(fields=["version"])
                PaymentRunLine.objects.filter(pk=line_id).update(case_version=case.version)
            result["corrected"].append(unit_id)
        except (ApplicationError, PermissionDeniedError) as exc:
            result["not_corrected"].append(unit_id)
            _correction_task(run, case, acting_user, str(exc))
    if changed:
        with transaction.atomic():
            audit_record(
                acting_user=acting_user,
                event_type=AuditEventType.RECALCULATION_APPLIED,
                subject=run,
                delivery_partner_id=run.delivery_partner_id,
                extra_data={"after_release_of": run.benefit_month.isoformat(), **result},
            )
    return result


def _correction_task(run: PaymentRun, case: BenefitUnit, acting_user: User, reason: str) -> None:
    """The case was paid the approved amount but changed since, and could not be corrected by
    itself: its caseworker checks the paid months by hand (the money page does it)."""

    if case.delivery_partner_id != run.delivery_partner_id:
        return  # another partner's case now: the audit record names it for the finance office
    with transaction.atomic():
        task_create(
            acting_user=acting_user,
            title=_(
                "Check the payment for %(month)s: the case changed after the dry run (%(reason)s)"
            )
            % {"month": run.benefit_month.strftime("%Y-%m"), "reason": reason[:120]},
            due_on=timezone.localdate(),
            benefit_unit=case,
            kind="payment_check_after_release",
        )
        PaymentRunLine.objects.filter(run=run, benefit_unit=case).update(case_version=case.version)


def payment_runs_stalled(*, stalled_after: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    """Runs left half-released (their worker died): status "releasing" and no checkpoint moved
    for `stalled_after`. Releasing them again carries on from the checkpoint."""
    cutoff = timezone.now() - stalled_after
    return list(
        PaymentRun.objects.filter(status=RunStatus.RELEASING, modified_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
