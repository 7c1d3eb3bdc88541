"""Input checks for caseload pages. The services apply the business rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.cases.constants import TransferKind
from caseworks.partners.models import DeliveryPartner, Office


class ReassignForm(StaffForm):
    """One case (a single id) or many (bulk) to one worker."""

    cases = forms.TypedMultipleChoiceField(
        label=_("Cases to reassign"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    caseworker = forms.TypedChoiceField(label=_("Give the selected cases to"), coerce=int)

    def __init__(
        self, *args: Any, case_choices: list[tuple[int, str]], workers: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cases"]).choices = case_choices
        cast(forms.ChoiceField, self.fields["caseworker"]).choices = [
            ("", _("Choose a worker")),
            *[(w.pk, w.get_full_name() or w.username) for w in workers],
        ]


class TransferForm(StaffForm):
    kind = forms.ChoiceField(label=_("Kind of transfer"), choices=TransferKind.choices)
    to_partner = forms.ModelChoiceField(
        label=_("Receiving delivery partner"),
        queryset=DeliveryPartner.objects.filter(is_active=True),
    )
    to_office = forms.ModelChoiceField(
        label=_("Receiving office"),
        queryset=Office.objects.filter(is_active=True).select_related("delivery_partner"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
