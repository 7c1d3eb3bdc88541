"""Input checks for the review and appeal forms. The services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.clients.forms import DateInput

from .constants import AppealOutcome, ReviewOutcome


class ReviewRequestForm(StaffForm):
    decision_description = forms.CharField(
        label=_("Decision to review"),
        max_length=300,
        help_text=_("For example: cancellation of assistance of 2026-01-15; overpayment notice."),
    )
    decision_date = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    decision_received_on = forms.DateField(
        label=_("Date the client received it"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a mailed decision: it counts as received 3 days after."),
    )
    requested_on = forms.DateField(
        label=_("Date the request was received"), initial=timezone.localdate, widget=DateInput()
    )
    grounds = forms.CharField(
        label=_("Why the client disagrees"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    late_reason = forms.CharField(
        label=_("If the request is late, why"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A late request is recorded and flagged, not refused."),
    )


class ReviewDecideForm(StaffForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    reasons = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_on = forms.DateField(
        label=_("Decided on"), initial=timezone.localdate, widget=DateInput()
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class AppealForm(StaffForm):
    filed_on = forms.DateField(label=_("Filed with the Tribunal on"), widget=DateInput())
    tribunal_file_number = forms.CharField(
        label=_("Tribunal file number"), required=False, max_length=40
    )
    interim_assistance = forms.BooleanField(label=_("Interim assistance ordered"), required=False)
    interim_ordered_on = forms.DateField(
        label=_("Interim assistance ordered on"), required=False, widget=DateInput()
    )


class AppealUpdateForm(StaffForm):
    hearing_on = forms.DateField(label=_("Hearing date"), required=False, widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Tribunal's outcome"),
        required=False,
        choices=[("", _("Not decided yet")), *AppealOutcome.choices],
    )
    outcome_on = forms.DateField(label=_("Outcome date"), required=False, widget=DateInput())
    outcome_notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
