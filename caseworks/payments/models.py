"""The monthly cycle: reported income, dated circumstances, payment runs, payments, direct
deposit, holds and the overpayment ledger. Every amount is an integer number of cents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import (
    ChequeActionKind,
    FactSource,
    IncomeKind,
    LedgerEntryKind,
    LineKind,
    PaymentActionKind,
    PaymentFileKind,
    PaymentMethod,
    ReissueMethod,
    ReturnsFileFormat,
    RunStatus,
)


class CircumstancesChange(BaseModel):
    """The case's own facts (housing, address, remote community, assets) in force from
    `effective_month` (first day) until the next row: each row is a complete version.

    Versioned facts: a later row for the same month supersedes an earlier one (highest id wins);
    nothing is overwritten, so every past month can be recalculated from what was known. The
    first version is the application's facts, written at the grant (`source` = application).
    """

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="circumstances_changes"
    )
    effective_month = models.DateField(_("in force from (month)"))
    shelter_type = models.CharField(_("type of housing"), max_length=32)
    shelter_cost_cents = models.BigIntegerField(_("monthly rent or mortgage"), default=0)
    heat_cents = models.BigIntegerField(_("monthly heating cost"), default=0)
    utilities_cents = models.BigIntegerField(_("monthly utilities"), default=0)
    address_line = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    remote_community = models.BooleanField(_("lives in a remote community"), default=False)
    # [{"type": <AssetType>, "value_cents": int, "description": str}, ...] of the whole unit.
    assets = models.JSONField(_("assets"), default=list, blank=True)
    source = models.CharField(
        max_length=16, choices=FactSource.choices, default=FactSource.CHANGE, editable=False
    )
    reason = models.TextField(_("what changed"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["benefit_unit", "effective_month", "id"]
        indexes = [models.Index(fields=["benefit_unit", "effective_month"], name="circ_case_month")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shelter_cost_cents__gte=0)
                & models.Q(heat_cents__gte=0)
                & models.Q(utilities_cents__gte=0),
                name="circumstances_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} from {self.effective_month:%Y-%m}"


class MemberCircumstancesChange(BaseModel):
    """One member's own facts that the rules need (student, pregnancy or breast-feeding,
    special diet, child care costs), in force from `effective_month` until the next row for the
    same member. The first version is the application's facts, written at the grant."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="member_circumstances_changes"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    effective_month = models.DateField(_("in force from (month)"))
    full_time_student = models.BooleanField(_("full-time student"), default=False)
    pregnant_or_breastfeeding = models.BooleanField(_("pregnant or breast-feeding"), default=False)
    special_diet_cents = models.BigIntegerField(_("special diet allowance approved"), default=0)
    child_care_costs_cents = models.BigIntegerField(_("monthly child care costs"), default=0)
    source = models.CharField(
        max_length=16, choices=FactSource.choices, default=FactSource.CHANGE, editable=False
    )
    reason = models.TextField(_("what changed"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["benefit_unit", "person", "effective_month", "id"]
        indexes = [
            models.Index(fields=["benefit_unit", "effective_month"], name="member_circ_case_month")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(special_diet_cents__gte=0)
                & models.Q(child_care_costs_cents__gte=0),
                name="member_circumstances_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id}/{self.person_id} from {self.effective_month:%Y-%m}"


class IncomeReport(BaseModel):
    """Income one member received in `income_month` (applied to the following benefit month)."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="income_reports"
    )
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="+")
    income_month = models.DateField(_("month the income was received"))
    kind = models.CharField(_("kind of income"), max_length=32, choices=IncomeKind.choices)
    amount_cents = models.BigIntegerField(_("amount"))
    proof = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "application": declared on the application and recorded at the grant, so the month the
    # decision was calculated for is paid from exactly the same income (never zero by default).
    source = models.CharField(
        max_length=16, choices=FactSource.choices, default=FactSource.CHANGE, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-income_month", "person_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit_unit", "person", "income_month", "kind"],
                name="income_report_one_per_member_month_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="income_report_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["benefit_unit", "income_month"], name="income_case_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.income_month:%Y-%m} {self.kind}"


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


class PaymentRun(BaseModel):
    """One delivery partner's payments for one benefit month: dry run, approval, release."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="payment_runs"
    )
    benefit_month = models.DateField(_("benefit month"))
    status = models.CharField(max_length=24, choices=RunStatus.choices, default=RunStatus.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dry_run_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_started_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # Dry-run figures (from the stored lines).
    case_count = models.PositiveIntegerField(default=0)
    payment_count = models.PositiveIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    eft_count = models.PositiveIntegerField(default=0)
    eft_total_cents = models.BigIntegerField(default=0)
    cheque_count = models.PositiveIntegerField(default=0)
    cheque_total_cents = models.BigIntegerField(default=0)
    recovery_total_cents = models.BigIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    previous_total_cents = models.BigIntegerField(null=True, blank=True)
    previous_payment_count = models.PositiveIntegerField(null=True, blank=True)
    unusual_changes = models.JSONField(default=list, blank=True)
    rules_version = models.CharField(max_length=32, blank=True)
    # Release progress: every line with id <= checkpoint has its Payment (resumable).
    release_checkpoint = models.BigIntegerField(default=0)
    released_count = models.PositiveIntegerField(default=0)
    released_total_cents = models.BigIntegerField(default=0)
    file_creation_number = models.PositiveIntegerField(default=1)
    # Run controls (issue 12): the cases on hold when the dry run was made
    # ([{"benefit_unit": id, "case_number": str, "reason": str}]), the dry run's job state.
    held_cases = models.JSONField(default=list, blank=True)
    dry_run_queued_at = models.DateTimeField(null=True, blank=True)
    dry_run_error = models.TextField(blank=True)
    dry_run_failed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-benefit_month", "delivery_partner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "benefit_month"], name="payment_run_one_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_partner_id} {self.benefit_month:%Y-%m} ({self.status})"

    @property
    def variance_cents(self) -> int | None:
        if self.previous_total_cents is None:
            return None
        return self.total_cents - self.previous_total_cents


class PaymentRunLine(models.Model):
    """One case in a run, from its stored determination (no history: rows of a dry run)."""

    # Foreign keys without their own index (a run writes 300,000 lines at once; every index
    # costs): (run, benefit_unit) is covered by the unique constraint below.
    run = models.ForeignKey(
        PaymentRun, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    determination = models.ForeignKey(
        "eligibility.Determination",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(max_length=16, choices=LineKind.choices)
    amount_cents = models.BigIntegerField(default=0)
    recovery_cents = models.BigIntegerField(default=0)
    previous_amount_cents = models.BigIntegerField(null=True, blank=True)
    months_in_receipt = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices, blank=True)
    bank_account = models.ForeignKey(
        BankAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    payee_name = models.CharField(max_length=30, blank=True)
    is_interim = models.BooleanField(default=False)
    unusual = models.BooleanField(default=False)
    errors = models.JSONField(default=list, blank=True)
    # Paid, but needs a person's attention (e.g. an income report missing: paid on the last
    # known income, a task created, the difference booked when the report comes in).
    exceptions = models.JSONField(default=list, blank=True)
    # The case's version when the line was calculated: a case changed before the release is
    # corrected against its payment at the release (`runs._correct_changed_cases`).
    case_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "benefit_unit"], name="run_line_one_per_case"),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gte=0), name="run_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"line {self.pk} of run {self.run_id}"


class PaymentRunAcknowledgement(models.Model):
    """The approver's signed list: a case the run could not calculate, or a case held, that the
    approver has seen and accepts to leave unpaid in this run (a new dry run clears the list)."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="acknowledgements")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16)  # "error" (not calculated) or "held"
    reason = models.TextField(blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "benefit_unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "benefit_unit"], name="run_ack_one_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} acknowledged on run {self.run_id}"


class PaymentApprover(BaseModel):
    """A person named to approve and release payment runs: of one delivery partner (named by its
    partner administrator), or, without a partner, one of the Ministry's finance approvers (the
    fallback for any partner)."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment_approvers",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_partner_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "user"],
                nulls_distinct=False,
                name="payment_approver_once",
            )
        ]

    def __str__(self) -> str:
        return f"approver {self.user_id} for {self.delivery_partner_id or 'the Ministry'}"


class Payment(models.Model):
    """Money issued: exactly one per case per benefit month (database constraint)."""

    # (benefit_unit, benefit_month) is unique and (run, method, id) indexed below: no separate
    # foreign-key indexes for those (fewer index writes per payment).
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    benefit_month = models.DateField()
    run = models.ForeignKey(
        PaymentRun, on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    line = models.OneToOneField(PaymentRunLine, on_delete=models.PROTECT, related_name="payment")
    determination = models.ForeignKey(
        "eligibility.Determination", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    amount_cents = models.BigIntegerField()
    recovery_cents = models.BigIntegerField(default=0)
    months_in_receipt = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    institution = models.CharField(max_length=3, blank=True)
    transit = models.CharField(max_length=5, blank=True)
    account = models.CharField(max_length=12, blank=True)
    payee_name = models.CharField(max_length=30, blank=True)
    is_interim = models.BooleanField(default=False)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-benefit_month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit_unit", "benefit_month"], name="payment_one_per_case_month"
            ),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payment_positive"),
        ]
        indexes = [models.Index(fields=["run", "method", "id"], name="payment_run_method")]

    def __str__(self) -> str:
        return f"{self.benefit_unit_id} {self.benefit_month:%Y-%m}: {self.amount_cents}"


class LedgerEntry(models.Model):
    """A case's money owed either way. The overpayment balance is the sum of `amount_cents`
    over overpayment/recovery/repayment/write-off entries (positive = owed by the client).
    Entries are never edited or deleted; a mistake is corrected by another entry."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=24, choices=LedgerEntryKind.choices)
    amount_cents = models.BigIntegerField()
    benefit_month = models.DateField(null=True, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    determination = models.ForeignKey(
        "eligibility.Determination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField()
    citation = models.CharField(max_length=300, blank=True)
    notice_en = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_fr = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit", "kind"], name="ledger_case_kind")]
        constraints = [
            # A recovery by deduction is tied to the payment it was deducted from, once.
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(kind="recovery"),
                name="ledger_one_recovery_per_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents} on {self.benefit_unit_id}"


class PaymentAction(models.Model):
    """A hold, suspension, cancellation or reinstatement, with its reason and notices."""

    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="payment_actions"
    )
    kind = models.CharField(max_length=16, choices=PaymentActionKind.choices)
    reason = models.TextField()
    effective_on = models.DateField()
    notice_en = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_fr = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.benefit_unit_id}"


class FileCreationCounter(models.Model):
    """The last CPA-005 file creation number used by one originator (its bank-assigned id).
    Taken under `select_for_update` (services.file_creation_number_take): a number is never
    given twice, also when two files are built at once or a run's file is built again."""

    originator_id = models.CharField(max_length=10, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_number__lte=9999), name="file_creation_number_4_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.originator_id}: {self.last_number:04d}"


class PaymentFile(models.Model):
    """One CPA-005 file built for a run, or for a partner's reissued deposits not sent yet
    (`kind` reissues, no run): its number, what it carries, who built it and when. Rebuilding a
    run's file makes a new row with a new number; rows are never edited."""

    run = models.ForeignKey(
        PaymentRun, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        max_length=8, choices=PaymentFileKind.choices, default=PaymentFileKind.RUN
    )
    originator_id = models.CharField(max_length=10)
    file_creation_number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    credit_count = models.PositiveIntegerField()
    credit_total_cents = models.BigIntegerField()
    created_on = models.DateField()
    funds_on = models.DateField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-built_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["originator_id", "file_creation_number"],
                name="payment_file_number_never_reused",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="reissues") | models.Q(run__isnull=False),
                name="payment_file_of_a_run_has_its_run",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.originator_id} {self.file_creation_number:04d} (run {self.run_id})"


class ReturnsFile(models.Model):
    """A bank's returned-items file imported for a partner (issue 12). Unique by its SHA-256:
    importing the same file again changes nothing. `next_item` is the import's checkpoint
    (items before it are written); a killed import resumes there."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="returns_files"
    )
    file_format = models.CharField(max_length=8, choices=ReturnsFileFormat.choices)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    item_count = models.PositiveIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    next_item = models.PositiveIntegerField(default=0)
    recorded_count = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery_partner", "sha256"], name="returns_file_once_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"returns file {self.pk} ({self.item_count} items)"


class PaymentReturn(models.Model):
    """A direct deposit the bank returned, with its reason (Standard 007 code). The payment is
    never edited: this row says it came back. One return per payment (database constraint)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_return")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    returns_file = models.ForeignKey(
        ReturnsFile, on_delete=models.PROTECT, related_name="returns", db_index=False
    )
    item_number = models.PositiveIntegerField()  # the line or item of the returns file
    amount_cents = models.BigIntegerField()
    reason_code = models.CharField(max_length=3)
    cross_reference = models.CharField(max_length=19)
    trace_number = models.CharField(max_length=22, blank=True)
    returned_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-returned_on", "-id"]
        indexes = [models.Index(fields=["benefit_unit"], name="payment_return_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="payment_return_positive"
            )
        ]

    def __str__(self) -> str:
        return f"return of payment {self.payment_id} ({self.reason_code})"


class ChequeAction(models.Model):
    """A stop, cancellation or reissue on a cheque of the cheque register, with its reason.
    One stop or cancel per cheque; a reissue follows one of them (see returns.py)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="cheque_actions")
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=8, choices=ChequeActionKind.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit"], name="cheque_action_case")]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(kind__in=["stop", "cancel"]),
                name="cheque_stopped_or_cancelled_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of cheque {self.payment_id}"


class PaymentReissue(models.Model):
    """Money issued again for a payment that did not reach the client: a returned deposit or a
    stopped or cancelled cheque. A new payment linked to the original (not a `Payment` row: that
    table holds one payment per case and month). One reissue per return and per original
    payment (database constraints): a replay reissues nothing."""

    original = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="reissue")
    payment_return = models.OneToOneField(
        PaymentReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="reissue"
    )
    benefit_unit = models.ForeignKey(
        "cases.BenefitUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    method = models.CharField(max_length=8, choices=ReissueMethod.choices)
    amount_cents = models.BigIntegerField()
    bank_account = models.ForeignKey(
        BankAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.CharField(max_length=3, blank=True)
    transit = models.CharField(max_length=5, blank=True)
    account = models.CharField(max_length=12, blank=True)
    payee_name = models.CharField(max_length=30, blank=True)
    reason = models.TextField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    # Sent once: a direct deposit in one reissues file (`payment_file`), a cheque in one reissue
    # cheque list (`sent_at` alone); see returns.reissue_file_build / reissue_cheque_list_csv.
    payment_file = models.ForeignKey(
        "PaymentFile", null=True, blank=True, on_delete=models.PROTECT, related_name="reissues"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["benefit_unit"], name="payment_reissue_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="payment_reissue_positive"
            )
        ]

    def __str__(self) -> str:
        return f"reissue of payment {self.original_id} by {self.method}"


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
