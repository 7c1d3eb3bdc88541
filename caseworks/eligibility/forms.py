"""The decision and override review forms. The services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.clients.forms import DateInput

from .constants import DecisionOutcome


def _today() -> Any:
    return timezone.localdate()


class DecisionForm(StaffForm):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    effective_on = forms.DateField(
        label=_("Start date (effective date)"), initial=_today, widget=DateInput()
    )
    reason = forms.CharField(
        label=_("Reason for the denial"),
        required=False,
        max_length=2000,
        help_text=_("Needed only when the determination gives no reason."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_reason = forms.CharField(
        label=_("Reason for going against the rules' result"),
        required=False,
        max_length=4000,
        help_text=_("Required for an override; a supervisor must approve it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverrideReviewForm(StaffForm):
    decision = forms.ChoiceField(
        label=_("Your review"),
        choices=[("approve", _("Approve the override")), ("reject", _("Reject the override"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        help_text=_("Required to reject."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
