"""Participation agreements: goals, activities, reviews and deferrals (Directive 2.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import (
    ActivityStatus,
    AgreementStatus,
    DeferralReason,
    GoalCategory,
    GoalStatus,
    ResponsibleParty,
    SignatureMethod,
)


class ParticipationAgreement(BaseModel):
    """One adult member's participation agreement on a case (Directive 2.5)."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="participation_agreements"
    )
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="participation_agreements"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    start_on = models.DateField(_("start date"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.CharField(
        _("signed by"),
        max_length=200,
        blank=True,
        help_text=_("Name of the person who signed: the participant or their trustee."),
    )
    signature_witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature_method = models.CharField(
        _("signature method"), max_length=16, choices=SignatureMethod.choices, blank=True
    )
    # Signed on screen: the signed agreement (PDF, the drawn signature or the typed name in it),
    # kept on the case like a letter. Signed on paper: the paper is the record.
    signed_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation agreement")
        verbose_name_plural = _("participation agreements")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["draft", "active"]),
                name="pa_one_open_agreement_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_on__isnull=False),
                name="pa_signed_unless_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement {self.pk} ({self.person_id})"


class PlanGoal(BaseModel):
    agreement = models.ForeignKey(
        ParticipationAgreement, on_delete=models.PROTECT, related_name="goals"
    )
    category = models.CharField(_("kind of goal"), max_length=32, choices=GoalCategory.choices)
    description = models.TextField(_("goal"))
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanActivity(BaseModel):
    """A step toward a goal, with dates and who is responsible for it."""

    agreement = models.ForeignKey(
        ParticipationAgreement, on_delete=models.PROTECT, related_name="activities"
    )
    goal = models.ForeignKey(
        PlanGoal, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    description = models.TextField(_("activity"))
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    responsible_party = models.CharField(
        _("responsible party"), max_length=16, choices=ResponsibleParty.choices
    )
    responsible_detail = models.CharField(_("responsible (name)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="plan_activity_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class PlanReview(BaseModel):
    """A scheduled review of the agreement; reviewed_on is null until it is done."""

    agreement = models.ForeignKey(
        ParticipationAgreement, on_delete=models.PROTECT, related_name="reviews"
    )
    due_on = models.DateField(_("review due on"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("review notes"), blank=True)
    # The overdue-review task raised by the scheduled job (one per review: idempotent).
    task = models.OneToOneField(
        "cases.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(reviewed_on__isnull=True),
                name="plan_review_one_pending_per_agreement",
            )
        ]
        indexes = [models.Index(fields=["reviewed_on", "due_on"], name="plan_review_pending")]

    def __str__(self) -> str:
        return f"Review of {self.agreement_id} due {self.due_on}"


class ParticipationDeferral(BaseModel):
    """A temporary deferral of participation requirements, with its reason (Directive 2.5)."""

    agreement = models.ForeignKey(
        ParticipationAgreement, on_delete=models.PROTECT, related_name="deferrals"
    )
    reason = models.CharField(_("reason"), max_length=32, choices=DeferralReason.choices)
    details = models.TextField(_("details"), blank=True)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reason} from {self.start_on}"
