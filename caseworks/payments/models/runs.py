"""Payment runs, their lines, acknowledgements and approvers, and payments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from ..constants import (
    LineKind,
    PaymentMethod,
    RunStatus,
)
from .accounts import BankAccount


class PaymentRun(BaseModel):
    """One delivery partner's payments for one benefit month: dry run, approval, release."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="payment_runs"
    )
    benefit_month = models.DateField(_("benefit month"))
    status = models.CharField(max_length=24, choices=RunStatus.choices, default=RunStatus.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dry_run_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_started_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # Dry-run figures (from the stored lines).
    case_count = models.PositiveIntegerField(default=0)
    payment_count = models.PositiveIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    eft_count = models.PositiveIntegerField(default=0)
    eft_total_cents = models.BigIntegerField(default=0)
    cheque_count = models.PositiveIntegerField(default=0)
    cheque_total_cents = models.BigIntegerField(default=0)
    recovery_total_cents = models.BigIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    previous_total_cents = models.BigIntegerField(null=True, blank=True)
    previous_payment_count = models.PositiveIntegerField(null=True, blank=True)
    unusual_changes = models.JSONField(default=list, blank=True)
    rules_version = models.CharField(max_length=32, blank=True)
    # Release progress: every line with id <= checkpoint has its Payment (resumable).
    release_checkpoint = models.BigIntegerField(default=0)
    released_count = models.PositiveIntegerField(default=0)
    released_total_cents = models.BigIntegerField(default=0)
    file_creation_number = models.PositiveIntegerField(default=1)
    # Run controls (issue 12): the cases on hold when the dry run was made
    # ([{"benefit_unit": id, "case_number": str, "reason": str}]), the dry run's job state.
    held_cases = models.JSONField(default=list, blank=True)
    dry_run_queued_at = models.DateTimeField(null=True, blank=True)
    dry_run_error = models.TextField(blank=True)
    dry_run_failed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-benefit_month", "delivery_partner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "benefit_month"], name="payment_run_one_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_partner_id} {self.benefit_month:%Y-%m} ({self.status})"

    @property
    def variance_cents(self) -> int | None:
        if self.previous_total_cents is None:
            return None
        return self.total_cents - self.previous_total_cents


class PaymentRunLine(models.Model):
    """One case in a run, from its stored determination (no history: rows of a dry run)."""

    # Foreign keys without their own index (a run writes 300,000 lines at once; every index
    # costs): (run, benefit_unit) is covered by the unique constraint below.
    run = models.ForeignKey(
        PaymentRun, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    determination = models.ForeignKey(
        "eligibility.Determination",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(max_length=16, choices=LineKind.choices)
    amount_cents = models.BigIntegerField(default=0)
    recovery_cents = models.BigIntegerField(default=0)
    previous_amount_cents = models.BigIntegerField(null=True, blank=True)
    months_in_receipt = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices, blank=True)
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    payee_name = models.CharField(max_length=30, blank=True)
    is_interim = models.BooleanField(default=False)
    unusual = models.BooleanField(default=False)
    errors = models.JSONField(default=list, blank=True)
    # Paid, but needs a person's attention (e.g. an income report missing: paid on the last
    # known income, a task created, the difference booked when the report comes in).
    exceptions = models.JSONField(default=list, blank=True)
    # The case's version when the line was calculated: a case changed before the release is
    # corrected against its payment at the release (`runs._correct_changed_cases`).
    case_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "benefit_unit"], name="run_line_one_per_case"),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="run_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"line {self.pk} of run {self.run_id}"


class PaymentRunAcknowledgement(models.Model):
    """The approver's signed list: a case the run could not calculate, or a case held, that the
    approver has seen and accepts to leave unpaid in this run (a new dry run clears the list)."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="acknowledgements")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16)  # "error" (not calculated) or "held"
    reason = models.TextField(blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "benefit_unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "benefit_unit"], name="run_ack_one_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} acknowledged on run {self.run_id}"


class PaymentApprover(BaseModel):
    """A person named to approve and release payment runs: of one delivery partner (named by its
    partner administrator), or, without a partner, one of the Ministry's finance approvers (the
    fallback for any partner)."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_approvers",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_partner_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "user"],
                nulls_distinct=False,
                name="payment_approver_once",
            )
        ]

    def __str__(self) -> str:
        return f"approver {self.user_id} for {self.delivery_partner_id or 'the Ministry'}"


class Payment(models.Model):
    """Money issued: exactly one per case per benefit month (database constraint)."""

    # (benefit_unit, benefit_month) is unique and (run, method, id) indexed below: no separate
    # foreign-key indexes for those (fewer index writes per payment).
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    benefit_month = models.DateField()
    run = models.ForeignKey(
        PaymentRun, on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    line = models.OneToOneField(PaymentRunLine, on_delete=models.PROTECT, related_name="payment")
    determination = models.ForeignKey(
        "eligibility.Determination", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    amount_cents = models.BigIntegerField()
    recovery_cents = models.BigIntegerField(default=0)
    months_in_receipt = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    institution = models.CharField(max_length=3, blank=True)
    transit = models.CharField(max_length=5, blank=True)
    account = models.CharField(max_length=12, blank=True)
    payee_name = models.CharField(max_length=30, blank=True)
    is_interim = models.BooleanField(default=False)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-benefit_month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit_unit", "benefit_month"], name="payment_one_per_case_month"
            ),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payment_positive"),
        ]
        indexes = [models.Index(fields=["run", "method", "id"], name="payment_run_method")]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} {self.benefit_month:%Y-%m}: {self.amount_cents}"
