"""A service's refusal shown as a message on the next page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from caseworks.core.errors import ApplicationError


def message_application_error(request: HttpRequest, error: ApplicationError) -> None:
    """Show the error at the top of the next page (a refusal, PermissionDeniedError, is not an
    ApplicationError: it reaches the 403 page)."""
    messages.error(request, error.message)
