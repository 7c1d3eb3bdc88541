"""Read-only admin for client files and the access log. The full SIN is never shown: only the
last three digits. Opening a person or a case here (its page or its history) is logged like any
other view of a client file."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from caseworks.core.admin import ReadOnlyAdminMixin

from .models import ClientFileAccess, Person
from .services import client_file_accesses_record


class ClientFileAccessAdminMixin:
    """Logs every admin page that shows a client file: the change page, the history and a
    historical version. `access_people(obj)` says whose file it is ({person id: case id})."""

    access_view_name = "admin"

    def access_people(self, obj: Any) -> dict[int, int | None]:
        raise NotImplementedError

    def _access_record(self, request: HttpRequest, object_id: str, page: str) -> None:
        if request.method != "GET":
            return
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]  # ModelAdmin
        if obj is None:
            return
        people = self.access_people(obj)
        client_file_accesses_record(
            user=request.user,
            person_ids=list(people),
            benefit_unit_ids={k: v for k, v in people.items() if v is not None},
            view_name=f"{self.access_view_name}:{page}",
            channel="admin",
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._access_record(request, object_id, "change")
        return super().change_view(  # type: ignore[misc]  # ModelAdmin
            request, object_id, form_url, extra_context
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._access_record(request, object_id, "history")
        return super().history_view(  # type: ignore[misc]  # ModelAdmin
            request, object_id, extra_context
        )


@admin.register(Person)
class PersonAdmin(ClientFileAccessAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
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

    access_view_name = "admin:person"

    def access_people(self, obj: Person) -> dict[int, int | None]:
        return {obj.pk: None}


@admin.register(ClientFileAccess)
class ClientFileAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "viewed_at",
        "user",
        "person_id",
        "benefit_unit_id",
        "channel",
        "view_name",
        "detail",
    )
    list_filter = ("channel",)
    search_fields = ("user__username", "view_name")
    date_hierarchy = "viewed_at"
    list_select_related = ("user",)
    show_full_result_count = False
    fields = (
        "viewed_at",
        "user",
        "person_id",
        "benefit_unit_id",
        "channel",
        "view_name",
        "detail",
    )
    readonly_fields = fields
