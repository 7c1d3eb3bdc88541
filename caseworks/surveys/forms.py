from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caseworks.core.forms import DateInput, MoneyField, prepare_field
from caseworks.core.money import format_cents
from caseworks.partners.constants import PartnerKind
from caseworks.partners.models import DeliveryPartner

from .constants import QuestionKind
from .models import Question, Survey


class SurveyCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Start from a ready-made survey"),
        queryset=Survey.objects.filter(is_template=True),
        required=False,
        empty_label=_("No: an empty survey"),
        to_field_name="template_key",
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the ready-made survey's title."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Choices (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Only for one-choice and several-choice questions."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)


class SendForm(forms.Form):
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    partners = forms.ModelMultipleChoiceField(
        label=_("Delivery partners (none chosen: all)"),
        queryset=DeliveryPartner.objects.filter(is_active=True).exclude(kind=PartnerKind.MINISTRY),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            prepare_field(field)  # the one date format, as on staff forms


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AnswerForm(forms.Form):
    """One field per question, named q<id>; blank is allowed until submitting."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        initial_values: dict[int, Any],
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            name = f"q{q.pk}"
            value = initial_values.get(q.pk)
            common: dict[str, Any] = {
                "label": q.text,
                "required": False,
                "help_text": q.help_text,
                "disabled": disabled,
            }
            if q.kind == QuestionKind.TEXT:
                field: forms.Field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), **common
                )
            elif q.kind == QuestionKind.NUMBER:
                field = forms.CharField(
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            elif q.kind == QuestionKind.CURRENCY:
                # Typed in the page's language ("1 234,56" in French); stored cents are shown
                # the same way by the widget.
                field = MoneyField(**common)
            elif q.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
                if value is not None:
                    value = "yes" if value else "no"
            elif q.kind == QuestionKind.SINGLE_CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in q.choices], widget=forms.RadioSelect, **common
                )
            else:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in q.choices],
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            if q.required:
                field.label = f"{q.text} *"
            field.initial = value
            self.fields[name] = field

    def raw_answers(self) -> dict[int, Any]:
        """Answers as the service takes them; amounts (cents from MoneyField) in the machine
        format "1234.56" that the service reads, never the page's typing conventions."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        answers: dict[int, Any] = {}
        for name, field in self.fields.items():
            value = data.get(name)
            if isinstance(field, MoneyField) and value is not None:
                value = format_cents(value)
            answers[int(name[1:])] = value
        return answers
