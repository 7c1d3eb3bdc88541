"""Clients online: the rules and the choices (values lowercase snake case, labels translated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# A client's message not answered after this many business days (Ontario public holidays and
# weekends excepted: caseworks.core.business_days) goes to the team's supervisor.
REPLY_BUSINESS_DAYS = 2
MESSAGE_MAX_CHARS = 5000
ATTACHMENTS_MAX = 5


class ReportedChangeKind(models.TextChoices):
    ADDRESS = "address", _("New address (a move)")
    HOUSEHOLD = "household", _("Someone moved in or out")
    SHELTER_COST = "shelter_cost", _("New rent or housing cost")


class ReportedChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the caseworker")
    REJECTED = "rejected", _("Not accepted")
    VERIFIED = "verified", _("Verified")
