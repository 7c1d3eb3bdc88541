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
        label=_("Cases to reassign"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one case to reassign")},
    )
    caseworker = forms.TypedChoiceField(
        label=_("Give the selected cases to"),
        coerce=int,
        error_messages={"required": _("Choose a caseworker to reassign to")},
    )

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


class TaskBulkForm(StaffForm):
    """Tasks picked in the queue, and what to do with them: done, or to a colleague."""

    ACTIONS = (("complete", _("Mark done")), ("assign", _("Assign")))

    tasks = forms.TypedMultipleChoiceField(
        label=_("Tasks"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tasks: select at least one task."),
            "invalid_choice": _("Tasks: a selected task is no longer in this list."),
        },
    )
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    assigned_to = forms.TypedChoiceField(
        label=_("Colleague"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Colleague: choose someone from the list.")},
    )

    def __init__(
        self, *args: Any, task_choices: list[tuple[int, str]], colleagues: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["tasks"]).choices = task_choices
        cast(forms.ChoiceField, self.fields["assigned_to"]).choices = [
            ("", _("Choose a colleague")),
            *[(c.pk, c.get_full_name() or c.username) for c in colleagues],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "assign" and data.get("assigned_to") is None:
            self.add_error("assigned_to", _("Colleague: choose who takes the selected tasks."))
        return data
