"""Input checks for the client pages. The services apply the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.core.errors import ApplicationError
from caseworks.core.forms import DateInput, PostalCodeField
from caseworks.core.validators import printable_name

from .constants import Language
from .page_names import page_choices
from .services import person_birth_date_clean, person_sin_clean

__all__ = ["DateInput"]  # re-exported: the other apps' forms import it from here


class SinInput(forms.TextInput):
    """A SIN box that never writes a number back into the page: after a refused submission the
    caseworker types it again (the full SIN is never rendered)."""

    def format_value(self, value: Any) -> str | None:
        return None


class ClientSearchForm(StaffForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, date of birth (YYYY-MM-DD), last 3 digits of the SIN, or case number"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    sin_last3 = forms.RegexField(
        label=_("Last 3 digits of the SIN"),
        regex=r"^\d{3}$",
        required=False,
        error_messages={"invalid": _("Enter exactly 3 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "3"}),
    )
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=16)

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


def _page_filter_choices() -> list[tuple[str, str]]:
    return [("", str(_("Any"))), *page_choices()]


class AccessLogFilterForm(StaffForm):
    """An auditor's filters on the access log (all optional)."""

    user = forms.CharField(label=_("Staff member (username)"), required=False, max_length=150)
    person = forms.IntegerField(label=_("Client number"), required=False, min_value=1)
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=16)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[
            ("", _("Any")),
            ("web", _("Web page")),
            ("api", _("API")),
            ("admin", _("Administration")),
        ],
    )
    view_name = forms.ChoiceField(label=_("Page"), required=False, choices=_page_filter_choices)


class PersonForm(StaffForm):
    first_name = forms.CharField(
        validators=[printable_name],
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    middle_name = forms.CharField(
        validators=[printable_name],
        label=_("Middle name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        validators=[printable_name],
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    sin = forms.CharField(
        label=_("Social Insurance Number"),
        max_length=11,
        required=False,
        help_text=_("9 digits. After saving, only the last 3 digits are shown."),
        widget=SinInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Set when a SIN was typed on an earlier, refused submission of this form (see clean()).
    sin_entered = forms.BooleanField(required=False, widget=forms.HiddenInput)
    language_preference = forms.ChoiceField(
        label=_("Language of service"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Email: enter an address like name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    address_line = forms.CharField(
        validators=[printable_name], label=_("Address"), max_length=300, required=False
    )
    city = forms.CharField(
        validators=[printable_name], label=_("City"), max_length=100, required=False
    )
    postal_code = PostalCodeField(label=_("Postal code"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and (self.data.get("sin", "").strip() or self.data.get("sin_entered")):
            self.fields["sin"].help_text = SIN_RETYPE_HINT

    # Every field is checked in one submission, with the service's own rules for the date of
    # birth and the SIN, so that a bad email, a future birth date and a bad SIN are reported
    # together (they used to come one submission at a time).
    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("date_of_birth")
        if value is None:
            return value
        try:
            return person_birth_date_clean(value)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code="invalid_birth_date") from exc

    def clean_sin(self) -> str:
        try:
            return person_sin_clean(self.cleaned_data.get("sin") or "")
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code="invalid_sin") from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("sin_entered") and not cleaned.get("sin") and "sin" not in self.errors:
            self.add_error("sin", SIN_RETYPE_HINT)
        return cleaned

    def sin_was_typed(self) -> bool:
        """For the hidden flag: a SIN was typed now or on an earlier try."""
        return bool(self.data.get("sin", "").strip() or self.data.get("sin_entered"))


SIN_RETYPE_HINT = _(
    "For privacy, the number you typed is not shown again. Type all 9 digits again."
)


class PersonCreateForm(PersonForm):
    acknowledge_possible_duplicates = forms.BooleanField(
        label=_("I have checked: this is a different person"),
        required=False,
    )
    add_to_case = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PersonEditForm(PersonForm):
    def __init__(self, *args: Any, sin_last3: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sin_last3 and self.fields["sin"].help_text != SIN_RETYPE_HINT:
            self.fields["sin"].help_text = _(
                "On file: ***-***-%(last3)s. Leave blank to keep it; type all 9 digits to "
                "correct it."
            ) % {"last3": sin_last3}
