"""Sign-in form and the helpers every staff form uses."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from caseworks.core.errors import ApplicationError, application_errors
from caseworks.core.forms import prepare_field


class StaffForm(forms.Form):
    """Base for staff forms: the server checks every field and reports errors beside them
    (no browser pop-up validation, which screen readers announce inconsistently)."""

    use_required_attribute = False
    # Fields needed only in some answers ("hours now" when still employed): not required by
    # Django, not labelled "(optional)" either; the hint says when, and the form's clean()
    # asks for them. Field name -> the hint. tests/test_form_optional_labels.py checks them.
    required_when: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            prepare_field(field)
        for name, hint in self.required_when.items():
            field = self.fields[name]
            field.required_when = hint  # type: ignore[attr-defined]  # read by the field tag
            field.help_text = hint


def add_application_error(
    form: forms.Form, error: ApplicationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's error beside the field it names (or at the top of the form).
    `field_map` renames a service's field to the form's (e.g. "status" → "to_status").
    A refusal (PermissionDeniedError) is not an ApplicationError: it reaches the 403 page."""
    for each in application_errors(error):
        name = (field_map or {}).get(each.field or "", each.field)
        form.add_error(name if name in form.fields else None, each.message)


class LoginForm(AuthenticationForm):
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def confirm_login_allowed(self, user: Any) -> None:
        """A client's portal account (caseworks.portal, above this app: read through the
        reverse relation, never imported) signs in only at /my/login/: here it is refused like
        a wrong password, so the form does not tell that the password was right."""
        super().confirm_login_allowed(user)
        if hasattr(user, "portal_account"):
            raise self.get_invalid_login_error()


class SecondFactorCodeForm(StaffForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6 digits your authenticator app shows now, or a recovery code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class InvitationForm(StaffForm):
    """A partner administrator invites a person (the service checks everything)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.CharField(
        label=_("Work e-mail"),
        max_length=254,
        help_text=_("The invitation link is sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    preferred_language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("en", "English"), ("fr", "Français")],
        initial="en",
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], offices: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Choose a role")), *roles]  # type: ignore[attr-defined]
        self.fields["office"].choices = [  # type: ignore[attr-defined]
            ("", _("No office")),
            *[(o.pk, o.name) for o in offices],
        ]


class RoleChangeForm(StaffForm):
    user = forms.TypedChoiceField(label=_("Staff member"), coerce=int)
    role = forms.ChoiceField(label=_("New role"))

    def __init__(self, *args: Any, roles: list[tuple[str, str]], staff: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Choose a role")), *roles]  # type: ignore[attr-defined]
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a person")),
            *[(u.pk, f"{u.get_full_name() or u.username} ({u.username})") for u in staff],
        ]


class InvitationAcceptForm(StaffForm):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("The two passwords are not the same."))
        return data
