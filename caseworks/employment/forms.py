"""Input checks for referral and employment pages. The services apply the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.clients.forms import DateInput
from caseworks.core.forms import MoneyField
from caseworks.core.validators import printable_name

from .constants import (
    DEFAULT_RESPONSE_DAYS,
    ActivityKind,
    ActivityState,
    AttendanceStatus,
    ExitReason,
    Permanence,
    ProgramKind,
    ProviderKind,
    ReferralStatus,
    SharedInformation,
)


def _today() -> Any:
    return timezone.localdate()


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class ReferralForm(StaffForm):
    person = forms.TypedChoiceField(label=_("Client"), coerce=int)
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)
    purpose = forms.CharField(
        label=_("Reason for the referral"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    information_shared = forms.MultipleChoiceField(
        label=_("Information shared with the provider"),
        help_text=_(
            "The provider sees the client's phone and e-mail only with “Name and contact "
            "details”, as they are on the day the referral is sent: later changes are not "
            "passed on."
        ),
        choices=SharedInformation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_given = forms.BooleanField(
        label=_("The client consents to sharing this information with the provider"),
        required=False,
    )
    expected_response_days = forms.IntegerField(
        label=_("Expected response (days)"),
        min_value=1,
        max_value=90,
        initial=DEFAULT_RESPONSE_DAYS,
    )

    def __init__(self, *args: Any, people: list[Any], providers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "person", [(p.pk, p.full_name) for p in people])
        _set_choices(
            self,
            "provider",
            [("", _("Choose a provider"))] + [(p.pk, str(p)) for p in providers],
        )


class ReferralStatusForm(StaffForm):
    to_status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class OutcomeForm(StaffForm):
    person = forms.TypedChoiceField(label=_("Client"), coerce=int)
    employer = forms.CharField(label=_("Employer"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    start_on = forms.DateField(label=_("Start date"), initial=_today, widget=DateInput())
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(168),
        help_text=_("30 hours or more counts as full time."),
    )
    hourly_wage = MoneyField(label=_("Hourly wage ($)"))
    permanence = forms.ChoiceField(label=_("Permanence"), choices=Permanence.choices)
    has_benefits = forms.BooleanField(label=_("Employer health or dental benefits"), required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "person", [(p.pk, p.full_name) for p in people])


class FollowUpForm(StaffForm):
    still_employed = forms.TypedChoiceField(
        label=_("Still employed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week now"), max_digits=5, decimal_places=2, required=False
    )
    hourly_wage = MoneyField(label=_("Hourly wage now ($)"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)

    required_when: ClassVar[dict[str, Any]] = {
        "hours_per_week": _("Needed when the client is still employed."),
        "hourly_wage": _("Needed when the client is still employed."),
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("still_employed"):
            if cleaned.get("hours_per_week") is None and "hours_per_week" not in self.errors:
                self.add_error(
                    "hours_per_week",
                    _("Hours per week now: needed when the client is still employed."),
                )
            if cleaned.get("hourly_wage") is None and "hourly_wage" not in self.errors:
                self.add_error(
                    "hourly_wage",
                    _("Hourly wage now: needed when the client is still employed."),
                )
        return cleaned


class EmploymentActivityForm(StaffForm):
    person = forms.TypedChoiceField(label=_("Client"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    description = forms.CharField(label=_("Description"), max_length=2000)
    organisation = forms.CharField(
        label=_("Organisation or employer"), max_length=200, required=False
    )
    start_on = forms.DateField(label=_("Start date"), initial=_today, widget=DateInput())
    end_on = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    state = forms.ChoiceField(label=_("Status"), choices=ActivityState.choices)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "person", [(p.pk, p.full_name) for p in people])


class ExitForm(StaffForm):
    reason = forms.ChoiceField(label=_("Reason for leaving assistance"), choices=ExitReason.choices)
    exit_on = forms.DateField(label=_("Date of exit"), initial=_today, widget=DateInput())
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class ProviderForm(StaffForm):
    name = forms.CharField(validators=[printable_name], label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices)
    services = forms.CharField(
        label=_("Services offered"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    catchment = forms.CharField(label=_("Catchment area"), max_length=200, required=False)
    contact_name = forms.CharField(
        validators=[printable_name], label=_("Contact name"), max_length=200, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(
        validators=[printable_name], label=_("Address"), max_length=300, required=False
    )


class ProviderAccountForm(StaffForm):
    """Link a provider-role login (created by the partner administrator) to one provider."""

    username = forms.CharField(
        label=_("Username of the provider login"),
        max_length=150,
        help_text=_("A staff account with the role “Employment services provider”."),
    )
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)

    def __init__(self, *args: Any, providers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self, "provider", [("", _("Choose a provider"))] + [(p.pk, str(p)) for p in providers]
        )


class ProgramForm(StaffForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgramKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionForm(StaffForm):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("Capacity (places)"), min_value=1, max_value=500)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class SessionRegisterForm(StaffForm):
    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    person = forms.TypedChoiceField(label=_("Client"), coerce=int)

    def __init__(self, *args: Any, sessions: list[Any], people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "session",
            [("", _("Choose a session"))]
            + [
                (s.pk, f"{s.program.name} — {timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}")
                for s in sessions
            ],
        )
        _set_choices(self, "person", [(p.pk, p.full_name) for p in people])


class AttendanceForm(StaffForm):
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
