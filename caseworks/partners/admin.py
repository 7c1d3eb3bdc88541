"""Admin for the delivery network. First Nations delivery partners are registered here
(Delivery partners → Add, kind "First Nation delivery agent"). Every save goes through
caseworks.partners.services, so it is validated, audited and kept in history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from caseworks.core.actors import request_staff
from caseworks.core.admin import NoRevertHistoryMixin, add_service_error, service_dry_run

from .models import DeliveryPartner, Office
from .services import (
    OFFICE_EDITABLE_FIELDS,
    PARTNER_EDITABLE_FIELDS,
    delivery_partner_create,
    delivery_partner_update,
    office_create,
    office_update,
)


def _changed(form: forms.ModelForm[Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}


class DeliveryPartnerForm(forms.ModelForm):  # type: ignore[type-arg]
    request: HttpRequest

    class Meta:
        model = DeliveryPartner
        fields = ("code", "name", "name_fr", "kind", "region", "notes", "source", "is_demo")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _(
                "Stable identifier; leave blank to make one from the name. Cannot change later."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        user = request_staff(self.request)
        if self.instance.pk:
            changes = _changed(self, PARTNER_EDITABLE_FIELDS)
            error = service_dry_run(
                lambda: delivery_partner_update(
                    acting_user=user, partner=self.instance, data=changes
                )
            )
        else:
            error = service_dry_run(
                lambda: delivery_partner_create(acting_user=user, **_partner_args(data))
            )
        if error:
            add_service_error(self, error)
        return data


def _partner_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": data.get("code") or "",
        "name": data.get("name") or "",
        "name_fr": data.get("name_fr") or "",
        "kind": data.get("kind") or "",
        "region": data.get("region") or "",
        "notes": data.get("notes") or "",
        "source": data.get("source") or "",
        "is_demo": bool(data.get("is_demo")),
    }


class OfficeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Office
    fields = ("name", "city", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DeliveryPartner)
class DeliveryPartnerAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    form = DeliveryPartnerForm
    list_display = ("name", "code", "kind", "region", "is_demo", "is_active")
    list_filter = ("kind", "is_demo", "is_active")
    search_fields = ("name", "name_fr", "code", "region")
    inlines = (OfficeInline,)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["code", "name", "name_fr", "kind", "region", "notes", "source", "is_demo"]
        return [*fields, "is_active"] if obj else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is a stable key (loaders match on it) and demo status is fixed at creation.
        return ("code", "is_demo") if obj else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:
            kwargs["fields"] = [
                f for f in self.get_fields(request, obj) if f not in ("code", "is_demo")
            ]
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # the form's clean() runs services as this user
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = delivery_partner_update(
                acting_user=request_staff(request),
                partner=obj,
                data=_changed(form, PARTNER_EDITABLE_FIELDS),
            )
        else:
            saved = delivery_partner_create(
                acting_user=request_staff(request), **_partner_args(form.cleaned_data)
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: clients and cases point at partners


class OfficeForm(forms.ModelForm):  # type: ignore[type-arg]
    request: HttpRequest

    class Meta:
        model = Office
        fields = ("delivery_partner", "name", "address", "city", "postal_code", "phone")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        user = request_staff(self.request)
        if self.instance.pk:
            changes = _changed(self, OFFICE_EDITABLE_FIELDS)
            error = service_dry_run(
                lambda: office_update(acting_user=user, office=self.instance, data=changes)
            )
        else:
            error = service_dry_run(lambda: office_create(acting_user=user, **_office_args(data)))
        if error:
            add_service_error(self, error)
        return data


def _office_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "delivery_partner": data["delivery_partner"],
        "name": data.get("name") or "",
        "address": data.get("address") or "",
        "city": data.get("city") or "",
        "postal_code": data.get("postal_code") or "",
        "phone": data.get("phone") or "",
    }


@admin.register(Office)
class OfficeAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    form = OfficeForm
    list_display = ("name", "delivery_partner", "city", "is_active")
    list_filter = ("delivery_partner__kind", "is_active")
    search_fields = ("name", "city", "delivery_partner__name")
    list_select_related = ("delivery_partner",)
    autocomplete_fields = ("delivery_partner",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["delivery_partner", "name", "address", "city", "postal_code", "phone"]
        return [*fields, "is_active"] if obj else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("delivery_partner",) if obj else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is not None:
            kwargs["fields"] = [f for f in self.get_fields(request, obj) if f != "delivery_partner"]
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # the form's clean() runs services as this user
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = office_update(
                acting_user=request_staff(request),
                office=obj,
                data=_changed(form, OFFICE_EDITABLE_FIELDS),
            )
        else:
            saved = office_create(
                acting_user=request_staff(request), **_office_args(form.cleaned_data)
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
