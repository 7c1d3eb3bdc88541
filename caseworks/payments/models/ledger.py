"""The overpayment ledger and payment status actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..constants import (
    LedgerEntryKind,
    PaymentActionKind,
)
from .runs import Payment


class LedgerEntry(models.Model):
    """A case's money owed either way. The overpayment balance is the sum of `amount_cents`
    over overpayment/recovery/repayment/write-off entries (positive = owed by the client).
    Entries are never edited or deleted; a mistake is corrected by another entry."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=24, choices=LedgerEntryKind.choices)
    amount_cents = models.BigIntegerField()
    benefit_month = models.DateField(null=True, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    determination = models.ForeignKey(
        "eligibility.Determination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The one-time payment (issue 16) this entry issued, once (constraint below).
    one_time_payment = models.ForeignKey(
        "payments.OneTimePayment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    reason = models.TextField()
    citation = models.CharField(max_length=300, blank=True)
    notice_en = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_fr = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit", "kind"], name="ledger_case_kind")]
        constraints = [
            # A recovery by deduction is tied to the payment it was deducted from, once.
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(kind="recovery"),
                name="ledger_one_recovery_per_payment",
            ),
            models.UniqueConstraint(
                fields=["one_time_payment"],
                condition=models.Q(kind="one_time_payment"),
                name="ledger_one_time_payment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents} on {self.benefit_unit_id}"


class PaymentAction(models.Model):
    """A hold, suspension, cancellation or reinstatement, with its reason and notices."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="payment_actions"
    )
    kind = models.CharField(max_length=16, choices=PaymentActionKind.choices)
    reason = models.TextField()
    effective_on = models.DateField()
    notice_en = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_fr = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.benefit_unit_id}"
