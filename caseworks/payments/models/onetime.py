"""One-time and between-run payments (issue 16): a request on a case, its approval, and the
between-run batch that issues it on the same ledger, bank-file and reconciliation path as the
monthly run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..constants import (
    OneTimeBenefitKind,
    OneTimePayee,
    OneTimeStatus,
    PaymentMethod,
)
from .files import PaymentFile

# Four eyes above this amount unless the partner sets another (OneTimePolicy).
DEFAULT_APPROVAL_THRESHOLD_CENTS = 50_000
# The partner's yearly limit per case for each discretionary (s. 59) benefit, until it sets one.
DEFAULT_DISCRETIONARY_ANNUAL_LIMIT_CENTS = 100_000


class OneTimePolicy(models.Model):
    """A delivery partner's settings for one-time payments: the amount above which a second
    person must approve, and its yearly limit per case for each discretionary benefit (O. Reg.
    134/98 s. 59: the amount is the administrator's). Changed only through
    `services.onetime.one_time_policy_set` (audited); a partner without a row uses the defaults."""

    delivery_partner = models.OneToOneField(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    approval_threshold_cents = models.PositiveBigIntegerField(
        default=DEFAULT_APPROVAL_THRESHOLD_CENTS
    )
    discretionary_annual_limit_cents = models.PositiveBigIntegerField(
        default=DEFAULT_DISCRETIONARY_ANNUAL_LIMIT_CENTS
    )
    employment_expenses_annual_limit_cents = models.PositiveBigIntegerField(default=50_000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"one-time policy of {self.delivery_partner_id}"


class OneTimeBatch(models.Model):
    """One between-run issue of a partner's approved one-time payments: its CPA-005 file (a
    number from the originator's sequence, shared with run files, so never the same number) and
    its cheques. `idempotency_key` makes a replay return the same batch."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80)
    payment_file = models.OneToOneField(
        PaymentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="one_time_batch"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "idempotency_key"], name="one_time_batch_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"between-run batch {self.pk} of {self.delivery_partner_id}"


class OneTimePayment(models.Model):
    """A one-time payment on a case: requested by a caseworker, approved or refused by a
    second person (always for money: never the requester), issued in one between-run batch."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="one_time_payments"
    )
    member = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=OneTimeBenefitKind.choices)
    amount_cents = models.BigIntegerField()
    reason = models.TextField()
    payee = models.CharField(max_length=8, choices=OneTimePayee.choices)
    vendor_name = models.CharField(max_length=30, blank=True)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    institution = models.CharField(max_length=3, blank=True)
    transit = models.CharField(max_length=5, blank=True)
    account = models.CharField(max_length=12, blank=True)
    payee_name = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        max_length=10, choices=OneTimeStatus.choices, default=OneTimeStatus.REQUESTED
    )
    citation = models.CharField(max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    batch = models.ForeignKey(
        OneTimeBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    # The notice of the decision (approved or refused), in English and French.
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
            models.Index(fields=["benefit_unit", "kind"], name="one_time_case_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="one_time_payment_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="issued") | models.Q(batch__isnull=False),
                name="one_time_issued_has_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents} on {self.benefit_unit_id}"
