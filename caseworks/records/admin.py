"""Admin: legal holds and purged files, read-only (holds are placed and lifted on the
legal-holds page, through the audited services)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from caseworks.core.admin import NoRevertHistoryMixin, ReadOnlyAdminMixin

from .models import LegalHold, PurgedFile


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdminMixin, NoRevertHistoryMixin, SimpleHistoryAdmin):
    list_display = ("benefit_unit", "delivery_partner", "placed_at", "placed_by", "lifted_at")
    list_filter = ("delivery_partner",)
    list_select_related = ("benefit_unit", "delivery_partner", "placed_by")
    search_fields = ("benefit_unit__case_number",)


@admin.register(PurgedFile)
class PurgedFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("benefit_unit", "delivery_partner", "purged_at", "closed_on", "retention_years")
    list_filter = ("delivery_partner",)
    list_select_related = ("benefit_unit", "delivery_partner")
    date_hierarchy = "purged_at"
