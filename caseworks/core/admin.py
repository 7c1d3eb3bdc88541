"""Admin: the audit trail (read-only) and helpers every app's admin uses.

The Django admin is for system administrators (superusers). Writes made through it go through
the same services as the application, so they are validated, audited and kept in history; the
records that must never change here (audit events, access logs, client files, cases) are
read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from caseworks.core.errors import ApplicationError, PermissionDeniedError

from .models import AuditEvent


class _DryRunSucceededError(Exception):
    """Raised to roll back a dry run that succeeded."""


def service_dry_run(call: Callable[[], Any]) -> ApplicationError | PermissionDeniedError | None:
    """Run a service inside a savepoint and roll it back: the error it would raise, or None.

    Admin forms use it in clean() so that a service's refusal appears beside the field, before
    the admin saves; the real call happens in save_model().
    """
    try:
        with transaction.atomic():
            call()
            raise _DryRunSucceededError
    except _DryRunSucceededError:
        return None
    except (ApplicationError, PermissionDeniedError) as exc:
        return exc


def add_service_error(
    form: forms.BaseForm, error: ApplicationError | PermissionDeniedError
) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted; the records can only be looked at."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoRevertHistoryMixin:
    """simple-history's admin may restore an old version; that would bypass the services."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "event_time",
        "event_type",
        "acting_user",
        "delivery_partner",
        "subject_type",
        "subject_id",
        "person_id",
        "benefit_unit_id",
    )
    list_filter = ("event_type", "delivery_partner")
    search_fields = ("subject_id", "acting_user__username")
    date_hierarchy = "event_time"
    list_select_related = ("acting_user", "delivery_partner")
    show_full_result_count = False
