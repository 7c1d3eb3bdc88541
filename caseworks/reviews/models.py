"""Internal reviews of decisions and appeals to the Social Benefits Tribunal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import AppealOutcome, AppealStatus, ReviewChannel, ReviewOutcome, ReviewStatus


class InternalReview(BaseModel):
    """A client's request that the delivery partner look at a decision again."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="internal_reviews"
    )
    decision_description = models.CharField(_("decision reviewed"), max_length=300)
    decision = models.ForeignKey(
        "eligibility.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_action = models.ForeignKey(
        "payments.PaymentAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_date = models.DateField(_("date of the decision"))
    decision_received_on = models.DateField(_("date the client received the decision"))
    requested_on = models.DateField(_("date the request was received"))
    request_due_on = models.DateField()
    is_late = models.BooleanField(default=False)
    late_reason = models.TextField(_("reason the request is late"), blank=True)
    grounds = models.TextField(_("why the client disagrees"))
    decision_due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.REQUESTED
    )
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices, blank=True)
    outcome_reasons = models.TextField(_("reasons for the outcome"), blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Staff record a request made in person, by phone or by letter; a client may also ask
    # online (the client realm), then `requested_by_person` is the client and no staff member
    # recorded it.
    requested_via = models.CharField(
        max_length=16, choices=ReviewChannel.choices, default=ReviewChannel.STAFF
    )
    requested_by_person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recorded_by__isnull=False)
                | models.Q(requested_by_person__isnull=False),
                name="review_request_has_an_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} on {self.benefit_unit_id}"

    @property
    def decided_late(self) -> bool:
        if self.decided_on is None:
            return timezone.localdate() > self.decision_due_on
        return self.decided_on > self.decision_due_on


class Appeal(BaseModel):
    """An appeal to the Social Benefits Tribunal after an internal review."""

    review = models.ForeignKey(InternalReview, on_delete=models.PROTECT, related_name="appeals")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="appeals"
    )
    filed_on = models.DateField(_("date filed with the Tribunal"))
    filing_due_on = models.DateField()
    is_late = models.BooleanField(default=False)
    tribunal_file_number = models.CharField(_("Tribunal file number"), max_length=40, blank=True)
    hearing_on = models.DateField(_("hearing date"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    # Interim assistance ordered by the Tribunal while the appeal is pending (financial
    # hardship). It becomes an overpayment if the appeal is lost or abandoned (ow-rules.md §5).
    interim_assistance = models.BooleanField(_("interim assistance ordered"), default=False)
    interim_ordered_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"Appeal {self.pk} on {self.benefit_unit_id}"
