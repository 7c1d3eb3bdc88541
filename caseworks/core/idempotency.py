"""Replay safety for money-changing requests: an idempotency key taken in the same transaction
as the write, so that a replay (a double click, a browser re-post, a client retrying after a
lost answer) records nothing twice and answers with the first result.

* Pages: `{% load idempotency %}{% idempotency_field %}` in the form (a fresh key each time the
  form is rendered) and `@idempotent_form` on the view. A replay is redirected where the first
  submission went, with an "already recorded" message.
* API: the `Idempotency-Key` header (IETF draft "The Idempotency-Key HTTP Header Field"),
  required by `@idempotent_operation` (400 without it). A replay answers with the stored status
  and body and the header `Idempotent-Replayed: true`.

The same key with another body (or on another route) is refused with 422. Only a success is
kept (a redirect for pages, a 2xx for the API): a refused request wrote nothing, and may be
sent again with the same key once corrected.

Why not a library: django-idempotency-key supports Django up to 4.2 and needs Django REST
framework and Redis; it has no django-ninja support.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"
_KEY = re.compile(r"[\x21-\x7e]{8,255}")  # printable ASCII, no spaces (a UUID is typical)
_IGNORED_FIELDS = {"csrfmiddlewaretoken", FORM_FIELD}

HEADER_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": True,
    "description": (
        "A unique value per operation (a UUID). Sent again with the same body, the first "
        "answer is returned and nothing is recorded twice; the same key with another body "
        "is refused (422). See docs/api.md."
    ),
    "schema": {"type": "string", "minLength": 8, "maxLength": 255},
}


def _form_fingerprint(request: HttpRequest) -> str:
    items = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name not in _IGNORED_FIELDS
        for value in values
    )
    return hashlib.sha256(urlencode(items).encode()).hexdigest()


def _body_fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(request.body).hexdigest()


def _claim(*, user: Any, key: str, route: str, fingerprint: str) -> IdempotencyKey | None:
    """Take the key (None), or return the row a first request stored under it. A concurrent
    request with the same key waits here until the first one commits or rolls back."""
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO "{table}" (key, user_id, route, request_fingerprint,
                    response_status, response_body, response_location, created_at)
                VALUES (%s, %s, %s, %s, 0, '', '', %s)
                ON CONFLICT (user_id, key) DO NOTHING RETURNING id""",  # noqa: S608  # table name from the model
            [key, user.pk, route, fingerprint, timezone.now()],
        )
        if cursor.fetchone() is not None:
            return None
    return IdempotencyKey.objects.select_for_update().get(user=user, key=key)


def _mismatch(row: IdempotencyKey, route: str, fingerprint: str) -> bool:
    return row.route != route or row.request_fingerprint != fingerprint


def _mismatch_message() -> str:
    return _(
        "This idempotency key was already used for a different request; nothing was "
        "recorded. Use a new key for a new request."
    )


def _release(*, user: Any, key: str, savepoint: str | None) -> None:
    """A refused request keeps nothing of its key (it may be sent again once corrected). If the
    view left the transaction failed, everything after the savepoint goes; otherwise only the
    key (what the view wrote, such as an access record, stays)."""
    if savepoint is not None and (connection.needs_rollback or _transaction_failed()):
        transaction.savepoint_rollback(savepoint)
        connection.needs_rollback = False
        return
    IdempotencyKey.objects.filter(user=user, key=key).delete()


def _transaction_failed() -> bool:
    import psycopg  # noqa: PLC0415  # PostgreSQL only (ADR 0007)

    raw = connection.connection
    return raw is not None and raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR


@contextlib.contextmanager
def _scope(own_transaction: bool) -> Iterator[str | None]:
    """The transaction the key shares with the write (yields a savepoint to fall back to).

    `own_transaction`: for views whose service is a durable transaction (the payment-run queue
    services), which cannot be nested. The key is then committed first as "in progress" (a
    concurrent replay answers 409), the view runs, and its answer is stored after; if the
    process dies in between, the key stays "in progress" and the run's own state machine (a run
    is prepared, approved and released once) refuses a replay with a fresh key."""
    if own_transaction:
        yield None
        return
    with transaction.atomic():
        yield transaction.savepoint()


def _take(*, user: Any, key: str, route: str, fingerprint: str, own_transaction: bool) -> Any:
    if own_transaction:
        with transaction.atomic():
            return _claim(user=user, key=key, route=route, fingerprint=fingerprint)
    return _claim(user=user, key=key, route=route, fingerprint=fingerprint)


def _in_progress_message() -> str:
    return _("The same request is still being recorded; look again in a moment.")


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


# --- Pages ----------------------------------------------------------------------------------

View = Callable[..., HttpResponseBase]


def idempotent_form(view: View | None = None, *, own_transaction: bool = False) -> Any:
    """For a page's POST view (below `@staff_view`/`@require_POST`): the form's hidden key is
    required; a replay is redirected where the first submission went."""
    if view is None:
        return functools.partial(idempotent_form, own_transaction=own_transaction)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        assert view is not None
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = request.POST.get(FORM_FIELD, "")
        if not _KEY.fullmatch(key):
            return _text(
                _(
                    "This form was sent without its submission key, so it was not recorded. "
                    "Go back, reload the page and submit it again."
                ),
                400,
            )
        route, fingerprint = request.path, _form_fingerprint(request)
        user: Any = request.user
        with _scope(own_transaction) as savepoint:
            row = _take(
                user=user,
                key=key,
                route=route,
                fingerprint=fingerprint,
                own_transaction=own_transaction,
            )
            if row is not None:
                if _mismatch(row, route, fingerprint):
                    return _text(_mismatch_message(), 422)
                if not row.response_status:
                    return _text(_in_progress_message(), 409)
                messages.info(
                    request,
                    _("Already recorded: this form was sent before; nothing was recorded twice."),
                )
                return redirect(row.response_location)
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                if own_transaction:
                    _release(user=user, key=key, savepoint=None)
                raise
            location = response.get("Location", "")
            if 300 <= response.status_code < 400 and location:
                IdempotencyKey.objects.filter(user=user, key=key).update(
                    response_status=response.status_code, response_location=location
                )
            else:
                _release(user=user, key=key, savepoint=savepoint)
            return response

    return wrapper


# --- API (django-ninja) ---------------------------------------------------------------------


def _error(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse(
        {"detail": [{"field": HEADER, "message": message, "code": code}]}, status=status
    )


def idempotent_operation(
    func: Callable[..., Any] | None = None, *, own_transaction: bool = False
) -> Any:
    """For a django-ninja POST operation (below `@router.post`). The operation claims the key
    (the user is known once authenticated); the view around it holds the transaction and stores
    the serialised answer. The OpenAPI schema shows the required header."""
    if func is None:
        return functools.partial(idempotent_operation, own_transaction=own_transaction)

    @functools.wraps(func)
    def operation(request: Any, *args: Any, **kwargs: Any) -> Any:
        assert func is not None
        key = request.headers.get(HEADER, "")
        if not _KEY.fullmatch(key):
            return _error(
                400,
                _(
                    "Send an Idempotency-Key header (8 to 255 printable characters, a UUID "
                    "for example) with every request that records money."
                ),
                "idempotency_key_required",
            )
        route, fingerprint = request.path, _body_fingerprint(request)
        row = _take(
            user=request.auth,
            key=key,
            route=route,
            fingerprint=fingerprint,
            own_transaction=own_transaction,
        )
        if row is not None:
            if _mismatch(row, route, fingerprint):
                return _error(422, _mismatch_message(), "idempotency_key_reused")
            if not row.response_status:
                return _error(409, _in_progress_message(), "idempotency_key_in_progress")
            replay = HttpResponse(
                row.response_body, status=row.response_status, content_type="application/json"
            )
            replay["Idempotent-Replayed"] = "true"
            return replay
        request._idempotency_claim = (request.auth, key)
        return func(request, *args, **kwargs)

    def in_transaction(run: View) -> View:
        @functools.wraps(run)
        def view(request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
            with _scope(own_transaction) as savepoint:
                try:
                    response = run(request, *args, **kwargs)
                except BaseException:
                    claim = getattr(request, "_idempotency_claim", None)
                    if own_transaction and claim is not None:
                        _release(user=claim[0], key=claim[1], savepoint=None)
                    raise
                claim = getattr(request, "_idempotency_claim", None)
                if claim is None:
                    return response
                user, key = claim
                if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
                    IdempotencyKey.objects.filter(user=user, key=key).update(
                        response_status=response.status_code,
                        response_body=response.content.decode(),
                    )
                else:
                    _release(user=user, key=key, savepoint=savepoint)
                return response

        return view

    def document(op: Any) -> None:
        extra = op.openapi_extra or {}
        extra.setdefault("parameters", []).append(HEADER_PARAMETER)
        op.openapi_extra = extra

    # django-ninja reads the parameters from the signature; resolve the operation module's
    # annotations there (`from __future__ import annotations` makes them strings).
    operation.__signature__ = inspect.signature(func, eval_str=True)  # type: ignore[attr-defined]  # read by inspect
    decorate_view(in_transaction)(operation)
    contribute_operation_callback(operation, document)
    return operation
