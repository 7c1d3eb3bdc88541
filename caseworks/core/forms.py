"""Form fields shared by every app. Forms validate input only; services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .money import display_cents, format_money_input, parse_money
from .validators import postal_code_normalize


def _active_language() -> str:
    return get_language() or "en"


class MoneyInput(forms.TextInput):
    """A text box for an amount: the numeric keyboard with a decimal mark on phones, and the
    stored cents shown in the page's language ("1,234.50" / "1 234,50"). What the person typed
    is shown back unchanged when the form has an error."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_money_input(value, _active_language())
        return super().format_value(value)


class MoneyField(forms.CharField):
    """An amount typed in dollars and cents, in the page's language → integer cents (or None
    when empty). The one field for every amount a person types; never a float.

    Refuses negative amounts unless `allow_negative`, and amounts above `max_cents` when given.
    Errors name the field and show an example in the page's language (see
    `caseworks.core.money.parse_money` for what is accepted)."""

    widget = MoneyInput

    def __init__(
        self, *, allow_negative: bool = False, max_cents: int | None = None, **kwargs: Any
    ) -> None:
        self.allow_negative = allow_negative
        self.max_cents = max_cents
        kwargs.setdefault("help_text", _("In dollars, for example 1,234.50"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        if isinstance(value, int) and not isinstance(value, bool):
            return value  # already cents (an initial value)
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        cents = parse_money(
            text,
            _active_language(),
            field=self.label,
            allow_negative=self.allow_negative,
        )
        if self.max_cents is not None and cents > self.max_cents:
            raise ValidationError(_too_large(self.label, self.max_cents), code="too_large")
        return cents

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        try:
            before = self.to_python(initial if initial is not None else "")
            after = self.to_python(data)
        except ValidationError:
            return True
        return before != after


def _too_large(label: Any, max_cents: int) -> str:
    maximum = display_cents(max_cents, _active_language())
    if label:
        return gettext("%(field)s: enter at most %(maximum)s.") % {
            "field": label,
            "maximum": maximum,
        }
    return gettext("Enter at most %(maximum)s.") % {"maximum": maximum}


# Dates ------------------------------------------------------------------------------------
#
# One format everywhere, in English and French: year-month-day, typed in a text box whose hint
# shows that very format. Not the browser's date picker (`<input type="date">`): it follows the
# browser's locale, not the page's language (mm/dd/yyyy in an English browser showing a French
# page, while the hint said 1990-05-17), and typing the hint into it gave "80304-12-08".

ISO_DATE_FORMAT = "%Y-%m-%d"
DATE_EXAMPLE = "1990-05-17"


class DateInput(forms.DateInput):
    """A text box for a date typed as year-month-day (1990-05-17), shown back the same way."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"autocomplete": "off", "spellcheck": "false", "maxlength": "10", "size": "10"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format=ISO_DATE_FORMAT)


def date_hint() -> str:
    return gettext("Year-month-day, for example %(example)s") % {"example": DATE_EXAMPLE}


def _label_text(field: forms.Field) -> str:
    return str(field.label or "").strip().rstrip(":?").strip()


def prepare_field(field: forms.Field) -> None:
    """Give a staff form's field the house defaults, in the active language (forms are made per
    request): a date box takes year-month-day only, says so in its hint and names itself in its
    error; a required field's error names it ("Date of birth: enter a value.") instead of
    Django's anonymous "This field is required.", which the error summary shows out of context.
    """
    label = _label_text(field)
    if isinstance(field, forms.DateField) and isinstance(field.widget, DateInput):
        field.input_formats = [ISO_DATE_FORMAT]
        if not field.help_text:
            field.help_text = date_hint()
        if field.error_messages.get("invalid") is forms.DateField.default_error_messages["invalid"]:
            field.error_messages["invalid"] = gettext(
                "%(field)s: enter the date as year-month-day, for example %(example)s."
            ) % {"field": label or gettext("Date"), "example": DATE_EXAMPLE}
    if (
        label
        and field.error_messages.get("required") is forms.Field.default_error_messages["required"]
    ):
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
            message = gettext("%(field)s: choose an answer.")
        else:
            message = gettext("%(field)s: enter a value.")
        field.error_messages["required"] = message % {"field": label}


class PostalCodeField(forms.CharField):
    """A Canadian postal code, normalised to upper case with one space: "K1A 0B1"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", _("For example, K1A 0B1"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        return postal_code_normalize(text or "")
