"""How the REST API knows who is calling: a staff session (with CSRF) or a bearer token.

Both classes return the active staff member (or None, so that django-ninja answers 401).
A bearer token is looked up by its SHA-256 hash: the raw token is never stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .models import ApiToken, User


class ApiRequest(HttpRequest):
    """For type checking the API views: django-ninja sets `request.auth` to the staff member
    returned by one of the classes below."""

    auth: User


class StaffSessionAuth(APIKeyCookie):
    """The staff member's Django session. django-ninja checks CSRF before this runs (csrf=True),
    so a page on another site cannot make a logged-in browser change anything."""

    param_name = "sessionid"

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> User | None:
        # A request that presents a bearer token is judged by the token alone; an anonymous
        # request gets 401 (not a CSRF 403) so that clients know to log in.
        if "authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super().__call__(request)  # CSRF, then authenticate() below

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user: Any = request.user
        if user.is_authenticated and user.is_active:
            return user  # CSRF, then authenticate() below
        return None


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: usable when not revoked, not expired, user active."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token:
            return None
        try:
            api_token = ApiToken.objects.select_related("user").get(
                token_hash=ApiToken.hash_token(token)
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.is_usable or not api_token.user.is_active:
            return None
        # Bookkeeping, not a business event: no audit row, no history row.
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        # Row history (simple-history) and anything reading request.user see the token's owner.
        request.user = api_token.user
        # Payment, bank-detail and override operations ask whether the token was made after a
        # second factor (caseworks.accounts.second_factor.second_factor_operation).
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


# Bearer first: a token request carries no CSRF token and must not be refused by the session
# check. Without an Authorization header the session (with CSRF) is tried.
api_auth = [ApiTokenAuth(), StaffSessionAuth()]
