"""Read-only admin for client files and the access log. The full SIN is never shown: only the
last three digits. Opening a person here is logged like any other view of a client file."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from caseworks.core.admin import ReadOnlyAdminMixin

from .models import ClientFileAccess, Person
from .services import client_file_access_record


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "last_name",
        "first_name",
        "date_of_birth",
        "masked_sin",
        "delivery_partner",
        "language_preference",
    )
    list_filter = ("delivery_partner__kind", "language_preference")
    search_fields = ("last_name_key", "first_name_key")
    list_select_related = ("delivery_partner",)
    show_full_result_count = False
    # Deliberately no "sin" field: only the masked value appears anywhere in the admin.
    fields = (
        "delivery_partner",
        "first_name",
        "middle_name",
        "last_name",
        "date_of_birth",
        "masked_sin",
        "phone",
        "email",
        "address_line",
        "city",
        "postal_code",
        "language_preference",
        "created_at",
        "created_by",
    )
    readonly_fields = fields

    @admin.display(description="SIN")
    def masked_sin(self, obj: Person) -> str:
        return obj.masked_sin

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        person = self.get_object(request, object_id)
        if person is not None and request.method == "GET":
            client_file_access_record(
                user=request.user, person=person, view_name="admin:person", channel="admin"
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ClientFileAccess)
class ClientFileAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("viewed_at", "user", "person_id", "benefit_unit_id", "channel", "view_name")
    list_filter = ("channel",)
    search_fields = ("user__username", "view_name")
    date_hierarchy = "viewed_at"
    list_select_related = ("user",)
    show_full_result_count = False
    fields = ("viewed_at", "user", "person_id", "benefit_unit_id", "channel", "view_name")
    readonly_fields = fields
