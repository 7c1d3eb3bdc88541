"""Run controls (issue 12): which months may be run, who may approve a run and why not, the
cases an approver must resolve or acknowledge, the dry run's failures, and the approver pool.

* Benefit months are the current and the next month in Ontario (America/Toronto); a past month
  is changed only by recalculation (`recalc.py`).
* A run is approved by an approver of its partner who did not prepare it: the partner's named
  approvers (the pool its partner administrator keeps) or, without a pool, its supervisors; the
  Ministry's finance approvers (pool entries without a partner) are the fallback for every
  partner (e.g. a partner whose only supervisor prepared the run).
* Every case the run could not calculate and every case held must be resolved (a new dry run)
  or acknowledged by the approver, who signs the list (who, which case, when) at the approval.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability, Role
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus
from caseworks.cases.services import task_create
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.partners.models import DeliveryPartner

from .constants import LineKind, RunStatus
from .models import PaymentApprover, PaymentProfile, PaymentRun, PaymentRunAcknowledgement
from .run_states import run_transition_refusal

ACK_ERROR = "error"
ACK_HELD = "held"
DRY_RUN_ALERT_TASK_KIND = "payment_run_dry_run_failed"


# --- Benefit months ---------------------------------------------------------------------------


def open_benefit_months(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(current month, next month) in Ontario."""
    current = (today or timezone.localdate()).replace(day=1)
    return current, current + relativedelta(months=1)


def benefit_month_check(month: dt.date, *, today: dt.date | None = None) -> None:
    """Refuse a run for any month but the current and the next one.

    `settings.PAYMENT_RUN_MONTHS_BOUNDED` (True unless a test suite that replays 2026's months
    turns it off; tests/test_run_controls.py runs with it on)."""
    if not getattr(settings, "PAYMENT_RUN_MONTHS_BOUNDED", True):
        if not dt.date(2000, 1, 1) <= month <= dt.date(2100, 12, 1):
            raise ApplicationError(
                _("The benefit month must be between 2000-01 and 2100-12."),
                field="benefit_month",
                code="month_out_of_range",
            )
        return
    current, following = open_benefit_months(today)
    if month not in (current, following):
        raise ApplicationError(
            _(
                "A payment run can be prepared only for the current month (%(current)s) or the "
                "next one (%(next)s); a past month is corrected by recalculation."
            )
            % {"current": current.strftime("%Y-%m"), "next": following.strftime("%Y-%m")},
            field="benefit_month",
            code="month_out_of_range",
        )


# --- Approvers --------------------------------------------------------------------------------


def partner_pool(partner_id: int) -> list[Any]:
    return [
        a.user
        for a in PaymentApprover.objects.filter(delivery_partner_id=partner_id, active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
        if a.user.is_active
    ]


def is_ministry_approver(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.delivery_partner_id is None
        and PaymentApprover.objects.filter(
            delivery_partner__isnull=True, user_id=user.pk, active=True
        ).exists()
    )


def money_role(user: Any) -> bool:
    """A role that prepares or approves payment runs: given only with a second administrator's
    approval (accounts.constants.ROLES_NEEDING_SECOND_APPROVER). Seeing payments is not enough:
    an auditor sees them, and a partner administrator alone can invite an auditor (issue 13)."""
    return user.has_capability(Capability.PAYMENT_RUN_PREPARE) or user.has_capability(
        Capability.PAYMENT_RUN_APPROVE
    )


def _may_act(user: Any, partner_id: int) -> str | None:
    """Why the user may not approve or release the partner's runs (None: they may)."""
    if is_ministry_approver(user):
        return None
    if user.delivery_partner_id != partner_id:
        return _("This payment run belongs to another delivery partner.")
    pool = partner_pool(partner_id)
    if pool:
        if any(u.pk == user.pk for u in pool) and money_role(user):
            return None
        return _("Only this partner's named approvers may approve and release payment runs.")
    if user.has_capability(Capability.PAYMENT_RUN_APPROVE):
        return None
    return _(
        "Your role cannot approve payment runs: supervisors can, or the approvers your partner "
        "administrator names."
    )


def approve_refusal(user: Any, run: PaymentRun) -> str | None:
    """Why the user may not approve this run now (None: they may)."""
    reason = _may_act(user, run.delivery_partner_id)
    if reason:
        return reason
    if run.prepared_by_id == user.pk:
        return _("You prepared this run; another approver must approve it.")
    refusal = run_transition_refusal(run, RunStatus.APPROVED)
    return refusal.message if refusal else None


def require_approver(user: Any, run: PaymentRun) -> None:
    """Approve/release rights (not the status): PermissionDeniedError otherwise."""
    reason = _may_act(user, run.delivery_partner_id)
    if reason:
        raise PermissionDeniedError(reason)


def approvers_description(run: PaymentRun) -> dict[str, Any]:
    """Who may approve this run, for the run page."""

    pool = partner_pool(run.delivery_partner_id)
    if pool:
        people = pool
        basis = _("the approvers named by your partner administrator")
    else:
        people = list(
            User.objects.filter(
                delivery_partner_id=run.delivery_partner_id, role=Role.SUPERVISOR, is_active=True
            ).order_by("last_name", "first_name")
        )
        basis = _("the partner's supervisors (no approver pool is named)")
    eligible = [u for u in people if u.pk != run.prepared_by_id]
    ministry = PaymentApprover.objects.filter(delivery_partner__isnull=True, active=True).count()
    return {"people": eligible, "basis": basis, "ministry_count": ministry}


# --- Exceptions to resolve or acknowledge -------------------------------------------------------


def held_cases_snapshot(partner_id: int) -> list[dict[str, Any]]:
    """The partner's active cases on hold (not paid by this run), for the approver's list."""

    return [
        {"benefit_unit": unit_id, "case_number": number, "reason": reason[:300]}
        for unit_id, number, reason in PaymentProfile.objects.filter(
            benefit_unit__delivery_partner_id=partner_id,
            benefit_unit__status=CaseStatus.ACTIVE,
            on_hold=True,
        )
        .order_by("benefit_unit_id")
        .values_list("benefit_unit_id", "benefit_unit__case_number", "hold_reason")
    ]


def run_open_items(run: PaymentRun) -> list[dict[str, Any]]:
    """Every case the approver must acknowledge: not calculated (with the reasons), or held."""
    items: list[dict[str, Any]] = [
        {
            "benefit_unit": line.benefit_unit_id,
            "case_number": line.benefit_unit.case_number,
            "kind": ACK_ERROR,
            "reason": "; ".join(str(e) for e in line.errors) or _("not calculated"),
        }
        for line in run.lines.filter(kind=LineKind.ERROR)
        .select_related("benefit_unit")
        .order_by("benefit_unit_id")
    ]
    items += [
        {
            "benefit_unit": held["benefit_unit"],
            "case_number": held["case_number"],
            "kind": ACK_HELD,
            "reason": held.get("reason") or _("payments on hold"),
        }
        for held in run.held_cases
    ]
    acknowledged = dict(
        PaymentRunAcknowledgement.objects.filter(run=run).values_list(
            "benefit_unit_id", "acknowledged_by__username"
        )
    )
    for item in items:
        item["acknowledged_by"] = acknowledged.get(item["benefit_unit"])
    return items


def acknowledgements_record(
    *, acting_user: User, run: PaymentRun, benefit_unit_ids: Iterable[int], reviewed: bool
) -> list[dict[str, Any]]:
    """Inside the approval's transaction: sign the acknowledged cases, then refuse the approval
    (nothing saved) if any case is left neither resolved nor acknowledged, or if a run with
    such cases was not confirmed as reviewed."""
    items = run_open_items(run)
    if not items:
        return []
    wanted = {int(i) for i in benefit_unit_ids}
    now = timezone.now()
    signed = []
    for item in items:
        if item["acknowledged_by"] is None and item["benefit_unit"] in wanted:
            PaymentRunAcknowledgement.objects.create(
                run=run,
                benefit_unit_id=item["benefit_unit"],
                kind=item["kind"],
                reason=item["reason"][:1000],
                acknowledged_by=acting_user,
                acknowledged_at=now,
            )
            item["acknowledged_by"] = acting_user.username
            signed.append(item)
    missing = [item["case_number"] for item in items if item["acknowledged_by"] is None]
    if missing:
        shown = ", ".join(missing[:20]) + ("…" if len(missing) > 20 else "")
        raise ApplicationError(
            _(
                "%(count)d case(s) are neither resolved by a new dry run nor acknowledged: "
                "%(cases)s."
            )
            % {"count": len(missing), "cases": shown},
            field="acknowledged",
            code="unacknowledged",
        )
    if not reviewed:
        raise ApplicationError(
            _("Confirm that you have reviewed the %(count)d cases this run does not pay.")
            % {"count": len(items)},
            field="reviewed",
            code="not_reviewed",
        )
    if signed:
        audit_record(
            acting_user=acting_user,
            event_type=AuditEventType.PAYMENT_RUN_EXCEPTIONS_ACKNOWLEDGED,
            subject=run,
            delivery_partner_id=run.delivery_partner_id,
            extra_data={
                "acknowledged": [
                    {"benefit_unit": i["benefit_unit"], "kind": i["kind"]} for i in signed
                ],
                "at": now.isoformat(),
            },
        )
    return items


# --- Dry-run failures ---------------------------------------------------------------------------


def payment_run_dry_run_failed(*, run_id: int, error: str) -> PaymentRun | None:
    """Mark the run's dry run failed, visibly (the run page shows it), audit it and alert the
    partner's supervisors with a task. A run already past its dry run is left alone."""

    with transaction.atomic():
        run = PaymentRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.DRAFT:
            return run
        run.dry_run_error = error[:2000]
        run.dry_run_failed_at = timezone.now()
        run.save(update_fields=["dry_run_error", "dry_run_failed_at", "modified_at"])
        audit_record(
            acting_user=run.prepared_by,
            event_type=AuditEventType.PAYMENT_RUN_DRY_RUN_FAILED,
            subject=run,
            delivery_partner_id=run.delivery_partner_id,
            extra_data={"benefit_month": run.benefit_month.isoformat(), "error": error[:500]},
        )
        title = _("The dry run of the payment run for %(month)s failed: %(error)s") % {
            "month": run.benefit_month.strftime("%Y-%m"),
            "error": error[:120],
        }
        supervisors = User.objects.filter(
            delivery_partner_id=run.delivery_partner_id, role=Role.SUPERVISOR, is_active=True
        )
        actor = run.prepared_by
        if not actor.has_capability(Capability.TASK_MANAGE):
            actor = supervisors.first() or actor
        if actor.has_capability(Capability.TASK_MANAGE):
            for supervisor in supervisors:
                task_create(
                    acting_user=actor,
                    title=title,
                    due_on=timezone.localdate(),
                    assigned_to=supervisor,
                    kind=DRY_RUN_ALERT_TASK_KIND,
                )
    return run


# --- The approver pool --------------------------------------------------------------------------


def _require_pool_manager(acting_user: User, partner: DeliveryPartner | None) -> None:
    if partner is None:
        if not (acting_user.delivery_partner_id is None and acting_user.is_superuser):
            raise PermissionDeniedError(_("Only the Ministry names its finance approvers."))
        return
    if not acting_user.has_capability(Capability.STAFF_MANAGE):
        raise PermissionDeniedError(_("Only a partner administrator names the approvers."))
    if acting_user.delivery_partner_id != partner.pk:
        raise PermissionDeniedError(_("This delivery partner is not yours."))


@transaction.atomic
def payment_approver_set(
    *, acting_user: User, delivery_partner: DeliveryPartner | None, user: Any, active: bool
) -> PaymentApprover:
    """Name (or remove) an approver of the partner's payment runs (without a partner: one of
    the Ministry's finance approvers). Audited with the old and new value."""
    _require_pool_manager(acting_user, delivery_partner)
    partner_id = delivery_partner.pk if delivery_partner else None
    if active and user.delivery_partner_id != partner_id:
        raise ApplicationError(
            _("An approver must be staff of the same delivery partner."), field="user"
        )
    if active and partner_id is not None and not money_role(user):
        raise ApplicationError(
            _("An approver must have a role that handles payment runs (caseworker or supervisor)."),
            field="user",
        )
    if active and not user.is_active:
        raise ApplicationError(_("This account is not active."), field="user")
    approver = (
        PaymentApprover.objects.select_for_update()
        .filter(delivery_partner_id=partner_id, user=user)
        .first()
    )
    old = approver.active if approver else None
    if approver is None:
        approver = PaymentApprover(delivery_partner_id=partner_id, user=user, added_by=acting_user)
    approver.active = active
    approver._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    approver.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.PAYMENT_APPROVER_CHANGED,
        subject=approver,
        delivery_partner_id=partner_id,
        extra_data={"user": user.pk, "old": {"active": old}, "new": {"active": active}},
    )
    return approver
