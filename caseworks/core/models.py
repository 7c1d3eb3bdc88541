"""Shared model bases and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every domain row records when it was created and last modified."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One business event: who did what to which case or client, with old and new values.

    Row history (django-simple-history) records *what* changed; an AuditEvent records *why* in
    business terms. Both are written in the same transaction as the change (see audit_record()).
    """

    event_time = models.DateTimeField(default=timezone.now, db_index=True)
    event_type = models.CharField(max_length=64)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    person_id = models.BigIntegerField(null=True, blank=True)
    benefit_unit_id = models.BigIntegerField(null=True, blank=True)
    extra_data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["delivery_partner", "event_type", "event_time"]),
            models.Index(fields=["person_id", "event_time"]),
            models.Index(fields=["benefit_unit_id", "event_time"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        ordering = ["-event_time", "-id"]

    def __str__(self) -> str:
        when = f"{self.event_time:%Y-%m-%d %H:%M}"
        return f"{when} {self.event_type} {self.subject_type}:{self.subject_id}"


class IdempotencyKey(models.Model):
    """The first answer to a money-changing request, kept under the key its sender chose
    (IETF draft "The Idempotency-Key HTTP Header Field"; a hidden field on the pages).

    Taken in the same transaction as the write (`caseworks.core.idempotency`): a replay with the
    same key and body answers with what is stored here and records nothing; the same key with
    another body is refused."""

    key = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    route = models.CharField(max_length=500)
    request_fingerprint = models.CharField(max_length=64)  # sha256 of the body
    response_status = models.PositiveSmallIntegerField(default=0)
    response_body = models.TextField(blank=True)
    response_location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.route} {self.response_status}"
