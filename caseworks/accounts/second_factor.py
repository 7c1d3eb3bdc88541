"""The staff second factor (issue 13; ADR 0008): django-otp devices and the rule that holds it.

Every staff session passes a second factor before any page: an authenticator app (TOTP), a
passkey (django-otp-webauthn) or a one-time recovery code. A person with no device enrols one
at first sign-in (an invited person right after setting their password). The middleware below
sends an unverified session to the second-factor page; the API answers 403 in JSON.

API tokens carry no session: a token may be used for payment, bank-detail and override
operations only when its owner made it in a session verified by a second factor
(`ApiToken.second_factor_at`); `second_factor_operation` marks those operations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseworks.core.audit import audit_record
from caseworks.core.constants import AuditEventType
from caseworks.core.errors import ApplicationError, PermissionDeniedError

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

# Paths an authenticated but unverified session may still reach: signing in and out, the
# second-factor pages themselves, the passkey ceremony, language, static files, probes.
_OPEN_PREFIXES = (
    "/login/",
    "/logout/",
    "/second-factor/",
    "/webauthn/",
    "/invitation/",
    "/password/reset/",
    "/i18n/",
    "/health/",
    "/metrics",
    # The client realm (caseworks.portal): its own sign-in and second factor (django-allauth).
    "/my/",
)


def has_second_factor(user: Any) -> bool:
    """The person has at least one confirmed device (authenticator, passkey or codes)."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def session_verified(request: HttpRequest) -> bool:
    user: Any = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_verified(request: HttpRequest) -> bool:
    """This request stands on a second factor: a verified session, or an API token its owner
    made in a verified session."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return token.second_factor_at is not None
    return session_verified(request)


def require_second_factor(request: HttpRequest) -> None:
    if not second_factor_verified(request):
        raise PermissionDeniedError(
            _(
                "This action needs a second factor. Sign in with your authenticator app or "
                "passkey; for the API, use a token made after signing in with one."
            )
        )


def second_factor_operation(view: Callable[..., Any]) -> Callable[..., Any]:
    """Payment, bank-detail and override API operations: refused (403) without a second
    factor. Put it under the route decorator, above `idempotent_operation`."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        require_second_factor(request)
        return view(request, *args, **kwargs)

    return wrapper


class SecondFactorMiddleware:
    """A signed-in staff session that has not passed its second factor reaches only the pages
    that let it do so; anything else goes to the second-factor page (or enrolment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated or session_verified(request):
            return self.get_response(request)
        path = request.path_info
        if path.startswith(settings.STATIC_URL) or path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        if path.startswith("/api/"):
            if "authorization" in request.headers:
                return self.get_response(request)  # a token request: judged by the token
            # The shape of every API error (config/api.py ErrorOut).
            error = {
                "field": None,
                "message": _("Pass your second factor before using the API."),
                "code": "second_factor_required",
            }
            return JsonResponse({"detail": [error]}, status=403)
        target = "second_factor" if has_second_factor(user) else "second_factor_setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))


# ----- Enrolment and verification (writes: one transaction each, audited) -----


def authenticator_device(user: Any) -> TOTPDevice:
    """The person's authenticator being set up: an unconfirmed device, made once and reused
    until confirmed (so the QR code stays the same across page loads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def authenticator_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """The person typed a code from the app they just set up: the device is confirmed, this
    session is verified, and the first recovery codes are issued (returned, shown once)."""
    user: Any = request.user
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if locked.confirmed:
        raise ApplicationError(_("This authenticator is already set up."), field="code")
    if not locked.verify_token(_clean(code)):
        raise ApplicationError(
            _("That code is not right. Type the 6 digits your app shows now."), field="code"
        )
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    otp_login(request, locked)
    audit_record(
        acting_user=user,
        event_type=AuditEventType.SECOND_FACTOR_ENROLLED,
        subject=user,
        delivery_partner_id=user.delivery_partner_id,
        extra_data={"device": "totp"},
    )
    codes: list[str] = []
    if not StaticDevice.objects.filter(user=user, confirmed=True).exists():
        codes = recovery_codes_issue(request=request)
    return codes


@transaction.atomic
def recovery_codes_issue(*, request: HttpRequest) -> list[str]:
    """A fresh set of one-time recovery codes replaces the old set. Needs a verified session."""
    user: Any = request.user
    if not session_verified(request):
        raise PermissionDeniedError(_("Pass your second factor first."))
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_record(
        acting_user=user,
        event_type=AuditEventType.RECOVERY_CODES_ISSUED,
        subject=user,
        delivery_partner_id=user.delivery_partner_id,
        extra_data={"count": len(codes)},
    )
    return codes


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


def second_factor_verify(*, request: HttpRequest, code: str) -> None:
    """Check a code from the person's authenticator app or one of their recovery codes; on a
    match the session is verified. Wrong codes slow down (django-otp's throttling)."""
    user: Any = request.user
    cleaned = _clean(code)
    if not cleaned:
        raise ApplicationError(_("Type the code from your authenticator app."), field="code")
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, TOTPDevice | StaticDevice):
            continue  # passkeys verify through their own ceremony
        if isinstance(device, TOTPDevice) != cleaned.isdigit():
            continue  # 6 digits for the app; letters and digits for a recovery code
        matched = otp_verify_token(user, device.persistent_id, cleaned)
        if matched is not None:
            otp_login(request, matched)
            return
    raise ApplicationError(
        _(
            "That code is not right. Type the 6 digits your app shows now, or one of your "
            "recovery codes. After several wrong codes you must wait a little longer each time."
        ),
        field="code",
    )


def is_session_device(request: HttpRequest, device: Any) -> bool:
    return request.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id
