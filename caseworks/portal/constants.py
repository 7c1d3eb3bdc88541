"""Enums of the client realm (stored values lowercase snake case, labels translated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# An activation code is valid this long after the caseworker issues it.
ACTIVATION_CODE_DAYS = 30
# Activation codes: 10 characters from an alphabet without look-alikes (0/O, 1/I/L).
ACTIVATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACTIVATION_CODE_LENGTH = 10
# Wrong activation attempts (any code) for one case before it locks until a new code is issued.
ACTIVATION_MAX_FAILURES = 5


class ReportKind(models.TextChoices):
    AMOUNTS = "amounts", _("Amounts reported")
    NOTHING_CHANGED = "nothing_changed", _("Nothing changed")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Online")
    SMS = "sms", _("Text message")


class SmsDirection(models.TextChoices):
    INBOUND = "inbound", _("Received")
    OUTBOUND = "outbound", _("Sent")


class SmsStatus(models.TextChoices):
    FAILED = "failed", _("Failed")
    QUEUED = "queued", _("Queued")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    SENT = "sent", _("Sent")
