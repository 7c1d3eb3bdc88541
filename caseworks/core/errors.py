"""Errors raised by services for bad input or forbidden actions.

A service raises ApplicationError (or a subclass) *before* changing anything, or inside its
transaction so that nothing is saved. Views and the API turn it into a message beside the field.
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


class PermissionDeniedError(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="permission_denied")


class ConflictError(ApplicationError):
    """Someone else saved the record first (optimistic concurrency)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")
