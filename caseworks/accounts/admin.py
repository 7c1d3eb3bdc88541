"""Admin for staff accounts (role, delivery partner, office) and API tokens.

No staff account is added here: accounts are opened by invitation (Staff invitations), where
the person sets their own password (issue 13). Changing a role or placement goes through
caseworks.accounts.services, so it is audited, and a role that handles money needs the second
approver of an invitation. API tokens and invitations are read-only here: only hashes are
stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from caseworks.core.admin import (
    NoRevertHistoryMixin,
    ReadOnlyAdminMixin,
    add_service_error,
    service_dry_run,
)

from .models import ApiToken, StaffInvitation, User
from .services import STAFF_EDITABLE_FIELDS, staff_user_update
from .views import StaffRequest, signed_in_staff


class StaffChangeForm(UserChangeForm):  # type: ignore[type-arg]
    request: StaffRequest

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
    readonly_fields = ("last_login", "date_joined")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # the form's clean() runs services as this user
        return form

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # by invitation only (Staff invitations)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        changes = {k: data[k] for k in form.changed_data if k in STAFF_EDITABLE_FIELDS}
        staff_user_update(acting_user=signed_in_staff(request), user=obj, data=changes)
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


@admin.register(StaffInvitation)
class StaffInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("username", "kind", "role", "delivery_partner", "status", "created_at")
    list_filter = ("status", "kind", "role")
    search_fields = ("username", "email", "delivery_partner__name")
    exclude = ("token_hash",)
