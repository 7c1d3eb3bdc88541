"""django-allauth's account adapter for the client realm: no self sign-up (accounts open by
activation), staff accounts never sign in here, and a client's session is marked as the portal
realm's (caseworks.portal.middleware)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.urls import reverse

from .middleware import PORTAL_REALM, REALM_SESSION_KEY, is_client_user


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # an account opens with the activation code (portal:activate)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        if user is not None and not is_client_user(user):
            # A staff password typed here fails like a wrong one (and counts for the lockout).
            user_login_failed.send(
                sender=__name__,
                credentials={"username": credentials.get("username", "")},
                request=request,
            )
            return None
        return user

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        request.session[REALM_SESSION_KEY] = PORTAL_REALM

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("portal:home")

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        return reverse("portal:login")
