"""Determinations (stored snapshots of a rules calculation) and decisions made from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .constants import DecisionOutcome, DecisionStatus, DeterminationResult


class Determination(models.Model):
    """One benefit month's calculation, frozen: inputs, outputs, explanation and rules version.

    Never recomputed: the payment, the letter, a review and an appeal all read this row.
    """

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="determinations"
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="determinations",
    )
    benefit_month = models.DateField()
    result = models.CharField(max_length=32, choices=DeterminationResult.choices)
    missing_information = models.JSONField(default=list, blank=True)
    situation = models.JSONField(default=dict, blank=True)
    outputs = models.JSONField(default=dict, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    ineligibility_reasons = models.JSONField(default=list, blank=True)
    budgetary_requirements_cents = models.BigIntegerField(default=0)
    chargeable_income_cents = models.BigIntegerField(default=0)
    entitlement_cents = models.BigIntegerField(default=0)
    overpayment_deduction_cents = models.BigIntegerField(default=0)
    payment_cents = models.BigIntegerField(default=0)
    rules_version = models.CharField(max_length=32)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    determined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-determined_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit", "benefit_month"], name="det_case_month")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payment_cents__gte=0) & models.Q(entitlement_cents__gte=0),
                name="determination_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} {self.benefit_month:%Y-%m}: {self.result}"


class Decision(models.Model):
    """The decision on an application, made from one stored determination."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="decisions"
    )
    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=8, choices=DecisionOutcome.choices)
    status = models.CharField(max_length=24, choices=DecisionStatus.choices)
    is_override = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    reasons = models.JSONField(default=list, blank=True)
    effective_on = models.DateField()
    first_payment_month = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    notice_en = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_fr = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_override=False) | ~models.Q(override_reason=""),
                name="decision_override_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome} for {self.benefit_unit_id} ({self.status})"
