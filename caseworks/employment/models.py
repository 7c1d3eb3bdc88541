"""Service providers, referrals, employment services, outcomes, follow-ups and exits."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.cases.constants import OPEN_STATUSES
from caseworks.clients.constants import Language
from caseworks.core.models import BaseModel

from .constants import (
    FULL_TIME_HOURS_PER_WEEK,
    REFERRAL_ACTIVE_STATUSES,
    ActivityKind,
    ActivityState,
    AttendanceStatus,
    Channel,
    ExitReason,
    Permanence,
    ProgramKind,
    ProviderKind,
    ReferralStatus,
)


class ServiceProvider(BaseModel):
    """An agency clients are referred to. delivery_partner null = province-wide (IES SSMs)."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_providers",
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=ProviderKind.choices)
    services = models.TextField(_("services offered"), blank=True)
    catchment = models.CharField(_("catchment area"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    source = models.CharField(_("source of this record"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "catchment", "name"], name="provider_unique_per_catchment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.catchment})" if self.catchment else self.name


class ProviderAccount(BaseModel):
    """Links a provider-role login to the one ServiceProvider whose referrals it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider_account"
    )
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="accounts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user_id} → {self.provider_id}"


class Referral(BaseModel):
    """A client referred to a provider, with their consent and what was shared."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="referrals"
    )
    purpose = models.TextField(_("reason for the referral"))
    consent_given = models.BooleanField(_("client consented to share information"))
    consent_recorded_on = models.DateField(_("consent recorded on"))
    information_shared = models.JSONField(_("information shared"), default=list)
    # What the provider sees of the client: a copy made when the referral was sent, holding only
    # what the client consented to share (the name always; phone and e-mail with "contact";
    # the language with "language"). The provider API reads these, never the live client
    # record, so a later change (a new phone number) does not reach the provider. Blank = not
    # shared. Referrals sent before the copy existed share no contact details.
    shared_first_name = models.CharField(_("first name"), max_length=100, blank=True)
    shared_last_name = models.CharField(_("last name"), max_length=100, blank=True)
    shared_phone = models.CharField(_("phone"), max_length=30, blank=True)
    shared_email = models.EmailField(_("email"), blank=True)
    shared_language = models.CharField(
        _("language of service"), max_length=2, choices=Language.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("sent on"))
    expected_response_days = models.PositiveSmallIntegerField(_("expected response (days)"))
    response_due_on = models.DateField(_("response due on"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    status_note = models.TextField(_("note on the last status change"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The "no response" task raised by the scheduled job (at most one per referral).
    no_response_task = models.OneToOneField(
        "cases.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["provider", "status"], name="referral_provider_status"),
            models.Index(fields=["status", "response_due_on"], name="referral_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_given=True), name="referral_requires_consent"
            )
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.provider_id}"


def referral_active_q() -> models.Q:
    """The referrals still active: an active status (REFERRAL_ACTIVE_STATUSES: not declined, not
    completed) on a case that is open. A provider reads and answers a referral only while it is
    active AND its own (referral_of_provider_q): both filters apply, neither alone suffices."""
    return models.Q(
        status__in=sorted(REFERRAL_ACTIVE_STATUSES), benefit_unit__status__in=sorted(OPEN_STATUSES)
    )


def referral_of_provider_q(provider: ServiceProvider, prefix: str = "") -> models.Q:
    """The referrals `provider` may read and answer, whatever their status: sent to it, on a case
    it still serves. A province-wide provider (no delivery partner) serves a case wherever it is;
    a partner's provider only the cases of its partner, so a case transferred to another partner
    takes its referrals with it (issue 13: the sender's provider gets 404 from then on, for the
    referral and its job follow-ups). `prefix` is the lookup from the queried model to the
    referral, e.g. "outcome__referral__" for follow-ups."""
    where = models.Q(**{f"{prefix}provider": provider})
    if provider.delivery_partner_id is not None:
        where &= models.Q(
            **{f"{prefix}benefit_unit__delivery_partner_id": provider.delivery_partner_id}
        )
    return where


class ReferralStatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    note = models.TextField(blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class EmploymentProgram(BaseModel):
    """A workshop or pre-employment program run by or for a delivery partner."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        ServiceProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgramKind.choices)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ProgramSession(BaseModel):
    program = models.ForeignKey(
        EmploymentProgram, on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="session_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class SessionAttendance(BaseModel):
    session = models.ForeignKey(ProgramSession, on_delete=models.PROTECT, related_name="attendees")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("attendance"),
        max_length=16,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.REGISTERED,
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.session_id}: {self.status}"


class EmploymentActivity(BaseModel):
    """Job search, training enrolment, job placement or job retention support."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="employment_activities"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    description = models.TextField(_("description"))
    organisation = models.CharField(_("organisation or employer"), max_length=200, blank=True)
    provider = models.ForeignKey(
        ServiceProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_on = models.DateField(_("start date"))
    end_on = models.DateField(_("end date"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=16, choices=ActivityState.choices, default=ActivityState.PLANNED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.description[:40]}"


class EmploymentOutcome(BaseModel):
    """A job the client started. Job quality (hours, wage vs minimum wage) is kept with it."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="employment_outcomes"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    employer = models.CharField(_("employer"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    start_on = models.DateField(_("start date"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=2)
    hourly_wage_cents = models.PositiveIntegerField(_("hourly wage (cents)"))
    permanence = models.CharField(_("permanence"), max_length=16, choices=Permanence.choices)
    has_benefits = models.BooleanField(_("employer health or dental benefits"))
    # Snapshot of the general minimum wage in force on start_on (Employment Standards Act,
    # 2000, s. 23.1; O. Reg. 285/01), so the record explains itself after the rate changes.
    minimum_wage_cents = models.PositiveIntegerField(null=True, blank=True)
    minimum_wage_source = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gt=0, hours_per_week__lte=168),
                name="outcome_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_wage_cents__gt=0), name="outcome_wage_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} from {self.start_on}"

    @property
    def is_full_time(self) -> bool:
        """Full time = 30 hours a week or more (see FULL_TIME_HOURS_PER_WEEK)."""
        return Decimal(self.hours_per_week) >= FULL_TIME_HOURS_PER_WEEK

    @property
    def below_minimum_wage(self) -> bool | None:
        if self.minimum_wage_cents is None:
            return None
        return self.hourly_wage_cents < self.minimum_wage_cents

    @property
    def weekly_earnings_cents(self) -> int:
        """Hours × wage in cents, rounded half up to the cent (exact Decimal arithmetic)."""
        amount = Decimal(self.hours_per_week) * self.hourly_wage_cents
        return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class OutcomeFollowUp(BaseModel):
    """Follow-up 1, 3, 6 or 12 months after the job started: still employed, hours, wage."""

    outcome = models.ForeignKey(
        EmploymentOutcome, on_delete=models.PROTECT, related_name="follow_ups"
    )
    months_after_start = models.PositiveSmallIntegerField(_("months after start"))
    due_on = models.DateField(_("due on"))
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    still_employed = models.BooleanField(_("still employed"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week now"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    hourly_wage_cents = models.PositiveIntegerField(
        _("hourly wage now (cents)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.OneToOneField(
        "cases.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "months_after_start"], name="follow_up_once_per_interval"
            )
        ]
        indexes = [models.Index(fields=["recorded_on", "due_on"], name="follow_up_pending")]

    def __str__(self) -> str:
        return f"{self.months_after_start}-month follow-up of {self.outcome_id}"


class AssistanceExit(BaseModel):
    """A case leaving assistance, with the reason (closes the case through case_status_change)."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="exits"
    )
    reason = models.CharField(_("reason for leaving"), max_length=32, choices=ExitReason.choices)
    exit_on = models.DateField(_("date of exit"))
    outcome = models.ForeignKey(
        EmploymentOutcome, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    details = models.TextField(_("details"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-exit_on", "-id"]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} exit {self.exit_on}: {self.reason}"
