"""Input checks for the case page forms. The services apply the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm
from caseworks.clients.forms import DateInput

from .constants import (
    ALLOWED_TRANSITIONS,
    MANUAL_TRANSITIONS,
    TRANSITION_SERVICES,
    CaseStatus,
    MemberRole,
)


def _today() -> Any:
    return timezone.localdate()


class OpenCaseForm(StaffForm):
    person_id = forms.IntegerField(widget=forms.HiddenInput)


class StatusChangeForm(StaffForm):
    """Offers only the statuses the case may move to; the service re-checks the table."""

    to_status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        error_messages={"required": _("Give the reason for changing the case's status.")},
        help_text=_("The case's history keeps it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    effective_on = forms.DateField(label=_("Effective date"), initial=_today, widget=DateInput())
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, current_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = MANUAL_TRANSITIONS.get(current_status, frozenset())
        # Validation accepts any status so that the service explains a refused transition;
        # the list shows only the ones a caseworker makes by hand (the others belong to the
        # services that justify them: the decision, payment actions).
        self.fields["to_status"].widget.choices = [("", _("Choose the new status"))] + [
            (value, label) for value, label in CaseStatus.choices if value in allowed
        ]
        self.has_choices = bool(allowed)
        # Where the other changes are made, for the sentence under the form.
        self.elsewhere = [
            {"status": CaseStatus(to).label, "service": TRANSITION_SERVICES[(current_status, to)]}
            for to in sorted(ALLOWED_TRANSITIONS.get(current_status, frozenset()) - allowed)
            if (current_status, to) in TRANSITION_SERVICES
        ]


class NoteForm(StaffForm):
    body = forms.CharField(
        label=_("Note"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Notes cannot be edited or deleted after saving."),
    )


class TaskForm(StaffForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), initial=_today, widget=DateInput())


class MemberSearchForm(StaffForm):
    member_q = forms.CharField(
        label=_("Find the person"),
        required=False,
        max_length=100,
        help_text=_("Name, date of birth (YYYY-MM-DD) or last 3 digits of the SIN"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class MemberAddForm(StaffForm):
    person = forms.IntegerField(
        label=_("Person"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the person to add.")},
    )
    role = forms.ChoiceField(
        label=_("Role in the case"),
        choices=[(v, label) for v, label in MemberRole.choices if v != MemberRole.APPLICANT],
    )
    start_on = forms.DateField(label=_("Member from"), initial=_today, widget=DateInput())
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.choices = [
            (
                person.pk,
                _("%(name)s, born %(born)s")
                % {"name": person.full_name, "born": person.date_of_birth.isoformat()},
            )
            for person in people or []
        ]


class MemberEndForm(StaffForm):
    end_on = forms.DateField(label=_("Last day on the case"), initial=_today, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=2000)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
