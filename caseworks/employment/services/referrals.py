"""Writes for referrals to employment-services providers and their no-response tasks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import OPEN_STATUSES, TaskStatus
from caseworks.cases.models import BenefitUnit, Task
from caseworks.cases.scheduling import scheduled_task_actor
from caseworks.cases.services import task_create
from caseworks.clients.models import Person
from caseworks.core.access import require_capability
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError
from caseworks.core.ownership import require_same_partner

from ..constants import (
    DEFAULT_RESPONSE_DAYS,
    REFERRAL_RESPONSE_TASK_KIND,
    REFERRAL_TRANSITIONS,
    Channel,
    ReferralStatus,
    SharedInformation,
)
from ..models import (
    Referral,
    ReferralStatusChange,
    ServiceProvider,
)
from ._common import (
    MAX_RESPONSE_DAYS,
    RaiseResult,
    _audit_case,
    _require_current_member,
    _save,
    logger,
)
from .providers import _require_provider_may_answer

# --- Referrals ----------------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    person: Person,
    provider: ServiceProvider,
    purpose: str,
    consent_given: bool,
    information_shared: list[str],
    expected_response_days: int = DEFAULT_RESPONSE_DAYS,
    sent_on: dt.date | None = None,
) -> Referral:
    """Refer a member of an open case to a provider, with their recorded consent."""
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    require_same_partner(acting_user, benefit_unit.delivery_partner_id)
    if benefit_unit.status not in OPEN_STATUSES:
        raise ApplicationError(_("Referrals can only be made on an open case."), field="status")
    _require_current_member(benefit_unit, person)
    if not consent_given:
        raise ApplicationError(
            _("The client must consent before their information is shared."),
            field="consent_given",
            code="consent_required",
        )
    if not provider.is_active or provider.delivery_partner_id not in (
        None,
        benefit_unit.delivery_partner_id,
    ):
        raise ApplicationError(_("Choose a provider from your directory."), field="provider")
    unknown = [item for item in information_shared if item not in SharedInformation.values]
    if unknown or not information_shared:
        raise ApplicationError(
            _("Choose what information is shared with the provider."), field="information_shared"
        )
    if not purpose.strip():
        raise ApplicationError(_("Give the reason for the referral."), field="purpose")
    if not 1 <= expected_response_days <= MAX_RESPONSE_DAYS:
        raise ApplicationError(
            _("The expected response time must be between 1 and %(max)d days.")
            % {"max": MAX_RESPONSE_DAYS},
            field="expected_response_days",
        )
    today = timezone.localdate()
    sent_on = sent_on or today
    if sent_on > today:
        raise ApplicationError(_("The referral cannot be sent in the future."), field="sent_on")
    shared = sorted(set(information_shared))
    referral = Referral(
        benefit_unit=benefit_unit,
        person=person,
        provider=provider,
        purpose=purpose.strip(),
        consent_given=True,
        consent_recorded_on=today,
        information_shared=shared,
        **referral_shared_snapshot(person=person, information_shared=shared),
        status=ReferralStatus.SENT,
        sent_on=sent_on,
        expected_response_days=expected_response_days,
        response_due_on=sent_on + dt.timedelta(days=expected_response_days),
        referred_by=acting_user,
    )
    _save(referral, acting_user)
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status="",
        to_status=ReferralStatus.SENT,
        channel=Channel.WEB,
        changed_by=acting_user,
        changed_at=timezone.now(),
    )
    _audit_case(
        acting_user,
        AuditEventType.REFERRAL_SENT,
        referral,
        benefit_unit,
        person.pk,
        provider=provider.pk,
        information_shared=referral.information_shared,
        response_due_on=referral.response_due_on.isoformat(),
    )
    return referral


def referral_shared_snapshot(*, person: Person, information_shared: list[str]) -> dict[str, str]:
    """The copy of the client's details the provider will see, made when the referral is sent:
    the name, and only what the client consented to share (phone and e-mail with "contact",
    the language of service with "language"). Anything not consented stays blank."""
    shared = set(information_shared)
    contact = SharedInformation.CONTACT in shared
    return {
        "shared_first_name": person.first_name,
        "shared_last_name": person.last_name,
        "shared_phone": person.phone if contact else "",
        "shared_email": person.email if contact else "",
        "shared_language": person.language_preference
        if SharedInformation.LANGUAGE in shared
        else "",
    }


def referral_transition_error(referral: Referral, to_status: str) -> str | None:
    if to_status not in ReferralStatus.values:
        return _("Unknown referral status “%(status)s”.") % {"status": to_status}
    allowed = REFERRAL_TRANSITIONS[referral.status]
    if to_status not in allowed:
        return _("A referral that is “%(from)s” cannot become “%(to)s”. Allowed: %(allowed)s.") % {
            "from": ReferralStatus(referral.status).label,
            "to": ReferralStatus(to_status).label,
            "allowed": ", ".join(str(ReferralStatus(s).label) for s in sorted(allowed))
            or _("none (this status is final)"),
        }
    return None


def _referral_change_status(
    *, acting_user: User, referral: Referral, to_status: str, note: str, channel: str
) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    error = referral_transition_error(locked, to_status)
    if error:
        raise ApplicationError(error, field="status", code="invalid_transition")
    if to_status == ReferralStatus.DECLINED and not note.strip():
        raise ApplicationError(_("Give the reason the referral was declined."), field="note")
    from_status = locked.status
    locked.status = to_status
    locked.status_note = note.strip()
    fields = ["status", "status_note"]
    now = timezone.now()
    if locked.responded_at is None:
        locked.responded_at = now
        fields.append("responded_at")
    _save(locked, acting_user, fields)
    ReferralStatusChange.objects.create(
        referral=locked,
        from_status=from_status,
        to_status=to_status,
        note=note.strip(),
        channel=channel,
        changed_by=acting_user,
        changed_at=now,
    )
    # The provider answered: a pending "no response" task is no longer needed.
    if locked.no_response_task_id is not None and from_status == ReferralStatus.SENT:
        task = Task.objects.select_for_update().get(pk=locked.no_response_task_id)
        if task.status == TaskStatus.OPEN:
            task.status = TaskStatus.DONE
            task.completed_at = now
            task._history_user = acting_user  # type: ignore[attr-defined]
            task.save(update_fields=["status", "completed_at", "modified_at"])
    benefit_unit = BenefitUnit.objects.get(pk=locked.benefit_unit_id)
    _audit_case(
        acting_user,
        AuditEventType.REFERRAL_STATUS_CHANGED,
        locked,
        benefit_unit,
        locked.person_id,
        old=from_status,
        new=to_status,
        channel=channel,
        note=note.strip(),
    )
    return locked


@transaction.atomic
def referral_status_change(
    *, acting_user: User, referral: Referral, to_status: str, note: str = ""
) -> Referral:
    """Staff record the provider's answer or the client's progress."""
    require_capability(acting_user, Capability.REFERRAL_MANAGE)
    require_same_partner(acting_user, referral.benefit_unit.delivery_partner_id)
    return _referral_change_status(
        acting_user=acting_user, referral=referral, to_status=to_status, note=note, channel="web"
    )


@transaction.atomic
def referral_provider_respond(
    *, acting_user: User, referral: Referral, to_status: str, note: str = ""
) -> Referral:
    """The receiving provider accepts, declines or reports progress (provider API), while the
    referral is active."""
    _require_provider_may_answer(acting_user, referral)
    return _referral_change_status(
        acting_user=acting_user, referral=referral, to_status=to_status, note=note, channel="api"
    )


def referral_overdue_tasks_raise(*, as_of: dt.date | None = None) -> RaiseResult:
    """Scheduled job: a task for every referral still unanswered after its expected time.

    Idempotent: a referral holds at most one such task (Referral.no_response_task).
    """
    as_of = as_of or timezone.localdate()
    result = RaiseResult()
    ids = list(
        Referral.objects.filter(
            status=ReferralStatus.SENT,
            response_due_on__lt=as_of,
            no_response_task__isnull=True,
            benefit_unit__status__in=list(OPEN_STATUSES),
        ).values_list("pk", flat=True)
    )
    for referral_id in ids:
        if _raise_referral_task(referral_id=referral_id):
            result.created += 1
        else:
            result.skipped += 1
    return result


@transaction.atomic
def _raise_referral_task(*, referral_id: int) -> bool:
    referral = (
        Referral.objects.select_for_update(skip_locked=True)
        .filter(pk=referral_id, no_response_task__isnull=True, status=ReferralStatus.SENT)
        .first()
    )
    if referral is None:
        return False
    benefit_unit = BenefitUnit.objects.select_related("caseworker").get(pk=referral.benefit_unit_id)
    provider = ServiceProvider.objects.get(pk=referral.provider_id)
    referred_by = referral.referred_by
    actor = scheduled_task_actor(benefit_unit=benefit_unit, preferred=referred_by)
    if actor is None:
        logger.warning("No staff member can take the no-response task for referral %s", referral.pk)
        return False
    task = task_create(
        acting_user=actor,
        title=_("No response to referral to %(provider)s (expected by %(due)s)")
        % {"provider": provider.name, "due": referral.response_due_on.isoformat()},
        due_on=timezone.localdate(),
        benefit_unit=benefit_unit,
        kind=REFERRAL_RESPONSE_TASK_KIND,
    )
    referral.no_response_task = task
    referral._history_user = actor  # type: ignore[attr-defined]
    referral.save(update_fields=["no_response_task", "modified_at"])
    return True
