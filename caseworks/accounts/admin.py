"""Admin for staff accounts (role, delivery partner, office) and API tokens.

Passwords are set through Django's UserAdmin forms (validated, stored hashed). Creating a staff
member and changing their role or placement go through caseworks.partners.services, so they
are audited. API tokens are read-only here: only their SHA-256 hash is stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from caseworks.core.admin import (
    NoRevertHistoryMixin,
    ReadOnlyAdminMixin,
    add_service_error,
    service_dry_run,
)
from caseworks.partners.services import (
    STAFF_EDITABLE_FIELDS,
    staff_user_create,
    staff_user_update,
)

from .models import ApiToken, User


def _create_args(data: dict[str, Any], password_hash: str = "") -> dict[str, Any]:
    return {
        "username": data.get("username") or "",
        "password": data.get("password1") or "",
        "password_hash": password_hash,
        "role": data.get("role") or "",
        "delivery_partner": data.get("delivery_partner"),
        "office": data.get("office"),
        "first_name": data.get("first_name") or "",
        "last_name": data.get("last_name") or "",
        "email": data.get("email") or "",
    }


class StaffCreationForm(UserCreationForm):  # type: ignore[type-arg]
    request: HttpRequest

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "first_name", "last_name", "email", "role", "delivery_partner")

    office = forms.ModelChoiceField(
        queryset=User._meta.get_field("office").related_model.objects.all(),  # type: ignore[union-attr]
        required=False,
        label=_("office"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        error = service_dry_run(
            lambda: staff_user_create(acting_user=self.request.user, **_create_args(data))
        )
        if error:
            add_service_error(self, error)
        return data


class StaffChangeForm(UserChangeForm):  # type: ignore[type-arg]
    request: HttpRequest

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        changes = {k: data[k] for k in self.changed_data if k in STAFF_EDITABLE_FIELDS}
        error = service_dry_run(
            lambda: staff_user_update(
                acting_user=self.request.user, user=self.instance, data=changes
            )
        )
        if error:
            add_service_error(self, error)
        return data


@admin.register(User)
class StaffUserAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin, UserAdmin):  # type: ignore[type-arg]
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "first_name", "last_name", "role", "delivery_partner", "is_active")
    list_filter = ("role", "delivery_partner__kind", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "delivery_partner__name")
    list_select_related = ("delivery_partner",)
    autocomplete_fields = ("delivery_partner", "office")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (_("Work"), {"fields": ("role", "delivery_partner", "office")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "delivery_partner",
                    "office",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # the form's clean() runs services as this user
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            # UserCreationForm.save(commit=False) has hashed the password onto obj already.
            created = staff_user_create(
                acting_user=request.user, **_create_args(form.cleaned_data, obj.password)
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        data = form.cleaned_data
        changes = {k: data[k] for k in form.changed_data if k in STAFF_EDITABLE_FIELDS}
        staff_user_update(acting_user=request.user, user=obj, data=changes)
        # Fields the service does not own (username, superuser flags) are saved as usual.
        others = [
            k
            for k in form.changed_data
            if k not in STAFF_EDITABLE_FIELDS and k in {"username", "is_staff", "is_superuser"}
        ]
        if others:
            obj._history_user = request.user
            obj.save(update_fields=others)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    fields = (
        "user",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
