"""Reported income and the dated circumstances of a case and its members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from ..constants import (
    FactSource,
    IncomeKind,
    Residence,
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
    # O. Reg. 134/98 s.41(1) para 1 (emergency hostel: no shelter amount), s.43(1) (long-term
    # care, provincial community residence: personal-needs allowance instead of basic needs).
    residence = models.CharField(
        _("where the case lives"),
        max_length=40,
        choices=Residence.choices,
        default=Residence.COMMUNITY,
    )
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
    # Transition Child Benefit (OW Directive 7.6): a child under 18 for whom the family
    # receives neither the Ontario Child Benefit nor the Canada Child Benefit.
    no_child_benefits = models.BooleanField(
        _("no Ontario or Canada Child Benefit received for this child"), default=False
    )
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
