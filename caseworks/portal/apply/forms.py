"""The screens of the online application. Each form checks every field at once and names the
field in its errors; dates are typed year-month-day, as the hint says in both languages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.applications.constants import UrgentNeed
from caseworks.applications.services import MAX_ASSET_CENTS, MAX_MONTHLY_CENTS
from caseworks.clients.constants import Language
from caseworks.core.forms import DateInput, MoneyField, PostalCodeField
from caseworks.core.validators import printable_name


def _text(label: Any, *, required: bool = True, autocomplete: str = "off", **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        max_length=kw.pop("max_length", 100),
        required=required,
        validators=[printable_name],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, **kw}),
    )


class AboutForm(StaffForm):
    first_name = _text(_("First name"), autocomplete="given-name")
    last_name = _text(_("Last name"), autocomplete="family-name")
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=DateInput(attrs={"autocomplete": "bday"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Email: enter an address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=_("Language of service"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        widget=forms.RadioSelect,
    )
    required_when = {"phone": _("A phone number, an email address, or both, to reach you.")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("phone", "").strip()
            and not data.get("email")
            and "email" not in self.errors
        ):
            self.add_error(
                "phone",
                _("Phone: enter a phone number or an email address so that we can reach you."),
            )
        return data


class AddressForm(StaffForm):
    address_line = _text(_("Address"), autocomplete="street-address", max_length=300)
    city = _text(_("City or town"), autocomplete="address-level2")
    postal_code = PostalCodeField(label=_("Postal code"))


class HouseholdForm(StaffForm):
    has_spouse = forms.BooleanField(
        label=_("I have a spouse or partner who lives with me"), required=False
    )
    spouse_first_name = _text(_("Spouse's first name"), required=False)
    spouse_last_name = _text(_("Spouse's last name"), required=False)
    spouse_date_of_birth = forms.DateField(
        label=_("Spouse's date of birth"), required=False, widget=DateInput()
    )
    required_when = {
        "spouse_first_name": _("If you have a spouse."),
        "spouse_last_name": _("If you have a spouse."),
        "spouse_date_of_birth": _("If you have a spouse. Year-month-day, for example 1990-05-17"),
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_spouse"):
            for name in ("spouse_first_name", "spouse_last_name", "spouse_date_of_birth"):
                if not data.get(name) and name not in self.errors:
                    label = self.fields[name].label
                    self.add_error(name, _("%(field)s: enter a value.") % {"field": label})
        return data


class ChildForm(StaffForm):
    first_name = _text(_("Child's first name"))
    last_name = _text(_("Child's last name"), required=False)
    date_of_birth = forms.DateField(label=_("Child's date of birth"), widget=DateInput())


class MoneyForm(StaffForm):
    monthly_income = MoneyField(
        label=_("Your household's income each month (wages, benefits, support)"),
        max_cents=MAX_MONTHLY_CENTS,
        required=False,
    )
    assets = MoneyField(
        label=_("Money in the bank, cash and other savings"),
        max_cents=MAX_ASSET_CENTS,
        required=False,
    )
    shelter_cost = MoneyField(
        label=_("Rent or mortgage each month"), max_cents=MAX_MONTHLY_CENTS, required=False
    )
    urgent_needs = forms.MultipleChoiceField(
        label=_("Do you need help urgently?"),
        choices=UrgentNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick any that apply: your application is then handled first."),
    )


class ReviewForm(StaffForm):
    consent = forms.BooleanField(
        label=_(
            "I agree that Ontario Works may check my information with others "
            "(employers, banks, government)"
        ),
    )
    declaration = forms.BooleanField(
        label=_("I declare that my answers are true and complete"),
    )
