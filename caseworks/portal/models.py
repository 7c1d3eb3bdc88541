"""The client realm's records: client accounts, activation codes, report receipts, reminders and
the text-message outbox. No delivery_partner column: every row hangs off its benefit unit or
person, so a case transfer takes it along (tests/security/test_transfers.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import Channel, ReportKind, SmsDirection, SmsStatus


class PortalAccount(BaseModel):
    """A client's own account: one adult member of one benefit unit. The sign-in itself (password,
    second factor) is django-allauth's, on the `user` row, which has no staff role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    # The number text messages come from and go to; verified at activation (the case file's).
    sms_phone = models.CharField(_("mobile number"), max_length=16, blank=True)
    e_letters = models.BooleanField(_("letters online instead of by mail"), default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person"], name="portal_account_one_per_person"),
        ]
        indexes = [models.Index(fields=["sms_phone"], name="portal_account_sms_phone")]

    def __str__(self) -> str:
        return f"portal account {self.pk} (person {self.person_id})"


class ActivationCode(models.Model):
    """A one-time code that opens a client account, given by the caseworker (a letter). Only a
    SHA-256 hash is kept."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"activation code {self.pk} (person {self.person_id})"


class ReportReceipt(models.Model):
    """The receipt of one monthly report sent by the client (online or by text message): what
    was sent, and the next month's payment the rules gave for it at that moment."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    income_month = models.DateField()
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # {person_id: {kind: cents}}: what the report recorded.
    amounts = models.JSONField(default=dict, blank=True)
    preview_benefit_month = models.DateField(null=True, blank=True)
    preview_payment_cents = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["benefit_unit", "income_month"], name="receipt_case_month")]
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"receipt {self.number}"

    @property
    def number(self) -> str:
        return f"R-{self.submitted_at:%Y%m}-{self.pk:07d}"


class ReportReminder(models.Model):
    """A reminder sent before the report deadline, by one channel."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    income_month = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["benefit_unit", "income_month"], name="reminder_case_month")
        ]

    def __str__(self) -> str:
        return f"reminder {self.pk} ({self.channel})"


class SmsMessage(models.Model):
    """The text-message outbox and inbox (the SMS backends write here)."""

    direction = models.CharField(max_length=8, choices=SmsDirection.choices)
    status = models.CharField(max_length=8, choices=SmsStatus.choices)
    phone = models.CharField(max_length=16)
    body = models.TextField()
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"sms {self.pk} ({self.direction}, {self.status})"
