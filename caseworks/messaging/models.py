"""Clients online: the case's message thread, changes a client reports, proofs a client uploads.

None of these rows carries its own `delivery_partner`: each belongs to its case
(`benefit_unit`), and every read is scoped through the case's partner. A transfer of the case
therefore takes them with it, with nothing to copy (tests/security/test_transfers.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import ReportedChangeKind, ReportedChangeStatus


class MessageThread(BaseModel):
    """The one conversation of a case between its clients and the caseworker's team.

    `awaiting_reply_since` is set by a client's message and cleared by a staff reply;
    `reply_due_on` (computed once, when the clock starts) is the last business day to answer
    before the thread goes to a supervisor (`escalated_to`)."""

    benefit_unit = models.OneToOneField(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="message_thread"
    )
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    reply_due_on = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_message_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["reply_due_on", "escalated_at"], name="thread_reply_due"),
        ]

    def __str__(self) -> str:
        return f"Messages of case {self.benefit_unit_id}"

    @property
    def is_escalated(self) -> bool:
        return self.escalated_at is not None and self.awaiting_reply_since is not None


class Message(models.Model):
    """One message: written by a client on the case (`author_person`) or a staff member
    (`author_user`), never both. Messages are never edited or deleted."""

    thread = models.ForeignKey(MessageThread, on_delete=models.PROTECT, related_name="messages")
    author_person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"))
    attachments = models.ManyToManyField("documents.Document", blank=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    # A client's message: when a staff member first opened it. A staff message: when a client
    # on the case first opened it.
    read_at = models.DateTimeField(null=True, blank=True)
    read_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    read_by_person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(author_person__isnull=False, author_user__isnull=True)
                    | models.Q(author_person__isnull=True, author_user__isnull=False)
                ),
                name="message_one_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in thread {self.thread_id}"

    @property
    def from_client(self) -> bool:
        return self.author_person_id is not None


class ReportedChange(BaseModel):
    """A change a client reported online: pending until a caseworker verifies it (a new
    dated version of the case's circumstances, `payments.CircumstancesChange`, for an address
    or a housing cost) or rejects it, with a reason either way."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="reported_changes"
    )
    reported_by = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="reported_changes"
    )
    kind = models.CharField(_("what changed"), max_length=16, choices=ReportedChangeKind.choices)
    changed_on = models.DateField(_("date of the change"))
    address_line = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    shelter_cost_cents = models.BigIntegerField(_("monthly rent or housing cost"), null=True)
    details = models.TextField(_("what the client says"), blank=True)
    reported_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=ReportedChangeStatus.choices, default=ReportedChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    circumstances_change = models.ForeignKey(
        "payments.CircumstancesChange",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reported_at", "id"]
        indexes = [models.Index(fields=["benefit_unit", "status"], name="reported_change_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ReportedChangeStatus.PENDING)
                | ~models.Q(decision_reason=""),
                name="reported_change_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(shelter_cost_cents__isnull=True)
                | models.Q(shelter_cost_cents__gte=0),
                name="reported_change_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reported on {self.benefit_unit_id} ({self.status})"


class ClientUpload(models.Model):
    """A proof a client uploaded against an item of the case's verification checklist. The
    caseworker accepts it (the item becomes verified with this document) or asks again."""

    item = models.ForeignKey(
        "applications.VerificationItem", on_delete=models.PROTECT, related_name="client_uploads"
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="client_uploads"
    )
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Upload {self.pk} for item {self.item_id}"
