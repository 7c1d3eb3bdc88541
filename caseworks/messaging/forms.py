"""Input checks for the staff forms of clients online. The services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm

from .constants import MESSAGE_MAX_CHARS, ReportedChangeStatus


class ReplyForm(StaffForm):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The client sees it online. Plain words; no other person's information."),
    )


class ReportedChangeDecideForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReportedChangeStatus.VERIFIED.value, _("Verified: record the change")),
            (ReportedChangeStatus.REJECTED.value, _("Not accepted")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The proof you saw, or why the change is not accepted."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
