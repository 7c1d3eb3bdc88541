"""Form fields shared by every app. Forms validate input only; services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .money import display_cents, format_money_input, parse_money


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
