"""The sign-in lockout page of each realm (settings.AXES_LOCKOUT_CALLABLE): django-axes counts
and locks failures for staff and clients alike; a client locked out at /my/login/ sees the
portal's page, in the portal's layout, with the same 429 status."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .middleware import is_portal_path


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    template = (
        "portal/locked_out.html"
        if is_portal_path(request.path_info)
        else settings.AXES_LOCKOUT_TEMPLATE
    )
    return render(request, template, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
