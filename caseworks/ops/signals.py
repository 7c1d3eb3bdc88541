"""Receivers: audit and security events to the audit stream and metrics; staff context on
request logs.

Logging and counting only: no business rule here (docs/coding-style.md).
"""

from __future__ import annotations

from typing import Any

import structlog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import Resolver404, ResolverMatch, resolve
from django_structlog import signals as structlog_signals

from caseworks.core.audit import audit_event_committed

from .audit_stream import audit_event_logged, security_event_logged
from .metrics import LOGIN_FAILURES, LOGIN_LOCKOUTS


def _client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _realm(request: HttpRequest | None) -> str | None:
    """Which sign-in page the event came from: the clients' portal (settings.PORTAL_URL_PREFIX)
    or the staff pages; None outside a request (a shell, a test's force_login)."""
    if request is None or not getattr(request, "path", ""):
        return None
    return "client" if request.path.startswith(settings.PORTAL_URL_PREFIX) else "staff"


def _user_id_for(username: Any) -> int | None:
    """The id of the account a failed sign-in named: the typed text itself is never logged
    (people type passwords into the username box)."""
    if not isinstance(username, str) or not username:
        return None
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()


@receiver(audit_event_committed, dispatch_uid="ops_audit_event")
def _audit_event_committed(sender: Any, event: Any, **kwargs: Any) -> None:
    audit_event_logged(event)


@receiver(user_logged_in, dispatch_uid="ops_login")
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    security_event_logged(
        "login_succeeded", user=user, ip=_client_ip(request), realm=_realm(request)
    )


@receiver(user_logged_out, dispatch_uid="ops_logout")
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    security_event_logged("logout", user=user, ip=_client_ip(request), realm=_realm(request))


@receiver(user_login_failed, dispatch_uid="ops_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    LOGIN_FAILURES.inc()
    security_event_logged(
        "login_failed",
        target_user_id=_user_id_for(credentials.get("username")),
        ip=_client_ip(request),
        realm=_realm(request),
    )


@receiver(user_locked_out, dispatch_uid="ops_locked_out")
def _locked_out(
    sender: Any, request: HttpRequest, username: Any, ip_address: Any, **kwargs: Any
) -> None:
    LOGIN_LOCKOUTS.inc()
    security_event_logged(
        "login_locked_out",
        target_user_id=_user_id_for(username),
        ip=ip_address,
        realm=_realm(request),
    )


# Request log lines ------------------------------------------------------------------------


def _staff_context(request: HttpRequest) -> dict[str, Any]:
    """partner_id and role of the signed-in staff member (session or API token), without
    marking the session as read (that would add `Vary: Cookie` to every answer)."""
    session = getattr(request, "session", None)
    accessed = getattr(session, "accessed", None)
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        user = getattr(request, "auth", None)  # django-ninja: the token's staff member
    context: dict[str, Any] = {"partner_id": None, "role": None}
    if user is not None and getattr(user, "is_authenticated", False):
        context = {
            "user_id": user.pk,
            "partner_id": user.delivery_partner_id,
            "role": str(user.role) or None,
        }
    if session is not None and accessed is False:
        session.accessed = False
    return context


def _route(request: HttpRequest) -> ResolverMatch | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match


def _describe(request: HttpRequest, log_kwargs: dict[str, Any]) -> None:
    """The route pattern and view name instead of the path: no query string (search terms), no
    free text a path might carry."""
    match = _route(request)
    route = f"/{match.route}" if match is not None else "(no route)"
    log_kwargs["request"] = f"{request.method} {route}"
    log_kwargs["view"] = match.view_name if match is not None else None


@receiver(structlog_signals.bind_extra_request_metadata, dispatch_uid="ops_request_started")
def _request_started(
    sender: Any, request: HttpRequest, logger: Any, log_kwargs: dict[str, Any], **kwargs: Any
) -> None:
    structlog.contextvars.bind_contextvars(**_staff_context(request))
    _describe(request, log_kwargs)


@receiver(
    structlog_signals.bind_extra_request_finished_metadata, dispatch_uid="ops_request_finished"
)
def _request_finished(
    sender: Any, request: HttpRequest, logger: Any, log_kwargs: dict[str, Any], **kwargs: Any
) -> None:
    # Bound again: the request may have signed someone in or out, or authenticated a token.
    structlog.contextvars.bind_contextvars(**_staff_context(request))
    _describe(request, log_kwargs)


@receiver(structlog_signals.bind_extra_request_failed_metadata, dispatch_uid="ops_request_failed")
def _request_failed(
    sender: Any, request: HttpRequest, logger: Any, log_kwargs: dict[str, Any], **kwargs: Any
) -> None:
    structlog.contextvars.bind_contextvars(**_staff_context(request))
    _describe(request, log_kwargs)
