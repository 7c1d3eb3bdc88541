"""What the apps below `accounts` know of the staff member who acts (`accounts.User`).

`core` and `partners` sit below `accounts` in the app order, so they cannot name the User
model; their services take a `StaffActor`, which `accounts.User` is (structurally), and the
apps above take `accounts.models.User` itself."""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class StaffActor(Protocol):
    @property
    def pk(self) -> Any: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def delivery_partner_id(self) -> int | None: ...

    def has_capability(self, capability: str) -> bool: ...


def request_staff(request: HttpRequest) -> StaffActor:
    """The signed-in staff member of a request that only staff reach (the admin pages of the
    apps below `accounts`; above it, `accounts.views.StaffRequest`)."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user
