"""Input checks for the intake and application pages. The services apply the business rules.

Money is typed in the page's language ("1,234.50" / "1 234,50") and becomes integer cents
here (caseworks.core.forms.MoneyField); never a float.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.cases.constants import MemberRole
from caseworks.clients.forms import DateInput, PersonForm
from caseworks.core.forms import MoneyField
from caseworks.core.validators import printable_name

from .constants import (
    AppointmentStatus,
    AssetType,
    IncomeType,
    InquiryCloseReason,
    InquiryStatus,
    ShelterType,
    VerificationStatus,
)
from .selectors import DAY_END, DAY_START, SLOT_MINUTES
from .services import APPOINTMENT_MINUTES

# --- Screening and appointments ---------------------------------------------------------------


class InquiryForm(StaffForm):
    caller_name = forms.CharField(
        validators=[printable_name], label=_("Caller's name"), max_length=200
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    adults = forms.IntegerField(
        label=_("Adults in the household"), min_value=1, max_value=20, initial=1
    )
    children = forms.IntegerField(
        label=_("Children under 18"), min_value=0, max_value=20, initial=0
    )
    has_spouse = forms.BooleanField(label=_("Has a spouse or partner"), required=False)
    monthly_income = MoneyField(label=_("Total monthly income"), required=False)
    shelter_cost = MoneyField(
        label=_("Monthly rent or mortgage"),
        required=False,
        help_text=_("In dollars; leave empty if the caller has no fixed address."),
    )
    assets = MoneyField(label=_("Savings and other assets"), required=False)


def _time_choices() -> list[tuple[str, str]]:
    choices = []
    moment = dt.datetime.combine(dt.date(2000, 1, 1), DAY_START)
    while moment.time() < DAY_END:
        choices.append((moment.strftime("%H:%M"), moment.strftime("%H:%M")))
        moment += dt.timedelta(minutes=SLOT_MINUTES)
    return choices


class AppointmentForm(StaffForm):
    caseworker = forms.TypedChoiceField(label=_("Caseworker"), coerce=int)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.ChoiceField(label=_("Time"), choices=_time_choices)
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        initial=60,
        choices=[(m, _("%(minutes)d minutes") % {"minutes": m}) for m in APPOINTMENT_MINUTES],
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, *args: Any, caseworkers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["caseworker"]).choices = [
            ("", _("Choose a caseworker"))
        ] + [(w.pk, w.get_full_name() or w.username) for w in caseworkers]

    def starts_at(self) -> dt.datetime:
        hour, minute = (int(part) for part in self.cleaned_data["start_time"].split(":"))
        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["day"], dt.time(hour, minute))
        )


class CalendarForm(StaffForm):
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("day", _("Day")), ("week", _("Week"))],
    )
    caseworker = forms.TypedChoiceField(
        label=_("Caseworker"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, caseworkers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["caseworker"]).choices = [
            ("", _("Every caseworker"))
        ] + [(w.pk, w.get_full_name() or w.username) for w in caseworkers]


class AppointmentRescheduleForm(StaffForm):
    """A new time for a booked appointment, with the same caseworker."""

    day = forms.DateField(label=_("New date"), widget=DateInput())
    start_time = forms.ChoiceField(label=_("New time"), choices=_time_choices)
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[(m, _("%(minutes)d minutes") % {"minutes": m}) for m in APPOINTMENT_MINUTES],
    )

    def starts_at(self) -> dt.datetime:
        hour, minute = (int(part) for part in self.cleaned_data["start_time"].split(":"))
        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["day"], dt.time(hour, minute))
        )


class AppointmentCancelForm(StaffForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        error_messages={"required": _("Give the reason for cancelling.")},
    )


class AppointmentOutcomeForm(StaffForm):
    outcome = forms.ChoiceField(
        label=_("Did the client come?"),
        widget=forms.RadioSelect,
        choices=[
            (AppointmentStatus.ATTENDED, _("Attended")),
            (AppointmentStatus.NO_SHOW, _("Did not attend (no-show)")),
        ],
        error_messages={"required": _("Choose whether the client attended or did not attend.")},
    )


# --- The intake queue ---------------------------------------------------------------------------


class InquiryQueueForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (new or assigned)")), *InquiryStatus.choices, ("all", _("All"))],
    )
    mine = forms.BooleanField(label=_("Only inquiries assigned to me"), required=False)


class InquiryAssignForm(StaffForm):
    assignee = forms.TypedChoiceField(
        label=_("Assign to"),
        coerce=int,
        error_messages={"required": _("Choose the person to assign the inquiry to.")},
    )

    def __init__(self, *args: Any, assignees: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignees = assignees
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("Choose a member of staff"))
        ] + [(u.pk, u.get_full_name() or u.username) for u in assignees]


class InquiryCloseForm(StaffForm):
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", _("Choose a reason")), *InquiryCloseReason.choices],
        error_messages={"required": _("Choose the reason for closing the inquiry.")},
    )


class InquiryRegisterForm(PersonForm):
    """The caller registered as a client, pre-filled from the inquiry."""

    acknowledge_possible_duplicates = forms.BooleanField(
        label=_("I have checked: this is a different person"), required=False
    )


# --- The application --------------------------------------------------------------------------


class StartApplicationForm(StaffForm):
    applied_on = forms.DateField(label=_("Date of application"), widget=DateInput())


class ApplicationForm(StaffForm):
    """The unit-level facts. Empty money boxes save as 0 (the form shows what is stored)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    address_line = forms.CharField(
        validators=[printable_name], label=_("Address"), max_length=300, required=False
    )
    city = forms.CharField(
        validators=[printable_name], label=_("City"), max_length=100, required=False
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=7, required=False)
    shelter_type = forms.ChoiceField(
        label=_("Housing"),
        required=False,
        choices=[("", _("Not yet known")), *ShelterType.choices],
    )
    shelter_cost = MoneyField(label=_("Monthly rent or mortgage"), required=False)
    heat = MoneyField(label=_("Monthly heating cost"), required=False)
    utilities = MoneyField(label=_("Monthly utilities (hydro, water)"), required=False)
    remote_community = forms.BooleanField(label=_("Lives in a remote community"), required=False)
    months_in_receipt = forms.IntegerField(
        label=_("Months of assistance already received"),
        min_value=0,
        max_value=600,
        required=False,
    )
    consent_to_verification = forms.BooleanField(
        label=_("The applicant consents to the verification of this information"),
        required=False,
    )

    def clean_postal_code(self) -> str:
        value: str = self.cleaned_data["postal_code"].strip().upper()
        compact = value.replace(" ", "")
        if compact and not (
            len(compact) == 6 and compact[0::2].isalpha() and compact[1::2].isdigit()
        ):
            raise forms.ValidationError(_("Enter a postal code like K1A 0B1."))
        return f"{compact[:3]} {compact[3:]}" if compact else ""


class MemberCircumstancesForm(StaffForm):
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    full_time_student = forms.BooleanField(label=_("Full-time student"), required=False)
    pregnant_or_breastfeeding = forms.BooleanField(
        label=_("Pregnant or breast-feeding"), required=False
    )
    special_diet = MoneyField(label=_("Special diet allowance approved"), required=False)
    child_care_costs = MoneyField(label=_("Monthly child care costs"), required=False)


class _MemberChoiceMixin:
    fields: dict[str, Any]

    def _set_people(self, people: list[tuple[int, str]]) -> None:
        field = cast(forms.ChoiceField, self.fields["person"])
        field.choices = [("", _("Choose a member"))] + [(pk, name) for pk, name in people]
        if len(people) == 1:
            field.initial = people[0][0]


class IncomeForm(_MemberChoiceMixin, StaffForm):
    person = forms.TypedChoiceField(label=_("Member"), coerce=int)
    income_type = forms.ChoiceField(
        label=_("Type of income"), choices=[("", _("Choose a type")), *IncomeType.choices]
    )
    monthly_amount = MoneyField(label=_("Monthly amount"))
    description = forms.CharField(
        label=_("Source (employer, agency)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_people(people)
        self.fields["monthly_amount"].help_text = ""

    def has_changed(self) -> bool:
        # A new row with only the (preselected) member chosen is still a blank row.
        return any(name != "person" for name in self.changed_data)


class AssetForm(StaffForm):
    asset_type = forms.ChoiceField(
        label=_("Type of asset"), choices=[("", _("Choose a type")), *AssetType.choices]
    )
    value = MoneyField(label=_("Value"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = ""


class _RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Repeatable rows: a blank row is ignored; ticking Remove drops a row."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.people = kwargs.pop("people", None)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if self.people is not None:
            kwargs["people"] = self.people
        return kwargs

    def kept_forms(self) -> list[Any]:
        """The submitted rows that are neither blank nor marked for removal, in order."""
        kept = []
        for form in self.forms:
            if not form.has_changed() and form.empty_permitted:
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            kept.append(form)
        return kept


IncomeFormSet = cast(
    type[_RowFormSet],
    forms.formset_factory(
        IncomeForm, formset=_RowFormSet, extra=1, can_delete=True, max_num=40, validate_max=True
    ),
)
AssetFormSet = cast(
    type[_RowFormSet],
    forms.formset_factory(
        AssetForm, formset=_RowFormSet, extra=1, can_delete=True, max_num=40, validate_max=True
    ),
)
MemberFormSet = forms.formset_factory(MemberCircumstancesForm, extra=0, max_num=40)


class MemberCreateForm(StaffForm):
    """A new member of the household (a newborn, a spouse): registered and added at once."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    first_name = forms.CharField(validators=[printable_name], label=_("First name"), max_length=100)
    last_name = forms.CharField(validators=[printable_name], label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=DateInput(), help_text=_("For example 2026-03-14")
    )
    role = forms.ChoiceField(
        label=_("Role in the case"),
        widget=forms.RadioSelect,
        choices=[(v, label) for v, label in MemberRole.choices if v != MemberRole.APPLICANT],
        initial=MemberRole.DEPENDANT_CHILD,
    )
    acknowledge_possible_duplicates = forms.BooleanField(
        label=_("I checked the possible matches: this is a different person"), required=False
    )

    def clean_date_of_birth(self) -> dt.date:
        value: dt.date = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


# --- Verification checklist ---------------------------------------------------------------------

UPLOADED = "uploaded"


class VerificationItemForm(StaffForm):
    item_id = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), choices=VerificationStatus.choices, widget=forms.RadioSelect
    )
    document = forms.ChoiceField(label=_("Proving document"), required=False)
    waived_reason = forms.CharField(label=_("Reason for waiving"), max_length=2000, required=False)

    def __init__(self, *args: Any, documents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document"]).choices = [
            ("", _("No document")),
            (UPLOADED, _("The file uploaded with this form")),
            *[(str(pk), title) for pk, title in documents],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") == VerificationStatus.WAIVED
            and not (data.get("waived_reason") or "").strip()
        ):
            self.add_error("waived_reason", _("Give the reason for waiving this proof."))
        return data


class VerificationFormSetBase(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.documents = kwargs.pop("documents")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "documents": self.documents}


VerificationFormSet = cast(
    type[VerificationFormSetBase],
    forms.formset_factory(
        VerificationItemForm, formset=VerificationFormSetBase, extra=0, max_num=200
    ),
)


class UploadForm(StaffForm):
    file = forms.FileField(
        label=_("Upload a document"),
        required=False,
        help_text=_("PDF, PNG or JPEG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    title = forms.CharField(
        label=_("What is this document?"),
        max_length=200,
        required=False,
        help_text=_("For example: Lease, pay stub for March"),
    )
    person = forms.TypedChoiceField(
        label=_("Whose document"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [
            ("", _("The whole household")),
            *people,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") and not (data.get("title") or "").strip():
            self.add_error("title", _("Say what this document is."))
        return data
