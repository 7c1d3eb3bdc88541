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


class SeveralApplicationError(ApplicationError):
    """Several problems found together, so that a form shows every error at once (each names
    its field and rule). Behaves as the first error for a caller that knows only one."""

    def __init__(self, errors: list[ApplicationError]) -> None:
        first = errors[0]
        super().__init__(first.message, field=first.field, code=first.code)
        self.errors = errors


def application_errors(error: ApplicationError) -> list[ApplicationError]:
    """The problems an error carries: its list, or itself."""
    return list(getattr(error, "errors", None) or [error])


def raise_all(errors: list[ApplicationError]) -> None:
    """Raise the problems found (one error alone as itself), or nothing."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SeveralApplicationError(errors)


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
