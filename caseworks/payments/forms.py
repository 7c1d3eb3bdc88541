"""Input checks for the payment pages. The services apply the business rules."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.applications.constants import AssetType
from caseworks.clients.forms import DateInput
from caseworks.core.forms import MoneyField, PostalCodeField
from caseworks.core.money import display_cents
from caseworks.core.validators import printable_name

from .constants import (
    IncomeKind,
    OneTimeBenefitKind,
    OneTimePayee,
    PaymentActionKind,
    PaymentMethod,
    Residence,
)
from .services import SHELTER_TYPES, bank_details_errors

SHELTER_CHOICES = [
    ("rent", _("Rent")),
    ("own", _("Own home")),
    ("board_and_lodging", _("Board and lodging")),
    ("no_fixed_address", _("No fixed address")),
]
assert [c[0] for c in SHELTER_CHOICES] == list(SHELTER_TYPES)
ASSET_ROWS = 4


class MonthField(forms.CharField):
    """A month as YYYY-MM → the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Enter a month like 2026-01."), code="invalid")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value


class IncomeReportForm(StaffForm):
    person = forms.TypedChoiceField(label=_("Member"), coerce=int)
    income_month = MonthField(
        label=_("Month the income was received"),
        help_text=_(
            "It is counted in the following month's payment. The month whose report is due now "
            "is filled in."
        ),
    )
    earnings = MoneyField(label=_("Net earnings from employment"), required=False)
    other_kind = forms.ChoiceField(
        label=_("Other income"),
        required=False,
        choices=[("", _("None"))]
        + [(k, label) for k, label in IncomeKind.choices if k != IncomeKind.EARNINGS],
    )
    other_amount = MoneyField(label=_("Amount of the other income"), required=False)
    proof = forms.TypedChoiceField(label=_("Proof"), required=False, coerce=int, empty_value=None)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[Any], documents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field: Any = self.fields["person"]
        person_field.choices = [(m.person_id, m.person.full_name) for m in members]
        proof_field: Any = self.fields["proof"]
        proof_field.choices = [("", _("No document"))] + [(d.pk, d.title) for d in documents]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("other_kind") and data.get("other_amount") is None:
            self.add_error("other_amount", _("Give the amount of the other income."))
        return data

    def amounts(self) -> dict[str, int]:
        data = self.cleaned_data
        amounts = {IncomeKind.EARNINGS.value: data.get("earnings") or 0}
        if data.get("other_kind"):
            amounts[data["other_kind"]] = data.get("other_amount") or 0
        return amounts


class CircumstancesForm(StaffForm):
    effective_month = MonthField(label=_("In force from (month)"))
    shelter_type = forms.ChoiceField(label=_("Type of housing"), choices=SHELTER_CHOICES)
    shelter_cost = MoneyField(label=_("Monthly rent or mortgage"), required=False)
    heat = MoneyField(label=_("Monthly heating cost"), required=False)
    utilities = MoneyField(label=_("Monthly utilities"), required=False)
    address_line = forms.CharField(
        validators=[printable_name], label=_("New address"), required=False, max_length=300
    )
    city = forms.CharField(
        validators=[printable_name], label=_("City"), required=False, max_length=100
    )
    postal_code = PostalCodeField(label=_("Postal code"), required=False)
    remote_community = forms.BooleanField(label=_("Lives in a remote community"), required=False)
    residence = forms.ChoiceField(
        label=_("Where the case lives"),
        choices=Residence.choices,
        initial=Residence.COMMUNITY,
        required=False,
    )
    reason = forms.CharField(
        label=_("What changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, ASSET_ROWS + 1):
            self.fields[f"asset_{index}_type"] = forms.ChoiceField(
                label=_("Asset %(n)s: type") % {"n": index},
                required=False,
                choices=[("", _("None")), *AssetType.choices],
            )
            self.fields[f"asset_{index}_value"] = MoneyField(
                label=_("Asset %(n)s: value") % {"n": index}, required=False
            )

    def asset_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"asset_{index}_type"], self[f"asset_{index}_value"])
            for index in range(1, ASSET_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assets = []
        for index in range(1, ASSET_ROWS + 1):
            kind = data.get(f"asset_{index}_type")
            value = data.get(f"asset_{index}_value")
            if kind and value is None:
                self.add_error(f"asset_{index}_value", _("Give the value of this asset."))
            elif value is not None and not kind:
                self.add_error(f"asset_{index}_type", _("Choose the type of this asset."))
            elif kind:
                assets.append({"type": kind, "value_cents": value, "description": ""})
        data["assets"] = assets
        return data

    @staticmethod
    def initial_from(version: Any) -> dict[str, Any]:
        """The form filled with the version in force (a change is a complete new version)."""
        if version is None:
            return {}
        initial: dict[str, Any] = {
            "shelter_type": version.shelter_type,
            "shelter_cost": version.shelter_cost_cents,
            "heat": version.heat_cents,
            "utilities": version.utilities_cents,
            "remote_community": version.remote_community,
            "residence": version.residence,
        }
        for index, asset in enumerate(version.assets[:ASSET_ROWS], start=1):
            initial[f"asset_{index}_type"] = asset["type"]
            initial[f"asset_{index}_value"] = asset["value_cents"]
        return initial


class RecalculationForm(StaffForm):
    """Check paid months from a month against the facts now recorded."""

    from_month = MonthField(label=_("From (month)"))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class MemberChangeForm(StaffForm):
    """One member's circumstances from a month (a complete new version)."""

    person = forms.TypedChoiceField(label=_("Member"), coerce=int)
    effective_month = MonthField(label=_("In force from (month)"))
    full_time_student = forms.BooleanField(label=_("Full-time student"), required=False)
    pregnant_or_breastfeeding = forms.BooleanField(
        label=_("Pregnant or breast-feeding"), required=False
    )
    special_diet = MoneyField(label=_("Special diet allowance approved (monthly)"), required=False)
    child_care_costs = MoneyField(label=_("Monthly child care costs"), required=False)
    no_child_benefits = forms.BooleanField(
        label=_("Child under 18: no Ontario or Canada Child Benefit received for this child"),
        required=False,
    )
    reason = forms.CharField(
        label=_("What changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field: Any = self.fields["person"]
        person_field.choices = [(m.person_id, m.person.full_name) for m in members]


class BankAccountForm(StaffForm):
    holder_name = forms.CharField(
        validators=[printable_name], label=_("Account holder"), max_length=30
    )
    institution = forms.CharField(
        label=_("Institution number (3 digits)"),
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    transit = forms.CharField(
        label=_("Transit number (5 digits)"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    account = forms.CharField(
        label=_("Account number (7 to 12 digits)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        account = (data.get("account") or "").replace(" ", "").replace("-", "")
        for name, message in bank_details_errors(
            (data.get("institution") or "").strip(), (data.get("transit") or "").strip(), account
        ).items():
            if name in data:
                self.add_error(name, message)
        return data


class PaymentActionForm(StaffForm):
    kind = forms.ChoiceField(label=_("Action"), choices=PaymentActionKind.choices)
    reason = forms.CharField(
        label=_("Reason (printed on the notice)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    effective_on = forms.DateField(
        label=_("Effective date"), initial=timezone.localdate, widget=DateInput()
    )
    for_missing_report = forms.BooleanField(
        label=_("A hold because the monthly income report is missing"),
        required=False,
        help_text=_(
            "Refused until the client was reminded twice, by e-mail and text message where "
            "they have them."
        ),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class PrepareRunForm(StaffForm):
    benefit_month = MonthField(label=_("Benefit month"))


class OverpaymentForm(StaffForm):
    """An overpayment found on a payment already issued."""

    payment = forms.TypedChoiceField(label=_("Payment"), coerce=int)
    correct_amount = MoneyField(label=_("Amount that was due for that month"))
    reason = forms.CharField(
        label=_("Reason (printed on the notice)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, payments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["payment"]
        language = get_language() or "en"
        field.choices = [
            (p.pk, f"{p.benefit_month:%Y-%m} — {display_cents(p.amount_cents, language)}")
            for p in payments
        ]


class LedgerEntryForm(StaffForm):
    """A repayment by the client or a write-off (supervisors) lowering the balance owed."""

    kind = forms.ChoiceField(
        label=_("Entry"),
        choices=[
            ("repayment", _("Repayment by the client")),
            ("write_off", _("Write-off")),
            ("underpayment_paid", _("Underpayment paid to the client")),
        ],
    )
    amount = MoneyField(label=_("Amount"))
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveRunForm(StaffForm):
    """The approver's signed list: each case not calculated or held, acknowledged; and, when
    there is any, the confirmation that they were reviewed (checked by the service)."""

    acknowledged = forms.TypedMultipleChoiceField(
        label=_("Cases I acknowledge (not paid by this run)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviewed = forms.BooleanField(required=False)

    def __init__(self, *args: Any, items: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["acknowledged"]
        field.choices = [(i["benefit_unit"], i["case_number"]) for i in items]
        self.fields["reviewed"].label = _(
            "I have reviewed the %(count)d cases this run does not pay (not calculated or held)."
        ) % {"count": len(items)}


class PayeeFilterForm(forms.Form):
    office = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False, empty_value=None)
    method = forms.ChoiceField(label=_("Method"), required=False)
    q = forms.CharField(label=_("Payee name or case number"), required=False, max_length=100)

    def __init__(self, *args: Any, offices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office: Any = self.fields["office"]
        office.choices = [("", _("All offices")), *offices]
        method: Any = self.fields["method"]
        method.choices = [("", _("All methods")), *PaymentMethod.choices]


class BankDetailChangeForm(BankAccountForm):
    """A new account asked for by staff: with its proof (a document on the case); it waits for
    another staff member's approval (caseworks/payments/bank_details.py)."""

    proof = forms.TypedChoiceField(
        label=_("Proof of the account (void cheque or bank form on this case)"), coerce=int
    )

    def __init__(self, *args: Any, documents: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]  # a tuple default, never mutated
        super().__init__(*args, **kwargs)
        proof_field: Any = self.fields["proof"]
        proof_field.choices = [("", _("Choose the document"))] + [
            (d.pk, d.title) for d in documents if d.kind == "upload"
        ]


class BankChangeDecisionForm(StaffForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))]
    )
    reason = forms.CharField(label=_("Reason (if refused)"), required=False, max_length=500)


class OneTimeRequestForm(StaffForm):
    """A one-time payment asked for on a case (issue 16). The form reads the input; the limits,
    the member, the case's account and the vendor's account are the service's rules, and every
    problem it finds is shown beside its field at once."""

    member = forms.TypedChoiceField(label=_("For which member"), coerce=int)
    # A health benefit is paid against its authorization (its own pages), never asked for here.
    kind = forms.ChoiceField(
        label=_("Benefit"),
        choices=[
            (value, label)
            for value, label in OneTimeBenefitKind.choices
            if value != OneTimeBenefitKind.HEALTH_AUTHORIZATION
        ],
    )
    amount = MoneyField(label=_("Amount"))
    payee = forms.ChoiceField(
        label=_("Paid to"), choices=OneTimePayee.choices, widget=forms.RadioSelect
    )
    vendor_name = forms.CharField(
        label=_("Vendor's name"), max_length=30, required=False, validators=[printable_name]
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    institution = forms.CharField(
        label=_("Vendor's institution number (3 digits)"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    transit = forms.CharField(
        label=_("Vendor's transit number (5 digits)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    account = forms.CharField(
        label=_("Vendor's account number (7 to 12 digits)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Reason (printed on the notice)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required_when = {
        "vendor_name": _("When a vendor is paid."),
        "institution": _("When a vendor is paid by direct deposit."),
        "transit": _("When a vendor is paid by direct deposit."),
        "account": _("When a vendor is paid by direct deposit."),
    }

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_field: Any = self.fields["member"]
        member_field.choices = [(m.person_id, m.person.full_name) for m in members]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        vendor = data.get("payee") == OneTimePayee.VENDOR
        named = (data.get("vendor_name") or "").strip() or "vendor_name" in self.errors
        if vendor and not named:
            self.add_error("vendor_name", _("Give the vendor's name."))
        return data

    def vendor_bank(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k) or "" for k in ("institution", "transit", "account")}


class OneTimeDecisionForm(StaffForm):
    """Approve or refuse a one-time payment request (the refusal's reason is on the notice)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.CharField(
        label=_("Reason for a refusal (printed on the notice)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required_when = {"refusal_reason": _("When the request is refused.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Give the reason for the refusal."))
        return data
