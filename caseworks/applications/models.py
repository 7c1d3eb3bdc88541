"""Screening (inquiries), intake appointments and the application for assistance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import (
    ApplicationStatus,
    AppointmentStatus,
    AssetType,
    IncomeType,
    InquiryChannel,
    InquiryCloseReason,
    InquiryStatus,
    PrescreenResult,
    ShelterType,
    UnitRole,
    VerificationKind,
    VerificationStatus,
)


class Inquiry(BaseModel):
    """A caller screened by an intake clerk, with the rules engine's quick pre-screen."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    # The member of staff who took the call; empty for an online application (nobody did).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    channel = models.CharField(
        _("received"), max_length=16, choices=InquiryChannel.choices, default=InquiryChannel.PHONE
    )
    # An online application: its reference (given to the applicant), whether they said a need
    # is urgent, their e-mail and language, and every answer they typed (names, date of birth,
    # address, spouse, children, urgent needs) for registration and the application form.
    reference = models.CharField(_("reference"), max_length=16, blank=True)
    urgent = models.BooleanField(_("urgent need"), default=False)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    online_answers = models.JSONField(default=dict, blank=True)
    # Replay safety: the applicant's draft (one submit -> one inquiry), and the abuse guard
    # (a keyed hash of the sender's address, never the address itself).
    draft_key = models.CharField(max_length=64, blank=True)
    address_hash = models.CharField(max_length=64, blank=True)
    caller_name = models.CharField(_("caller's name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    adults = models.PositiveSmallIntegerField(_("adults in the household"), default=1)
    children = models.PositiveSmallIntegerField(_("children under 18"), default=0)
    has_spouse = models.BooleanField(_("has a spouse"), default=False)
    monthly_income_cents = models.BigIntegerField(_("monthly income"), default=0)
    shelter_cost_cents = models.BigIntegerField(_("monthly shelter cost"), default=0)
    assets_cents = models.BigIntegerField(_("savings and other assets"), default=0)
    prescreen_result = models.CharField(max_length=24, choices=PrescreenResult.choices)
    prescreen_snapshot = models.JSONField(default=dict)
    rules_version = models.CharField(max_length=32)
    # The intake queue: new, assigned to a member of staff, or closed with a reason.
    status = models.CharField(
        _("status"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=24, choices=InquiryCloseReason.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["delivery_partner", "status", "created_at"], name="inquiry_queue"),
            models.Index(fields=["address_hash", "created_at"], name="inquiry_online_address"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="inquiry_reference"
            ),
            models.UniqueConstraint(
                fields=["draft_key"], condition=~models.Q(draft_key=""), name="inquiry_draft_once"
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_income_cents__gte=0)
                & models.Q(shelter_cost_cents__gte=0)
                & models.Q(assets_cents__gte=0),
                name="inquiry_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Inquiry {self.pk}: {self.caller_name}"


class Appointment(BaseModel):
    """An intake appointment in a caseworker's calendar. No double booking (service-enforced)."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "partners.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200, default="Intake interview")
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Why it was cancelled (the reason the clerk gave), and when the client was reminded.
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["caseworker", "starts_at"], name="appt_worker_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appt_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} with {self.caseworker_id}"


class Application(BaseModel):
    """An application for assistance: the facts a determination is built from."""

    benefit_unit = models.OneToOneField(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="application"
    )
    # The pre-screen this application started from: its income, rent and household are
    # offered on the application form for the caseworker to confirm (nothing typed twice).
    inquiry = models.ForeignKey(
        Inquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    applied_on = models.DateField(_("date of application"))
    consent_to_verification = models.BooleanField(_("consent to verify information"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    shelter_type = models.CharField(
        _("housing"), max_length=24, choices=ShelterType.choices, blank=True
    )
    shelter_cost_cents = models.BigIntegerField(_("monthly rent or mortgage"), default=0)
    heat_cents = models.BigIntegerField(_("monthly heating cost"), default=0)
    utilities_cents = models.BigIntegerField(_("monthly utilities (hydro, water)"), default=0)
    remote_community = models.BooleanField(_("lives in a remote community"), default=False)
    months_in_receipt = models.PositiveSmallIntegerField(
        _("months of assistance already received"), default=0
    )
    address_line = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shelter_cost_cents__gte=0)
                & models.Q(heat_cents__gte=0)
                & models.Q(utilities_cents__gte=0),
                name="application_costs_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Application for {self.benefit_unit_id}"


class MemberCircumstances(BaseModel):
    """What the rules need to know about one member of the benefit unit."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="member_circumstances"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=UnitRole.choices)
    full_time_student = models.BooleanField(_("full-time student"), default=False)
    pregnant_or_breastfeeding = models.BooleanField(_("pregnant or breast-feeding"), default=False)
    special_diet_cents = models.BigIntegerField(_("special diet allowance approved"), default=0)
    child_care_costs_cents = models.BigIntegerField(_("monthly child care costs"), default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "person"], name="circumstances_once"),
            models.CheckConstraint(
                condition=models.Q(special_diet_cents__gte=0)
                & models.Q(child_care_costs_cents__gte=0),
                name="circumstances_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role})"


class IncomeSource(BaseModel):
    """Monthly income of one member, by type (net of payroll deductions for earnings)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="incomes")
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    income_type = models.CharField(_("type of income"), max_length=32, choices=IncomeType.choices)
    monthly_amount_cents = models.BigIntegerField(_("monthly amount"))
    description = models.CharField(_("source (employer, agency)"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_amount_cents__gte=0), name="income_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.income_type} {self.monthly_amount_cents}"


class Asset(BaseModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assets")
    asset_type = models.CharField(_("type of asset"), max_length=32, choices=AssetType.choices)
    value_cents = models.BigIntegerField(_("value"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value_cents__gte=0), name="asset_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset_type} {self.value_cents}"


class VerificationItem(BaseModel):
    """One item of the verification checklist, with the document that proves it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="verifications"
    )
    kind = models.CharField(max_length=24, choices=VerificationKind.choices)
    person = models.ForeignKey(
        "clients.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    waived_reason = models.TextField(blank=True)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "person"],
                condition=models.Q(person__isnull=False),
                name="verification_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(person__isnull=True),
                name="verification_once_per_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waived") | ~models.Q(waived_reason=""),
                name="verification_waiver_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.status}"
