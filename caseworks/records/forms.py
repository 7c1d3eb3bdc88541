"""Forms of the legal-holds page (input only; the services judge it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm


class LegalHoldPlaceForm(StaffForm):
    case_number = forms.CharField(label=_("Case number"), max_length=16)
    reason = forms.CharField(
        label=_("Reason for the hold"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The proceeding or request: for example, an appeal, a claim, an access request."
        ),
    )


class LegalHoldLiftForm(StaffForm):
    hold_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    lift_reason = forms.CharField(
        label=_("Reason for lifting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
