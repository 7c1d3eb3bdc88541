"""A record of each policy simulation an analyst ran (inputs and summary; no live data changes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel


class PolicySimulation(BaseModel):
    """Changed rule parameters run against the current caseload, and what they would cost."""

    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    benefit_month = models.DateField(_("benefit month simulated"))
    # {parameter path: value as a decimal string}
    overrides = models.JSONField(_("changed parameters"), default=dict)
    case_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    baseline_monthly_cents = models.BigIntegerField(default=0)
    reform_monthly_cents = models.BigIntegerField(default=0)
    summary = models.JSONField(default=dict)
    rules_version = models.CharField(max_length=32)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy simulation")
        verbose_name_plural = _("policy simulations")

    def __str__(self) -> str:
        return f"Simulation {self.pk} ({self.benefit_month:%Y-%m})"
