"""The REST API (django-ninja). OpenAPI schema at /api/openapi.json, docs at /api/docs (both
for signed-in users only).

Each app adds its router at the end of this file: `api.add_router("/<prefix>", router)`, and
its operations to tests/test_permission_matrix.py (the suite fails until it does).

* Who: a staff session (CSRF checked on writes) or `Authorization: Bearer <token>`
  (caseworks.accounts.auth). Every operation requires one; the staff member is `request.auth`.
* Input: schemas type strings as `caseworks.accounts.schemas.Text` (no NUL characters) and ids
  as `RecordId`, so bad input is a 422, never a database error.
* Errors: one shape, {"detail": [{"field": ..., "message": ..., "code": ...}]}: 422 bad input
  (ApplicationError or schema validation), 401, 403 (role), 404 (absent or another
  partner's record), 409 (stale version, possible duplicate person).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from caseworks.accounts.api import router as accounts_router
from caseworks.accounts.auth import api_auth
from caseworks.applications.api import router as applications_router
from caseworks.cases.api import router as cases_router
from caseworks.cases.api import tasks_router
from caseworks.clients.api import router as clients_router
from caseworks.clients.schemas import PossibleDuplicateOut
from caseworks.clients.services import DuplicatePersonError
from caseworks.core.errors import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    application_errors,
)
from caseworks.documents.api import router as documents_router
from caseworks.eligibility.api import router as eligibility_router
from caseworks.employment.api import router as provider_router
from caseworks.payments.api import router as payments_router
from caseworks.payments.api_onetime import router as payments_one_time_router
from caseworks.payments.api_returns import router as payments_returns_router

api = NinjaAPI(
    title="Caseworks API",
    version="1.0.0",
    description="Ontario Works delivery: clients, cases, applications and decisions.",
    urls_namespace="api",
    auth=api_auth,
    # The schema and the docs only for a signed-in session (anonymous: redirected to sign in).
    docs_decorator=login_required,
)


# Every error answer has one shape: {"detail": [{"field": ..., "message": ..., "code": ...}]}.
def _error(
    request: HttpRequest, status: int, message: str, *, field: str | None = None, code: str
) -> HttpResponse:
    return api.create_response(
        request, {"detail": [{"field": field, "message": message, "code": code}]}, status=status
    )


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """Bad input: 422 naming the field and the rule (every problem found, when the service
    reports several at once). Nothing was saved."""
    return api.create_response(
        request, {"detail": [each.as_dict() for each in application_errors(exc)]}, status=422
    )


@api.exception_handler(PermissionDeniedError)
def _permission_denied(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return _error(request, 403, exc.message, code=exc.code)


@api.exception_handler(PermissionDenied)
def _django_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(
        request, 403, _("Your role does not allow this action."), code="permission_denied"
    )


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _error(request, 409, exc.message, field=exc.field, code=exc.code)


@api.exception_handler(DuplicatePersonError)
def _possible_duplicate(request: HttpRequest, exc: DuplicatePersonError) -> HttpResponse:
    """409 with the matches; another partner's match is named only by its partner."""
    return api.create_response(
        request,
        {
            "detail": [exc.as_dict()],
            "duplicates": [PossibleDuplicateOut.from_orm(d).dict() for d in exc.duplicates],
        },
        status=409,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer whether the record does not exist or belongs to another partner.
    return _error(request, 404, _("Not found."), code="not_found")


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = []
    for error in exc.errors:
        parts = [str(p) for p in error.get("loc", ())][1:]
        if parts and parts[0] in ("payload", "query"):
            parts = parts[1:]
        detail.append(
            {
                "field": ".".join(parts) or None,
                "message": str(error.get("msg", "")),
                "code": str(error.get("type", "invalid")),
            }
        )
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        _("Log in, or send a valid API token (Authorization: Bearer <token>)."),
        code="not_authenticated",
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), code="http_error")


api.add_router("/", accounts_router)
api.add_router("/clients", clients_router)
api.add_router("/cases", cases_router)
api.add_router("/tasks", tasks_router)
api.add_router("/provider", provider_router)
api.add_router("/payments", payments_router)
api.add_router("/payments", payments_returns_router)
api.add_router("/payments", payments_one_time_router)
# Intake to decision (issue 4): full paths inside each router (/applications, /inquiries,
# /appointments, /cases/{id}/documents, /determinations, /decisions).
api.add_router("/", applications_router)
api.add_router("/", documents_router)
api.add_router("/", eligibility_router)
