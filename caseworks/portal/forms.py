"""Input checks of the portal's forms (the services apply the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.core.forms import DateInput, MoneyField, PostalCodeField
from caseworks.core.validators import printable_name
from caseworks.documents.constants import MAX_UPLOAD_BYTES
from caseworks.messaging.constants import MESSAGE_MAX_CHARS
from caseworks.messaging.services import MAX_MONTHLY_CENTS


class PortalForm(forms.Form):
    """Errors are reported beside each field by the server (no browser pop-ups)."""

    use_required_attribute = False


class ActivationForm(PortalForm):
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("On the letter from your caseworker, for example 7KQ2M-XH4PD."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("On your letters, at the top."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("For example 1990-04-25."),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    username = forms.CharField(
        label=_("Choose a username"),
        max_length=150,
        help_text=_("Your mobile number works, for example 4165550100."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional. Only to reset your password and to tell you about new letters."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        help_text=_("At least 12 characters. A few words you remember is a good password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def person_field(person_id: int, kind: str) -> str:
    return f"p{person_id}_{kind}"


REPORT_KINDS = ("earnings", "other")


class IncomeReportForm(PortalForm):
    """Last month's earnings (after deductions: the net pay on the stub) and other income, for
    each adult on the case; `stub_id` is a pay stub the client sent (StubForm)."""

    stub_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            self.fields[person_field(person.pk, "earnings")] = MoneyField(
                label=_("Pay received by %(name)s (net, after deductions)")
                % {"name": person.first_name},
                required=False,
                help_text=_("Leave empty or 0 if none."),
            )
            self.fields[person_field(person.pk, "other")] = MoneyField(
                label=_("Other income received by %(name)s") % {"name": person.first_name},
                required=False,
                help_text=_("Support payments, EI, CPP… Leave empty or 0 if none."),
            )

    def amounts(self) -> dict[int, dict[str, int]]:
        result: dict[int, dict[str, int]] = {}
        for person in self.people:
            by_kind = {}
            for kind in REPORT_KINDS:
                cents = self.cleaned_data.get(person_field(person.pk, kind))
                if cents:
                    by_kind[kind] = cents
            result[person.pk] = by_kind
        return result

    def member_rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(p, [self[person_field(p.pk, k)] for k in REPORT_KINDS]) for p in self.people]


class StubForm(PortalForm):
    stub = forms.FileField(
        label=_("Pay stub (photo or PDF)"),
        help_text=_(
            "Take a photo with your phone or choose a file. We read the amount for you to check."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )

    def clean_stub(self) -> Any:
        stub = self.cleaned_data.get("stub")
        if stub and stub.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return stub


class PreferencesForm(PortalForm):
    e_letters = forms.BooleanField(
        label=_("Send me my letters online instead of by mail"),
        required=False,
        help_text=_("We tell you by e-mail or text message when a new letter is waiting."),
    )


class BankChangeForm(PortalForm):
    holder_name = forms.CharField(label=_("Name on the account"), max_length=30)
    institution = forms.CharField(
        label=_("Institution number (3 digits)"),
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    transit = forms.CharField(
        label=_("Transit (branch) number (5 digits)"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    account = forms.CharField(
        label=_("Account number"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    proof = forms.FileField(
        label=_("Void cheque or direct deposit form (photo or PDF)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each at most 10 MB."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single(item, initial) for item in files]
        if any(item.size > MAX_UPLOAD_BYTES for item in cleaned):
            raise forms.ValidationError(_("A file is larger than 10 MB."))
        return cleaned


class MessageForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents"),
        required=False,
        help_text=_("Up to 5 files: photos or PDF, 10 MB each."),
    )


class ReviewRequestForm(PortalForm):
    reason = forms.CharField(
        label=_("Why do you think the decision is wrong?"),
        max_length=MESSAGE_MAX_CHARS,
        help_text=_("In your own words. You can add documents later by message."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# --- Report a change (issue 17): each becomes a pending change for the caseworker -------------


class ChangeForm(StaffForm):
    """The date of a change; the forms below add what changed. Every field is checked at once
    and each error names its field (StaffForm: the house defaults)."""

    changed_on = forms.DateField(
        label=_("Date of the change"),
        help_text=_("The day you moved, or the day the change started. For example 2026-03-01."),
        widget=DateInput(),
    )


class AddressChangeForm(ChangeForm):
    address_line = forms.CharField(
        label=_("New address"),
        max_length=300,
        validators=[printable_name],
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    city = forms.CharField(
        label=_("City or town"),
        max_length=100,
        validators=[printable_name],
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postal_code = PostalCodeField(label=_("Postal code"))
    shelter_cost = MoneyField(
        label=_("Rent or housing cost each month at the new address"),
        required=False,
        max_cents=MAX_MONTHLY_CENTS,
        help_text=_("If you know it. For example 1,150.00"),
    )


class ShelterCostChangeForm(ChangeForm):
    shelter_cost = MoneyField(
        label=_("New rent or housing cost each month"),
        max_cents=MAX_MONTHLY_CENTS,
        help_text=_("What you pay each month now, for example 1,150.00"),
    )


class HouseholdChangeForm(ChangeForm):
    details = forms.CharField(
        label=_("Who moved in or out?"),
        max_length=MESSAGE_MAX_CHARS,
        help_text=_("Their name, who they are to you, and whether they moved in or out."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ChecklistUploadForm(PortalForm):
    """A proof for one item of the checklist (a page has one form per item: give each a
    `prefix`, so that the fields' ids stay unique)."""

    file = forms.FileField(
        label=_("Photo or PDF of the document"),
        help_text=_("Take a photo with your phone or choose a file (PDF, JPEG or PNG, 10 MB)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
        error_messages={"required": _("Photo or PDF of the document: choose a file.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
