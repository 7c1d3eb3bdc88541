"""A case's payment profile, its bank accounts and changes of bank details."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel


class PaymentProfile(BaseModel):
    """How and whether a case is paid: method, hold, and the overpayment recovery rate."""

    benefit_unit = models.OneToOneField(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="payment_profile"
    )
    on_hold = models.BooleanField(_("payments on hold"), default=False)
    hold_reason = models.TextField(_("reason for the hold"), blank=True)
    # None: the default for the partner (10 %, or 5 % for a First Nation). Anything else needs
    # the recipient's written consent (a document on file).
    recovery_rate_bp = models.PositiveIntegerField(null=True, blank=True)
    recovery_consent = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recovery_rate_bp__isnull=True)
                | models.Q(recovery_consent__isnull=False),
                name="profile_custom_rate_needs_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(recovery_rate_bp__isnull=True)
                | models.Q(recovery_rate_bp__lte=10000),
                name="profile_rate_at_most_100_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"Payment profile of {self.benefit_unit_id}"


class BankAccount(BaseModel):
    """Direct deposit details; history kept (an account is ended, never edited)."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="bank_accounts"
    )
    holder_name = models.CharField(_("account holder"), max_length=30)
    institution = models.CharField(_("institution number"), max_length=3)
    transit = models.CharField(_("transit (branch) number"), max_length=5)
    account = models.CharField(_("account number"), max_length=12)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)
    # The first day a deposit may go to this account (the cooling-off period after a change of
    # bank details, caseworks/payments/bank_details.py); before it the run pays by cheque.
    deposits_from = models.DateField(_("deposits from"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit_unit"],
                condition=models.Q(end_on__isnull=True),
                name="bank_account_one_current_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(institution__regex=r"^[0-9]{3}$")
                & models.Q(transit__regex=r"^[0-9]{5}$")
                & models.Q(account__regex=r"^[0-9]{7,12}$"),
                name="bank_account_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}-{self.transit}-…{self.account[-3:]}"


class BankDetailChange(BaseModel):
    """A requested change of a case's direct deposit account: proof on file, a second staff
    member's approval, a notice to the client, then a cooling-off period before the first
    deposit (caseworks/payments/bank_details.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second person's approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="bank_detail_changes"
    )
    holder_name = models.CharField(_("account holder"), max_length=30)
    institution = models.CharField(_("institution number"), max_length=3)
    transit = models.CharField(_("transit (branch) number"), max_length=5)
    account = models.CharField(_("account number"), max_length=12)
    proof = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("proof")
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit_unit"],
                condition=models.Q(status="pending"),
                name="bank_detail_change_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="bank_detail_change_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} …{self.account[-3:]} {self.status}"
