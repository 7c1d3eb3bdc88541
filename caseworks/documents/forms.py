"""The upload form. The service judges the file by its content and size."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.accounts.forms import StaffForm


class DocumentUploadForm(StaffForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"required": _("Choose a file to upload.")},
    )
    title = forms.CharField(
        label=_("What is this document?"),
        max_length=200,
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


class _LetterIdsField(forms.TypedMultipleChoiceField):
    """Letter ids: the service decides which are the office's letters, so a request sent again
    after the letters were printed (no longer in the list) still gets its PDF."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


class LettersPrintForm(StaffForm):
    """Letters picked in the queue to print together for the post."""

    letters = _LetterIdsField(
        label=_("Letters"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Letters: choose at least one letter to print."),
            "invalid_choice": _("Letters: a chosen letter is not in the list."),
        },
    )
