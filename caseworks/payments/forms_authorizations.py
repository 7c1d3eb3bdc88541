"""Forms of the health benefit authorization pages (issue 16): they check the input only; the
rules (ages, 24 months, the $15 month, the limits, four eyes) are the service's."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.core.forms import DateInput, MoneyField

from .constants import HealthAuthorizationKind, PaymentMethod

# The direct deposit's numbers, each with the rule the bank-details service states.
BANK_NUMBER_MISSING = {
    "institution": _("The institution number is 3 digits (for example 004)."),
    "transit": _("The transit (branch) number is 5 digits (for example 12345)."),
    "account": _("The account number is 7 to 12 digits, without spaces or dashes."),
}


class HealthAuthorizationRequestForm(StaffForm):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Health benefit"),
        choices=[("", _("Choose a health benefit")), *HealthAuthorizationKind.choices],
    )
    vendor_name = forms.CharField(label=_("Vendor's name"), max_length=30)
    vendor_address = forms.CharField(label=_("Vendor's address"), max_length=300)
    vendor_number = forms.CharField(
        label=_("Vendor's number"),
        max_length=40,
        required=False,
        help_text=_("The vendor's billing or provider number, if it has one."),
    )
    starts_on = forms.DateField(label=_("Valid from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Valid to"), widget=DateInput())
    limit = MoneyField(label=_("Limit"), required=False, max_cents=10_000_000)
    device_price = MoneyField(
        label=_("Price approved by the Assistive Devices Program"), required=False
    )
    prescription_seen = forms.BooleanField(
        label=_("I saw the prescription (diabetic and surgical supplies)"), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(
        label=_("Pay the vendor by"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    institution = forms.CharField(label=_("Vendor's institution number"), required=False)
    transit = forms.CharField(label=_("Vendor's transit number"), required=False)
    account = forms.CharField(label=_("Vendor's account number"), required=False)

    required_when: ClassVar[dict[str, Any]] = {
        "limit": _(
            "The vendor's quote. Leave empty for the eye examination and the ADP share: "
            "they are calculated."
        ),
        "device_price": _("Only for the Assistive Devices Program share (25 % is paid)."),
        "institution": _("Only for direct deposit to the vendor."),
        "transit": _("Only for direct deposit to the vendor."),
        "account": _("Only for direct deposit to the vendor."),
    }

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member_field: Any = self.fields["member"]
        member_field.choices = [(m.person_id, m.person.full_name) for m in members]

    def clean(self) -> dict[str, Any]:
        """The vendor's account numbers when it is paid by direct deposit (the limit and the
        ADP price depend on the benefit: the service asks for them with its other rules)."""
        data = super().clean() or {}
        if data.get("method") == PaymentMethod.EFT:
            for name, message in BANK_NUMBER_MISSING.items():
                if not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)
        return data


class HealthAuthorizationDecisionForm(StaffForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.CharField(
        label=_("Reason for the refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required_when: ClassVar[dict[str, Any]] = {
        "refusal_reason": _("Needed to refuse: it is written in the notice to the client."),
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Give the reason for the refusal."))
        return data


class HealthInvoiceForm(StaffForm):
    invoice_number = forms.CharField(label=_("Vendor's invoice number"), max_length=40)
    service_on = forms.DateField(label=_("Date of the service"), widget=DateInput())
    amount = MoneyField(label=_("Amount of the invoice"), required=False, max_cents=10_000_000)
    kilometres = forms.IntegerField(
        label=_("Kilometres driven in the month"), required=False, min_value=0, max_value=100_000
    )
    other_costs = MoneyField(
        label=_("Fares and other transportation costs in the month"), required=False
    )
    required_when: ClassVar[dict[str, Any]] = {
        "amount": _("Leave empty for medical transportation: it is calculated."),
        "kilometres": _("Only for medical transportation."),
        "other_costs": _("Only for medical transportation."),
    }

    def clean(self) -> dict[str, Any]:
        """An amount, or for medical transportation the month's kilometres or costs."""
        data = super().clean() or {}
        given = [data.get(name) for name in ("amount", "kilometres", "other_costs")]
        if all(value in (None, "") for value in given) and "amount" not in self.errors:
            self.add_error("amount", _("Give the invoice's amount, above $0."))
        return data


class HealthCancelForm(StaffForm):
    cancel_reason = forms.CharField(
        label=_("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 2})
    )
