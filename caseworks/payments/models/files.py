"""Payment files, bank returns, cheque actions and reissues."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..constants import (
    ChequeActionKind,
    PaymentFileKind,
    ReissueMethod,
    ReturnsFileFormat,
)
from .accounts import BankAccount
from .runs import Payment, PaymentRun


class FileCreationCounter(models.Model):
    """The last CPA-005 file creation number used by one originator (its bank-assigned id).
    Taken under `select_for_update` (services.file_creation_number_take): a number is never
    given twice, also when two files are built at once or a run's file is built again."""

    originator_id = models.CharField(max_length=10, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_number__lte=9999), name="file_creation_number_4_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.originator_id}: {self.last_number:04d}"


class PaymentFile(models.Model):
    """One CPA-005 file built for a run, or for a partner's reissued deposits not sent yet
    (`kind` reissues, no run): its number, what it carries, who built it and when. Rebuilding a
    run's file makes a new row with a new number; rows are never edited."""

    run = models.ForeignKey(
        PaymentRun, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        max_length=8, choices=PaymentFileKind.choices, default=PaymentFileKind.RUN
    )
    originator_id = models.CharField(max_length=10)
    file_creation_number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    credit_count = models.PositiveIntegerField()
    credit_total_cents = models.BigIntegerField()
    created_on = models.DateField()
    funds_on = models.DateField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-built_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["originator_id", "file_creation_number"],
                name="payment_file_number_never_reused",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["one_time", "reissues"]) | models.Q(run__isnull=False),
                name="payment_file_of_a_run_has_its_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.originator_id} {self.file_creation_number:04d} (run {self.run_id})"


class ReturnsFile(models.Model):
    """A bank's returned-items file imported for a partner (issue 12). Unique by its SHA-256:
    importing the same file again changes nothing. `next_item` is the import's checkpoint
    (items before it are written); a killed import resumes there."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="returns_files"
    )
    file_format = models.CharField(max_length=8, choices=ReturnsFileFormat.choices)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    item_count = models.PositiveIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    next_item = models.PositiveIntegerField(default=0)
    recorded_count = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "sha256"], name="returns_file_once_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"returns file {self.pk} ({self.item_count} items)"


class PaymentReturn(models.Model):
    """A direct deposit the bank returned, with its reason (Standard 007 code). The payment is
    never edited: this row says it came back. One return per payment (database constraint)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_return")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    returns_file = models.ForeignKey(
        ReturnsFile, on_delete=models.PROTECT, related_name="returns", db_index=False
    )
    item_number = models.PositiveIntegerField()  # the line or item of the returns file
    amount_cents = models.BigIntegerField()
    reason_code = models.CharField(max_length=3)
    cross_reference = models.CharField(max_length=19)
    trace_number = models.CharField(max_length=22, blank=True)
    returned_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-returned_on", "-id"]
        indexes = [models.Index(fields=["benefit_unit"], name="payment_return_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="payment_return_positive"
            )
        ]

    def __str__(self) -> str:
        return f"return of payment {self.payment_id} ({self.reason_code})"


class ChequeAction(models.Model):
    """A stop, cancellation or reissue on a cheque of the cheque register, with its reason.
    One stop or cancel per cheque; a reissue follows one of them (see returns.py)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="cheque_actions")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=8, choices=ChequeActionKind.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit"], name="cheque_action_case")]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(kind__in=["stop", "cancel"]),
                name="cheque_stopped_or_cancelled_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of cheque {self.payment_id}"


class PaymentReissue(models.Model):
    """Money issued again for a payment that did not reach the client: a returned deposit or a
    stopped or cancelled cheque. A new payment linked to the original (not a `Payment` row: that
    table holds one payment per case and month). One reissue per return and per original
    payment (database constraints): a replay reissues nothing."""

    original = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="reissue")
    payment_return = models.OneToOneField(
        PaymentReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="reissue"
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    method = models.CharField(max_length=8, choices=ReissueMethod.choices)
    amount_cents = models.BigIntegerField()
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.CharField(max_length=3, blank=True)
    transit = models.CharField(max_length=5, blank=True)
    account = models.CharField(max_length=12, blank=True)
    payee_name = models.CharField(max_length=30, blank=True)
    reason = models.TextField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    # Sent once: a direct deposit in one reissues file (`payment_file`), a cheque in one reissue
    # cheque list (`sent_at` alone); see returns.reissue_file_build / reissue_cheque_list_csv.
    payment_file = models.ForeignKey(
        "PaymentFile", null=True, blank=True, on_delete=models.PROTECT, related_name="reissues"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit"], name="payment_reissue_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="payment_reissue_positive"
            )
        ]

    def __str__(self) -> str:
        return f"reissue of payment {self.original_id} by {self.method}"
