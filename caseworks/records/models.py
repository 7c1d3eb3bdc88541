"""Legal holds (a file that must not be purged) and the record of each purged file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LegalHold(models.Model):
    """A case (and the people on it) that the retention purge must skip while the hold is on.

    Placed and lifted only through `legal_hold_place` / `legal_hold_lift` (audited); a lifted
    hold stays as a record of who held the file, why and when.
    """

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit_unit"],
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_one_active_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True)
                | (models.Q(lifted_by__isnull=False) & ~models.Q(lift_reason="")),
                name="legal_hold_lift_has_who_and_why",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on case {self.benefit_unit_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class PurgedFile(models.Model):
    """One closed case whose personal data the retention purge removed (makes the purge
    idempotent: a case with a row here is never processed again)."""

    benefit_unit = models.OneToOneField(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="purge"
    )
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    purged_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    closed_on = models.DateField()
    retention_years = models.PositiveSmallIntegerField()
    # How many rows of each kind were changed or deleted (no personal data).
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-purged_at", "-id"]

    def __str__(self) -> str:
        return f"Purged case {self.benefit_unit_id}"
