"""Sign-in form and the helpers every staff form uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from caseworks.core.errors import ApplicationError


class StaffForm(forms.Form):
    """Base for staff forms: the server checks every field and reports errors beside them
    (no browser pop-up validation, which screen readers announce inconsistently)."""

    use_required_attribute = False


def add_application_error(
    form: forms.Form, error: ApplicationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's error beside the field it names (or at the top of the form).
    `field_map` renames a service's field to the form's (e.g. "status" → "to_status")."""
    name = (field_map or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


class LoginForm(AuthenticationForm):
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
