"""The client realm's separation from the staff realm (issue 17).

* `RealmSessionMiddleware` replaces Django's SessionMiddleware: requests under
  PORTAL_URL_PREFIX (/my/) use their own session cookie (PORTAL_SESSION_COOKIE_NAME, path /my/),
  every other request the staff cookie (SESSION_COOKIE_NAME). A staff session is therefore never
  seen by a portal page (it is anonymous there) and a client's session never leaves /my/.
* `RealmSeparationMiddleware` (after authentication) is the second lock: a staff account signed
  in to a portal session, or a client account signed in to a staff session (say, a cookie copied
  by hand), is signed out and sent to its own realm's sign-in page. Anonymous requests for a
  portal page that needs an account go to the portal's sign-in page, never the staff one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, urlencode

REALM_SESSION_KEY = "caseworks_realm"
PORTAL_REALM = "portal"


def is_portal_path(path: str) -> bool:
    return path.startswith(settings.PORTAL_URL_PREFIX)


def _cookie(request: HttpRequest) -> tuple[str, str]:
    """(cookie name, cookie path) of the request's realm."""
    if is_portal_path(request.path_info):
        return settings.PORTAL_SESSION_COOKIE_NAME, settings.PORTAL_URL_PREFIX
    return settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_PATH


class RealmSessionMiddleware(SessionMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        name, _path = _cookie(request)
        request.session = self.SessionStore(request.COOKIES.get(name))

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        """Django's SessionMiddleware.process_response with the realm's cookie name and path."""
        name, path = _cookie(request)
        try:
            accessed = request.session.accessed
            modified = request.session.modified
            empty = request.session.is_empty()
        except AttributeError:
            return response
        if name in request.COOKIES and empty:
            response.delete_cookie(
                name,
                path=path,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            need_vary_cookie = True
        else:
            need_vary_cookie = accessed
            if (modified or settings.SESSION_SAVE_EVERY_REQUEST) and not empty:
                if request.session.get_expire_at_browser_close():
                    max_age = None
                    expires = None
                else:
                    max_age = request.session.get_expiry_age()
                    expires = http_date(time.time() + max_age)
                if response.status_code < 500:
                    try:
                        request.session.save()
                    except UpdateError as error:
                        raise SessionInterrupted(
                            "The request's session was deleted before the request completed."
                        ) from error
                    response.set_cookie(
                        name,
                        request.session.session_key or "",
                        max_age=max_age,
                        expires=expires,
                        domain=settings.SESSION_COOKIE_DOMAIN,
                        path=path,
                        secure=bool(settings.SESSION_COOKIE_SECURE),
                        httponly=bool(settings.SESSION_COOKIE_HTTPONLY),
                        samesite=settings.SESSION_COOKIE_SAMESITE,
                    )
                    need_vary_cookie = True
        if need_vary_cookie:
            patch_vary_headers(response, ("Cookie",))
        return response


# Portal pages anyone may open: signing in, activation, password reset, the online application,
# the SMS webhook (judged by its signature).
PUBLIC_PORTAL_PATHS = (
    "login/",
    "activate/",
    "apply/",
    "sms/inbound/",
    "account/login/",
    "account/password/reset/",
    "account/logout/",
    "account/2fa/authenticate/",
    "account/reauthenticate/",
)


def is_client_user(user: Any) -> bool:
    """The account is a client's portal account (a reverse one-to-one: one query, cached on
    the user object for the request)."""
    try:
        return user.portal_account is not None
    except user._meta.model.portal_account.RelatedObjectDoesNotExist:
        return False


class RealmSeparationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user: Any = request.user
        path = request.path_info
        if is_portal_path(path):
            if user.is_authenticated and not is_client_user(user):
                logout(request)
                return self._to_portal_login(request)
            public = path[len(settings.PORTAL_URL_PREFIX) :].startswith(PUBLIC_PORTAL_PATHS)
            if not user.is_authenticated and not public:
                return self._to_portal_login(request)
        elif user.is_authenticated and request.session.get(REALM_SESSION_KEY) == PORTAL_REALM:
            # No query on staff pages: a client account cannot sign in through the staff form
            # (caseworks.accounts.forms.LoginForm), so only a portal session moved by hand lands
            # here.
            logout(request)
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)

    @staticmethod
    def _to_portal_login(request: HttpRequest) -> HttpResponse:
        target = reverse("portal:login")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
