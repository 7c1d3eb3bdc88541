"""Benefit units (cases), their members over time, status history, notes, tasks, transfers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import CaseStatus, MemberRole, TaskStatus, TransferKind


class BenefitUnit(BaseModel):
    """An Ontario Works case: the applicant/recipient and their dependants (O. Reg. 134/98 s. 1)."""

    case_number = models.CharField(_("case number"), max_length=16, unique=True)
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="benefit_units"
    )
    office = models.ForeignKey(
        "partners.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseload",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.PENDING
    )
    opened_on = models.DateField(_("opened on"))
    status_changed_on = models.DateField(_("status changed on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Optimistic concurrency: every write bumps the version; a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("benefit unit")
        verbose_name_plural = _("benefit units")
        indexes = [
            models.Index(fields=["delivery_partner", "status"], name="bu_partner_status"),
            models.Index(fields=["caseworker", "status"], name="bu_worker_status"),
        ]

    def __str__(self) -> str:
        return self.case_number


class BenefitUnitMember(BaseModel):
    """A person's membership of a benefit unit over a period (end_on is null while current)."""

    benefit_unit = models.ForeignKey(BenefitUnit, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # One person must never be on two current cases.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(end_on__isnull=True),
                name="member_one_current_case_per_person",
            ),
            models.UniqueConstraint(
                fields=["benefit_unit"],
                condition=models.Q(end_on__isnull=True, role=MemberRole.APPLICANT),
                name="member_one_current_applicant",
            ),
            models.UniqueConstraint(
                fields=["benefit_unit"],
                condition=models.Q(end_on__isnull=True, role=MemberRole.SPOUSE),
                name="member_one_current_spouse",
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="member_end_after_start",
            ),
        ]
        ordering = ["start_on", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} as {self.role} in {self.benefit_unit_id}"


class CaseStatusChange(models.Model):
    benefit_unit = models.ForeignKey(
        BenefitUnit, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class CaseNote(models.Model):
    """A dated note on the case file. Notes are never edited or deleted."""

    benefit_unit = models.ForeignKey(BenefitUnit, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.benefit_unit_id}"


class Task(BaseModel):
    """Something a staff member must do by a date, usually about a case."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="tasks"
    )
    benefit_unit = models.ForeignKey(
        BenefitUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    kind = models.CharField(_("kind"), max_length=64, default="general")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A task a colleague handed over (task_assign): who, when, and whether the new assignee has
    # seen the notice on their home page (null while it is new to them).
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    assignment_seen_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_on"], name="task_worker_open"),
            models.Index(fields=["benefit_unit", "status"], name="task_case_status"),
        ]

    def __str__(self) -> str:
        return self.title


class CaseTransfer(models.Model):
    """A case handed from one delivery partner (or office) to another: a first-class event."""

    benefit_unit = models.ForeignKey(
        BenefitUnit, on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField(max_length=32, choices=TransferKind.choices)
    from_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    to_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    from_office = models.ForeignKey(
        "partners.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        "partners.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    transferred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-transferred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id}: {self.from_partner_id} → {self.to_partner_id}"
