"""Input checks for participation agreement pages. The services apply the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.clients.forms import DateInput

from .constants import DeferralReason, GoalCategory, ResponsibleParty


def _today() -> Any:
    return timezone.localdate()


class AgreementCreateForm(StaffForm):
    person = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    start_on = forms.DateField(label=_("Start date"), initial=_today, widget=DateInput())

    def __init__(self, *args: Any, adults: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["person"]).choices = [
            (p.pk, p.full_name) for p in adults
        ]


class GoalForm(StaffForm):
    category = forms.ChoiceField(label=_("Kind of goal"), choices=GoalCategory.choices)
    description = forms.CharField(
        label=_("Goal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class ActivityForm(StaffForm):
    goal = forms.TypedChoiceField(label=_("For goal"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(
        label=_("Activity"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_on = forms.DateField(label=_("Start date"), initial=_today, widget=DateInput())
    end_on = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    responsible_party = forms.ChoiceField(
        label=_("Responsible party"), choices=ResponsibleParty.choices
    )
    responsible_detail = forms.CharField(
        label=_("Responsible (name)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", _("No particular goal")),
            *[(g.pk, g.description[:80]) for g in goals],
        ]


class SignForm(StaffForm):
    signed_on = forms.DateField(label=_("Signed on"), initial=_today, widget=DateInput())
    signed_by = forms.CharField(
        label=_("Signed by"),
        max_length=200,
        help_text=_("Name of the person who signed: the participant or their trustee."),
    )


class ReviewForm(StaffForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), initial=_today, widget=DateInput())
    notes = forms.CharField(
        label=_("Review summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeferralForm(StaffForm):
    reason = forms.ChoiceField(label=_("Reason for deferral"), choices=DeferralReason.choices)
    start_on = forms.DateField(label=_("From"), initial=_today, widget=DateInput())
    end_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        help_text=_("Required for other exceptional circumstances."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
