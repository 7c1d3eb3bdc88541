"""Errors raised by services for bad input or forbidden actions.

A service raises ApplicationError (or a subclass) *before* changing anything, or inside its
transaction so that nothing is saved. Views and the API turn it into a message beside the field.

PermissionDeniedError (the acting user may not do this) is beside ApplicationError, not under
it: a view or task that catches ApplicationError to show a message never swallows a refusal,
which always reaches the 403 page (pages, `accounts.views.staff_view`) or a 403 answer (API).
"""

from __future__ import annotations


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message, "code": self.code}


class PermissionDeniedError(Exception):
    field: str | None = None
    code = "permission_denied"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_dict(self) -> dict[str, str | None]:
        return {"field": None, "message": self.message, "code": self.code}


class ConflictError(ApplicationError):
    """Someone else saved the record first (optimistic concurrency)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")
