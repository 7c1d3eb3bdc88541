"""Health benefit authorizations (issue 16): a caseworker asks that a vendor be authorized to
provide a health item or service to a member of the case (limit, period, vendor); another person
approves or refuses it (four eyes, as for one-time payments); the vendor's invoice recorded
against an approved authorization becomes a one-time payment to the vendor, already approved,
which the next between-run batch issues (`onetime.one_time_batch_issue`: cheque or CPA-005, one
ledger entry, the same reconciliation). The batch marks the authorization paid
(`authorization_paid.health_authorizations_paid`).

The rules come from `health_rules` (the rules package's dated parameters) and the partner's
s. 59 amount (`OneTimePolicy`). The second factor of the approver is checked by the page, as
for every money action."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.cases.constants import CaseStatus
from caseworks.cases.models import BenefitUnit, BenefitUnitMember
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, SeveralApplicationError
from caseworks.core.money import display_cents

from .. import health_rules
from ..constants import (
    DISCRETIONARY_AUTHORIZATION_KINDS,
    HealthAuthorizationKind,
    HealthAuthorizationStatus,
    OneTimeStatus,
    PaymentMethod,
)
from ..models import HealthAuthorization, OneTimePayment
from ..onetime_limits import WINDOW_DAYS
from .bank import bank_details_clean
from .onetime import COUNTED_STATUSES, _own_case, one_time_policy_for

# Authorizations that commit the partner's money (counted against limits and the 24 months).
COMMITTED_STATUSES = (
    HealthAuthorizationStatus.REQUESTED,
    HealthAuthorizationStatus.APPROVED,
    HealthAuthorizationStatus.INVOICED,
    HealthAuthorizationStatus.PAID,
)
MAX_LIMIT_CENTS = 10_000_000  # $100,000: a typing error above this, never a health benefit


def _money(cents: int) -> str:
    """An amount in an error message, in the language of the page ("$80.00" / "80,00 $")."""
    return display_cents(cents, get_language() or "en")


def _rule(kind: str) -> str:
    """The kind's rule in the language of the page or API call (errors); the stored citation
    stays in English."""
    return health_rules.citation(kind, get_language() or "en")


def _age_on(birth: dt.date, on: dt.date) -> int:
    return relativedelta(on, birth).years


def _member_checks(
    errors: list[ApplicationError], *, kind: str, member: BenefitUnitMember, starts_on: dt.date
) -> None:
    """Who may receive the kind: children's vision under 18, the eye examination 20 to 64 and
    once in 24 months, adult dental 18 and over."""
    person = member.person
    age = _age_on(person.date_of_birth, starts_on)
    if kind == HealthAuthorizationKind.CHILD_VISION:
        limit = health_rules.child_vision_age_limit(starts_on)
        if age >= limit:
            errors.append(
                ApplicationError(
                    _(
                        "Vision items are paid for members younger than %(age)s; this member "
                        "is %(member_age)s on the start date (%(rule)s)."
                    )
                    % {"age": limit, "member_age": age, "rule": _rule(kind)},
                    field="member_id",
                    code="age",
                )
            )
    elif kind == HealthAuthorizationKind.ADULT_EYE_EXAM:
        _amount, months, youngest, oldest = health_rules.eye_exam_rule(starts_on)
        if not youngest <= age <= oldest:
            errors.append(
                ApplicationError(
                    _(
                        "The routine eye examination is paid for members %(youngest)s to "
                        "%(oldest)s (OHIP pays the others); this member is %(member_age)s on "
                        "the start date (%(rule)s)."
                    )
                    % {
                        "youngest": youngest,
                        "oldest": oldest,
                        "member_age": age,
                        "rule": _rule(kind),
                    },
                    field="member_id",
                    code="age",
                )
            )
        earlier = (
            HealthAuthorization.objects.filter(
                member_id=person.pk,
                kind=kind,
                status__in=COMMITTED_STATUSES,
                starts_on__gt=starts_on - relativedelta(months=months),
            )
            .order_by("-starts_on")
            .first()
        )
        if earlier is not None:
            errors.append(
                ApplicationError(
                    _(
                        "One routine eye examination in %(months)s months: this member has one "
                        "from %(earlier)s; the next may start on %(next)s (%(rule)s)."
                    )
                    % {
                        "months": months,
                        "earlier": earlier.starts_on.isoformat(),
                        "next": (earlier.starts_on + relativedelta(months=months)).isoformat(),
                        "rule": _rule(kind),
                    },
                    field="starts_on",
                    code="once_in_24_months",
                )
            )
    elif kind == HealthAuthorizationKind.ADULT_DENTAL and age < 18:
        errors.append(
            ApplicationError(
                _(
                    "Dental care for a child is paid by Healthy Smiles Ontario, not by this "
                    "discretionary benefit for adults."
                ),
                field="member_id",
                code="age",
            )
        )


def _limit_for(
    errors: list[ApplicationError],
    *,
    unit: BenefitUnit,
    kind: str,
    limit_cents: int | None,
    device_price_cents: int | None,
    starts_on: dt.date,
    exclude_pk: int | None = None,
) -> int | None:
    """The authorization's limit: the eye examination's amount, the ADP share of the price, or
    the amount typed (vendor's quote), within the partner's s. 59 amount for discretionary
    kinds. None when it cannot be known (an error says why)."""
    if kind == HealthAuthorizationKind.ADP_SHARE:
        if not isinstance(device_price_cents, int) or device_price_cents <= 0:
            errors.append(
                ApplicationError(
                    _("Give the price the Assistive Devices Program approved."),
                    field="device_price_cents",
                    code="required",
                )
            )
            return None
        share = health_rules.adp_share_cents(device_price_cents, starts_on)
        if limit_cents not in (None, share):
            errors.append(
                ApplicationError(
                    _(
                        "Ontario Works pays the client's share of the ADP price: %(share)s of "
                        "%(price)s, not %(typed)s (%(rule)s). Leave the limit empty."
                    )
                    % {
                        "share": _money(share),
                        "price": _money(device_price_cents),
                        "typed": _money(limit_cents or 0),
                        "rule": _rule(kind),
                    },
                    field="limit_cents",
                    code="adp_share",
                )
            )
        return share
    if kind == HealthAuthorizationKind.ADULT_EYE_EXAM:
        amount = health_rules.eye_exam_rule(starts_on)[0]
        if limit_cents not in (None, amount):
            errors.append(
                ApplicationError(
                    _(
                        "The routine eye examination is paid %(amount)s (%(rule)s). Leave the "
                        "limit empty."
                    )
                    % {"amount": _money(amount), "rule": _rule(kind)},
                    field="limit_cents",
                    code="eye_exam_amount",
                )
            )
        return amount
    if not isinstance(limit_cents, int) or not 0 < limit_cents <= MAX_LIMIT_CENTS:
        errors.append(
            ApplicationError(
                _("Give a limit above $0 and at most $100,000 (the vendor's quote)."),
                field="limit_cents",
                code="amount_out_of_range",
            )
        )
        return None
    if kind in DISCRETIONARY_AUTHORIZATION_KINDS:
        _discretionary_check(
            errors, unit=unit, kind=kind, limit_cents=limit_cents, exclude_pk=exclude_pk
        )
    return limit_cents


def _discretionary_check(
    errors: list[ApplicationError],
    *,
    unit: BenefitUnit,
    kind: str,
    limit_cents: int,
    exclude_pk: int | None,
) -> None:
    """s. 59: the partner's yearly amount per case for the kind, counting the limits of the
    case's other authorizations of the kind asked for in 12 months and the one-time payments
    of the kind made without an authorization."""
    policy = one_time_policy_for(unit.delivery_partner_id)
    since = timezone.localdate() - dt.timedelta(days=WINDOW_DAYS)
    others = HealthAuthorization.objects.filter(
        benefit_unit=unit, kind=kind, status__in=COMMITTED_STATUSES, requested_at__date__gt=since
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    committed = others.aggregate(total=Sum("limit_cents"))["total"] or 0
    paid_alone = (
        OneTimePayment.objects.filter(
            benefit_unit=unit,
            kind=health_rules.payment_kind(kind),
            status__in=COUNTED_STATUSES,
            requested_at__date__gt=since,
            health_invoice__isnull=True,
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    used = committed + paid_alone
    if used + limit_cents > policy.discretionary_annual_limit_cents:
        errors.append(
            ApplicationError(
                _(
                    "This would authorize %(total)s in 12 months; the partner's amount is "
                    "%(limit)s (%(rule)s). Already authorized or paid: %(used)s."
                )
                % {
                    "total": _money(used + limit_cents),
                    "limit": _money(policy.discretionary_annual_limit_cents),
                    "rule": _rule(kind),
                    "used": _money(used),
                },
                field="limit_cents",
                code="limit_exceeded",
            )
        )


def _vendor_account(
    errors: list[ApplicationError], *, vendor_name: str, method: str, vendor_bank: dict[str, str]
) -> dict[str, str]:
    if method not in PaymentMethod.values:
        errors.append(ApplicationError(_("Choose direct deposit or cheque."), field="method"))
        return {}
    if method == PaymentMethod.CHEQUE or not vendor_name.strip():
        return {}
    try:
        institution, transit, account = bank_details_clean(
            holder_name=vendor_name.strip()[:30], **vendor_bank
        )
    except ApplicationError as exc:
        errors.append(exc)
        return {}
    return {"institution": institution, "transit": transit, "account": account}


def _current_member(unit: BenefitUnit, member_id: int, on: dt.date) -> BenefitUnitMember | None:
    return (
        BenefitUnitMember.objects.filter(benefit_unit=unit, person_id=member_id, start_on__lte=on)
        .exclude(end_on__lt=on)
        .select_related("person")
        .first()
    )


@transaction.atomic
def health_authorization_request(
    *,
    acting_user: User,
    benefit_unit: BenefitUnit,
    member_id: int,
    kind: str,
    vendor_name: str,
    vendor_address: str,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
    method: str,
    limit_cents: int | None = None,
    device_price_cents: int | None = None,
    vendor_number: str = "",
    vendor_bank: dict[str, str] | None = None,
    prescription_seen: bool = False,
) -> HealthAuthorization:
    """A caseworker asks to authorize a vendor, while income assistance is paid on the case
    (an active case). Every refusal is listed at once (`SeveralApplicationError`)."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    unit = _own_case(acting_user, benefit_unit)
    errors: list[ApplicationError] = []
    if unit.status != CaseStatus.ACTIVE:
        errors.append(
            ApplicationError(
                _("Health benefits are paid only while income assistance is paid (active case)."),
                field="benefit_unit",
                code="not_active",
            )
        )
    if kind not in HealthAuthorizationKind.values:
        errors.append(ApplicationError(_("Choose a health benefit."), field="kind"))
    if not vendor_name.strip():
        errors.append(ApplicationError(_("Give the vendor's name."), field="vendor_name"))
    if not vendor_address.strip():
        errors.append(ApplicationError(_("Give the vendor's address."), field="vendor_address"))
    if not reason.strip():
        errors.append(ApplicationError(_("Give the reason for the authorization."), field="reason"))
    if ends_on < starts_on:
        errors.append(
            ApplicationError(
                _("The period ends before it starts."), field="ends_on", code="period_order"
            )
        )
    elif ends_on > starts_on + relativedelta(years=1):
        errors.append(
            ApplicationError(
                _("An authorization lasts at most one year: ask for another after it ends."),
                field="ends_on",
                code="period_too_long",
            )
        )
    today = timezone.localdate()
    member = _current_member(unit, member_id, today)
    if member is None:
        errors.append(ApplicationError(_("Choose a member of the case."), field="member_id"))
    elif kind in HealthAuthorizationKind.values:
        _member_checks(errors, kind=kind, member=member, starts_on=starts_on)
    if kind == HealthAuthorizationKind.DIABETIC_SURGICAL and not prescription_seen:
        errors.append(
            ApplicationError(
                _(
                    "Diabetic and surgical supplies need a prescription: confirm you saw it "
                    "(%(rule)s)."
                )
                % {"rule": _rule(kind)},
                field="prescription_seen",
                code="prescription",
            )
        )
    limit = None
    if kind in HealthAuthorizationKind.values:
        limit = _limit_for(
            errors,
            unit=unit,
            kind=kind,
            limit_cents=limit_cents,
            device_price_cents=device_price_cents,
            starts_on=starts_on,
        )
    account = _vendor_account(
        errors, vendor_name=vendor_name, method=method, vendor_bank=vendor_bank or {}
    )
    if errors:
        raise SeveralApplicationError(errors)
    assert limit is not None
    authorization = HealthAuthorization(
        benefit_unit=unit,
        member_id=member_id,
        kind=kind,
        vendor_name=vendor_name.strip()[:30],
        vendor_address=vendor_address.strip()[:300],
        vendor_number=vendor_number.strip()[:40],
        method=method,
        limit_cents=limit,
        device_price_cents=device_price_cents
        if kind == HealthAuthorizationKind.ADP_SHARE
        else None,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        citation=health_rules.citation(kind),
        requested_by=acting_user,
        **account,
    )
    authorization._history_user = acting_user  # type: ignore[attr-defined]  # simple-history
    authorization.save()
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.HEALTH_AUTHORIZATION_REQUESTED,
        subject=authorization,
        delivery_partner_id=unit.delivery_partner_id,
        benefit_unit_id=unit.pk,
        person_id=member_id,
        extra_data={
            "kind": kind,
            "limit_cents": limit,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "method": method,
        },
    )
    return authorization


def _locked(acting_user: User, authorization: HealthAuthorization) -> HealthAuthorization:
    unit = _own_case(acting_user, authorization.benefit_unit)
    return (
        HealthAuthorization.objects.select_for_update()
        .select_related("benefit_unit", "member")
        .get(pk=authorization.pk, benefit_unit=unit)
    )


@transaction.atomic
def health_authorization_decide(
    *,
    acting_user: User,
    authorization: HealthAuthorization,
    approve: bool,
    refusal_reason: str = "",
) -> HealthAuthorization:
    """Another person approves or refuses (never the requester; above the partner's four-eyes
    threshold only a supervisor or finance approver). Approval checks the limits again."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    found = _locked(acting_user, authorization)
    if found.status != HealthAuthorizationStatus.REQUESTED:
        raise ApplicationError(_("This request was already decided."), field="status")
    if found.requested_by_id == acting_user.pk:
        raise ApplicationError(
            _("You asked for this authorization: another person must decide it."),
            field="decided_by",
            code="four_eyes",
        )
    policy = one_time_policy_for(found.benefit_unit.delivery_partner_id)
    if found.limit_cents > policy.approval_threshold_cents and not acting_user.has_capability(
        Capability.PAYMENT_RUN_APPROVE
    ):
        raise ApplicationError(
            _("Above %(limit)s a supervisor or finance approver decides.")
            % {"limit": _money(policy.approval_threshold_cents)},
            field="decided_by",
            code="approver_needed",
        )
    if approve:
        errors: list[ApplicationError] = []
        if found.kind in DISCRETIONARY_AUTHORIZATION_KINDS:
            _discretionary_check(
                errors,
                unit=found.benefit_unit,
                kind=found.kind,
                limit_cents=found.limit_cents,
                exclude_pk=found.pk,
            )
        if found.benefit_unit.status != CaseStatus.ACTIVE:
            errors.append(
                ApplicationError(
                    _("Health benefits are paid only while income assistance is paid."),
                    field="benefit_unit",
                    code="not_active",
                )
            )
        if errors:
            raise SeveralApplicationError(errors)
        found.status = HealthAuthorizationStatus.APPROVED
    else:
        if not refusal_reason.strip():
            raise ApplicationError(_("Give the reason for the refusal."), field="refusal_reason")
        found.status = HealthAuthorizationStatus.REFUSED
        found.refusal_reason = refusal_reason.strip()
    found.decided_by = acting_user
    found.decided_at = timezone.now()
    found._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    found.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.HEALTH_AUTHORIZATION_DECIDED,
        subject=found,
        delivery_partner_id=found.benefit_unit.delivery_partner_id,
        benefit_unit_id=found.benefit_unit_id,
        person_id=found.member_id,
        extra_data={
            "old": {"status": HealthAuthorizationStatus.REQUESTED},
            "new": {"status": found.status},
            "limit_cents": found.limit_cents,
        },
    )
    return found


@transaction.atomic
def health_authorization_cancel(
    *, acting_user: User, authorization: HealthAuthorization, reason: str
) -> HealthAuthorization:
    """Withdraw a request or an approval the vendor will not use. An invoice waiting for the
    batch keeps the authorization (its payment is already approved)."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    found = _locked(acting_user, authorization)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the cancellation."), field="cancel_reason")
    waiting = found.invoices.filter(one_time_payment__status=OneTimeStatus.APPROVED).exists()
    if (
        found.status
        not in (
            HealthAuthorizationStatus.REQUESTED,
            HealthAuthorizationStatus.APPROVED,
            HealthAuthorizationStatus.PAID,
        )
        or waiting
    ):
        raise ApplicationError(
            _("This authorization cannot be cancelled now (it is %(status)s).")
            % {"status": found.get_status_display()},
            field="status",
            code="not_cancellable",
        )
    old_status = found.status
    found.status = HealthAuthorizationStatus.CANCELLED
    found.cancel_reason = reason.strip()
    found._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    found.save(update_fields=["status", "cancel_reason"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.HEALTH_AUTHORIZATION_CANCELLED,
        subject=found,
        delivery_partner_id=found.benefit_unit.delivery_partner_id,
        benefit_unit_id=found.benefit_unit_id,
        person_id=found.member_id,
        extra_data={"old": {"status": old_status}, "new": {"status": found.status}},
    )
    return found


__all__ = [
    "SeveralApplicationError",
    "health_authorization_cancel",
    "health_authorization_decide",
    "health_authorization_request",
]
