from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .constants import Capability


def role_flags(request: HttpRequest) -> dict[str, Any]:
    """Expose `can.<capability>` to templates so menus show only what the role allows."""
    user = getattr(request, "user", None)
    caps = user.capabilities if user is not None and user.is_authenticated else frozenset()
    return {"can": {cap.value: cap in caps for cap in Capability}}
