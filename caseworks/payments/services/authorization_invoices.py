"""Health benefit authorizations (issue 16), the vendor's side: an invoice recorded against an
approved authorization (within its limit and period; medical transportation as the month's
cost, paid only from the monthly minimum) becomes a one-time payment to the vendor, already
approved, that the next between-run batch issues (`onetime.one_time_batch_issue`). The request,
the decision and the cancellation are in `authorizations`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from caseworks.accounts.constants import Capability
from caseworks.accounts.models import User
from caseworks.core.access import require_capability
from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, SeveralApplicationError

from .. import health_rules
from ..constants import (
    HealthAuthorizationKind,
    HealthAuthorizationStatus,
    OneTimePayee,
    OneTimeStatus,
)
from ..models import HealthAuthorization, HealthAuthorizationInvoice, OneTimePayment
from ..models.authorizations import INVOICEABLE_STATUSES
from .authorizations import _locked, _money, _rule


def invoiced_cents(authorization: HealthAuthorization) -> int:
    total = authorization.invoices.aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def _invoice_amount(
    errors: list[ApplicationError],
    *,
    found: HealthAuthorization,
    service_on: dt.date,
    amount_cents: int | None,
    kilometres: int | None,
    other_costs_cents: int | None,
) -> int | None:
    """The amount to pay: the invoice's, or for medical transportation the month's cost
    (kilometres at the mileage rate plus other costs), paid only from the monthly minimum."""
    if found.kind != HealthAuthorizationKind.MEDICAL_TRANSPORTATION:
        if not isinstance(amount_cents, int) or amount_cents <= 0:
            errors.append(
                ApplicationError(_("Give the invoice's amount, above $0."), field="amount_cents")
            )
            return None
        return amount_cents
    km = kilometres or 0
    other = other_costs_cents or 0
    if km < 0 or other < 0:
        errors.append(
            ApplicationError(
                _("Kilometres and other costs cannot be negative."), field="kilometres"
            )
        )
        return None
    north = health_rules.is_north(found.benefit_unit.delivery_partner.region)
    month_cost = km * health_rules.mileage_rate_cents(service_on, north=north) + other
    minimum = health_rules.medical_transportation_minimum_cents(service_on)
    if month_cost < minimum:
        errors.append(
            ApplicationError(
                _(
                    "The month's medical transportation costs %(cost)s: it is paid only when it "
                    "is %(minimum)s or more (%(rule)s)."
                )
                % {
                    "cost": _money(month_cost),
                    "minimum": _money(minimum),
                    "rule": _rule(found.kind),
                },
                field="kilometres",
                code="under_monthly_minimum",
            )
        )
        return None
    if amount_cents is not None and amount_cents != month_cost:
        errors.append(
            ApplicationError(
                _(
                    "Medical transportation is calculated: %(cost)s for the month. Leave the "
                    "amount empty."
                )
                % {"cost": _money(month_cost)},
                field="amount_cents",
                code="calculated",
            )
        )
    same_month = found.invoices.filter(
        service_on__year=service_on.year, service_on__month=service_on.month
    ).exists()
    if same_month:
        errors.append(
            ApplicationError(
                _(
                    "This month's medical transportation is already recorded: the month is "
                    "paid as one amount (the $15 rule applies to the month's whole cost)."
                ),
                field="service_on",
                code="month_recorded",
            )
        )
    return month_cost


@transaction.atomic
def health_authorization_invoice_record(
    *,
    acting_user: User,
    authorization: HealthAuthorization,
    invoice_number: str,
    service_on: dt.date,
    amount_cents: int | None = None,
    kilometres: int | None = None,
    other_costs_cents: int | None = None,
) -> HealthAuthorizationInvoice:
    """Record the vendor's invoice against an approved authorization: the amount within what
    remains of the limit, the service within the period (a funeral: on or after the approval,
    which came before the contract). Makes the one-time payment to the vendor, approved by the
    authorization's approver, issued by the next between-run batch."""
    require_capability(acting_user, Capability.PAYMENT_MANAGE)
    found = _locked(acting_user, authorization)
    errors: list[ApplicationError] = []
    if found.status not in INVOICEABLE_STATUSES:
        raise ApplicationError(
            _("Only an approved authorization can be invoiced (this one is %(status)s).")
            % {"status": found.get_status_display()},
            field="status",
            code="not_approved",
        )
    number = invoice_number.strip()
    if not number or len(number) > 40:
        errors.append(
            ApplicationError(
                _("Give the vendor's invoice number (1 to 40 characters)."),
                field="invoice_number",
            )
        )
    elif found.invoices.filter(invoice_number=number).exists():
        errors.append(
            ApplicationError(
                _("Invoice %(number)s is already recorded on this authorization.")
                % {"number": number},
                field="invoice_number",
                code="duplicate_invoice",
            )
        )
    if not found.starts_on <= service_on <= found.ends_on:
        errors.append(
            ApplicationError(
                _("The service date must be within the authorized period, %(start)s to %(end)s.")
                % {"start": found.starts_on.isoformat(), "end": found.ends_on.isoformat()},
                field="service_on",
                code="outside_period",
            )
        )
    elif (
        found.kind == HealthAuthorizationKind.FUNERAL_BURIAL
        and found.decided_at is not None
        and service_on < timezone.localtime(found.decided_at).date()
    ):
        errors.append(
            ApplicationError(
                _(
                    "A funeral is paid only when approved before the contract: this service "
                    "is dated before the approval (%(rule)s)."
                )
                % {"rule": _rule(found.kind)},
                field="service_on",
                code="prior_approval",
            )
        )
    amount = _invoice_amount(
        errors,
        found=found,
        service_on=service_on,
        amount_cents=amount_cents,
        kilometres=kilometres,
        other_costs_cents=other_costs_cents,
    )
    remaining = found.limit_cents - invoiced_cents(found)
    if amount is not None and amount > remaining:
        errors.append(
            ApplicationError(
                _(
                    "The invoice is %(amount)s but only %(remaining)s of the %(limit)s "
                    "authorized remains: pay at most the remaining amount."
                )
                % {
                    "amount": _money(amount),
                    "remaining": _money(remaining),
                    "limit": _money(found.limit_cents),
                },
                field="amount_cents",
                code="over_remaining_limit",
            )
        )
    if errors:
        raise SeveralApplicationError(errors)
    assert amount is not None
    payment = OneTimePayment(
        benefit_unit=found.benefit_unit,
        member_id=found.member_id,
        kind=health_rules.payment_kind(found.kind),
        amount_cents=amount,
        # No client text: the reason names the authorization and the vendor's invoice.
        reason=f"Health authorization {found.pk}, invoice {number}",
        payee=OneTimePayee.VENDOR,
        vendor_name=found.vendor_name,
        payee_name=found.vendor_name,
        method=found.method,
        institution=found.institution,
        transit=found.transit,
        account=found.account,
        status=OneTimeStatus.APPROVED,
        citation=found.citation,
        requested_by=acting_user,
        decided_by_id=found.decided_by_id,
        decided_at=found.decided_at,
    )
    payment._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    payment.save()
    invoice = HealthAuthorizationInvoice(
        authorization=found,
        invoice_number=number,
        service_on=service_on,
        amount_cents=amount,
        kilometres=kilometres
        if found.kind == HealthAuthorizationKind.MEDICAL_TRANSPORTATION
        else None,
        other_costs_cents=other_costs_cents
        if found.kind == HealthAuthorizationKind.MEDICAL_TRANSPORTATION
        else None,
        one_time_payment=payment,
        recorded_by=acting_user,
    )
    invoice._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    invoice.save()
    old_status = found.status
    found.status = HealthAuthorizationStatus.INVOICED
    found._history_user = acting_user  # type: ignore[attr-defined]  # simple-history hook
    found.save(update_fields=["status"])
    audit_record(
        acting_user=acting_user,
        event_type=AuditEventType.HEALTH_AUTHORIZATION_INVOICED,
        subject=invoice,
        delivery_partner_id=found.benefit_unit.delivery_partner_id,
        benefit_unit_id=found.benefit_unit_id,
        person_id=found.member_id,
        extra_data={
            "authorization": found.pk,
            "one_time_payment": payment.pk,
            "amount_cents": amount,
            "remaining_cents": remaining - amount,
            "old": {"status": old_status},
            "new": {"status": found.status},
        },
    )
    return invoice


def remaining_cents(authorization: HealthAuthorization) -> int:
    return authorization.limit_cents - invoiced_cents(authorization)
