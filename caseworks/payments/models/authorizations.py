"""Health benefit authorizations (issue 16): the office authorizes a vendor to provide a health
item or service to a member of the case, up to a limit and within a period; a second person
approves; the vendor's invoice is then paid as a one-time payment to the vendor, in the next
between-run batch (cheque or CPA-005), on the same ledger and reconciliation as every payment.
O. Reg. 134/98 s. 55(1) paras 1 and 1.1 (mandatory) and s. 59(2) (discretionary)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..constants import HealthAuthorizationKind, HealthAuthorizationStatus, PaymentMethod
from .onetime import OneTimePayment

# Stored statuses after which the vendor may still send an invoice (within the period).
INVOICEABLE_STATUSES = (
    HealthAuthorizationStatus.APPROVED,
    HealthAuthorizationStatus.INVOICED,
    HealthAuthorizationStatus.PAID,
)


class HealthAuthorization(models.Model):
    """What the vendor may provide (`kind`), for whom (`member`), up to `limit_cents`, from
    `starts_on` to `ends_on`. Requested by a caseworker, approved or refused by another
    person; the invoices recorded against it (`invoices`) are paid to the vendor."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="health_authorizations"
    )
    member = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=HealthAuthorizationKind.choices)
    vendor_name = models.CharField(max_length=30)
    vendor_address = models.CharField(max_length=300)
    vendor_number = models.CharField(max_length=40, blank=True)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    institution = models.CharField(max_length=3, blank=True)
    transit = models.CharField(max_length=5, blank=True)
    account = models.CharField(max_length=12, blank=True)
    limit_cents = models.BigIntegerField()
    # Assistive Devices Program: the price ADP approved; the limit is the consumer's share of it.
    device_price_cents = models.BigIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.TextField()
    citation = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10,
        choices=HealthAuthorizationStatus.choices,
        default=HealthAuthorizationStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    # The authorization letter (for the vendor and the client), in English and French
    # (`documents.services.notices_store` fills these two fields).
    notice_en = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_fr = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["benefit_unit", "kind"], name="health_auth_case_kind"),
            models.Index(fields=["member", "kind"], name="health_auth_member_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(limit_cents__gt=0), name="health_auth_limit_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="health_auth_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"health authorization {self.pk} ({self.kind}) on {self.benefit_unit_id}"

    def shown_status(self, today: dt.date) -> str:
        """The status a person reads: an approved or paid authorization whose period has ended
        is expired (nothing more can be invoiced against it)."""
        if self.ends_on < today and self.status in (
            HealthAuthorizationStatus.APPROVED,
            HealthAuthorizationStatus.PAID,
        ):
            return HealthAuthorizationStatus.EXPIRED
        return self.status


class HealthAuthorizationInvoice(models.Model):
    """A vendor's invoice recorded against an approved authorization, and the one-time
    payment to the vendor it made (the same integer cents). Medical transportation: the
    month's kilometres and other costs, from which the amount is calculated."""

    authorization = models.ForeignKey(
        HealthAuthorization, on_delete=models.PROTECT, related_name="invoices"
    )
    invoice_number = models.CharField(max_length=40)
    service_on = models.DateField()
    amount_cents = models.BigIntegerField()
    kilometres = models.PositiveIntegerField(null=True, blank=True)
    other_costs_cents = models.BigIntegerField(null=True, blank=True)
    one_time_payment = models.OneToOneField(
        OneTimePayment, on_delete=models.PROTECT, related_name="health_invoice"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorization", "invoice_number"], name="health_invoice_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="health_invoice_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"invoice {self.invoice_number} on authorization {self.authorization_id}"
