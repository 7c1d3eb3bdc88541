"""A service's refusal shown as a message on the next page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from caseworks.core.errors import ApplicationError, PermissionDeniedError


def message_application_error(request: HttpRequest, error: ApplicationError) -> None:
    """Show the error at the top of the next page. A PermissionDeniedError is not a message: it
    is raised again, for the 403 page (as `accounts.forms.add_application_error` does), so views
    catch ApplicationError alone."""
    if isinstance(error, PermissionDeniedError):
        raise error
    messages.error(request, error.message)
