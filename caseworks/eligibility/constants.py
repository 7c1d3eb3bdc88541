from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeterminationResult(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Insufficient information")


class DecisionOutcome(models.TextChoices):
    GRANT = "grant", _("Grant assistance")
    DENY = "deny", _("Deny assistance")


class DecisionStatus(models.TextChoices):
    FINAL = "final", _("Final")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting supervisor approval")
    REJECTED = "rejected", _("Override rejected by supervisor")


# O. Reg. 134/98 s. 67(1) (notice of decision) and the right to an internal review within
# 30 days of receiving it (Ontario Works Act, 1997, s. 27; O. Reg. 134/98 s. 68).
INTERNAL_REVIEW_DAYS = 30
