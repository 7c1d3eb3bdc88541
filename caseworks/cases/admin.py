"""Read-only admin for cases. Cases change only through the case pages and the API, whose
services check transitions, concurrency and rights; here they can be looked up."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from caseworks.clients.admin import ClientFileAccessAdminMixin
from caseworks.core.admin import NoRevertHistoryMixin, ReadOnlyAdminMixin

from .models import BenefitUnit, BenefitUnitMember, CaseStatusChange, CaseTransfer


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MemberInline(_ReadOnlyInline):
    model = BenefitUnitMember
    fields = ("person", "role", "start_on", "end_on")
    readonly_fields = fields


class StatusChangeInline(_ReadOnlyInline):
    model = CaseStatusChange
    fields = ("from_status", "to_status", "effective_on", "reason", "changed_by", "changed_at")
    readonly_fields = fields


class TransferInline(_ReadOnlyInline):
    model = CaseTransfer
    fk_name = "benefit_unit"
    fields = ("kind", "from_partner", "to_partner", "reason", "transferred_by", "transferred_at")
    readonly_fields = fields


@admin.register(BenefitUnit)
class BenefitUnitAdmin(
    ClientFileAccessAdminMixin, ReadOnlyAdminMixin, NoRevertHistoryMixin, SimpleHistoryAdmin
):
    list_display = ("case_number", "delivery_partner", "status", "opened_on", "caseworker")
    list_filter = ("status", "delivery_partner__kind")
    search_fields = ("case_number",)
    list_select_related = ("delivery_partner", "caseworker")
    show_full_result_count = False
    fields = (
        "case_number",
        "delivery_partner",
        "office",
        "caseworker",
        "status",
        "opened_on",
        "status_changed_on",
        "closed_on",
        "version",
    )
    readonly_fields = fields
    inlines = (MemberInline, StatusChangeInline, TransferInline)
    access_view_name = "admin:case"

    def access_people(self, obj: BenefitUnit) -> dict[int, int | None]:
        """Every member the page lists (the members inline shows them all, past ones too)."""
        return dict.fromkeys(obj.members.values_list("person_id", flat=True), obj.pk)
