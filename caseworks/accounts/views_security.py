"""Second factor pages (verify, set up, recovery codes, the person's security page) and staff
invitations (invite, approve, withdraw, accept the link). Thin: the services decide."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from caseworks.accounts.views import StaffRequest
from caseworks.core.errors import ApplicationError
from caseworks.partners.models import Office

from . import second_factor as sf
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    RoleChangeForm,
    SecondFactorCodeForm,
    add_application_error,
)
from .models import StaffInvitation
from .selectors import invitation_list_for_user, staff_list_for_user
from .services import (
    PARTNER_CREATABLE_ROLES,
    invitation_for_token,
    staff_invitation_accept,
    staff_invitation_approve,
    staff_invitation_revoke,
    staff_invite,
)
from .views import plain_password_help, staff_view

_NEW_CODES_SESSION_KEY = "caseworks_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


# ----- Second factor -----


@never_cache
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step two of signing in: a code from the app, a recovery code, or a passkey."""
    user: Any = request.user
    if not sf.has_second_factor(user):
        return redirect(f"{reverse('second_factor_setup')}?next={_next_url(request)}")
    if sf.session_verified(request):
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sf.second_factor_verify(request=request, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            return redirect(_next_url(request))
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request), "has_passkey": has_passkey},
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]  # drop the XML declaration: it is inline HTML


def _grouped(key_b32: str) -> str:
    return " ".join(key_b32[i : i + 4] for i in range(0, len(key_b32), 4))


@never_cache
@login_required
@sensitive_post_parameters("code")
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the code (or type the key), then type one code."""
    if sf.has_second_factor(request.user) and not sf.session_verified(request):
        return redirect(f"{reverse('second_factor')}?next={_next_url(request)}")
    device = sf.authenticator_device(request.user)
    form = SecondFactorCodeForm(request.POST or None)
    form.fields["code"].help_text = _("The 6 digits your authenticator app shows now.")
    if request.method == "POST" and form.is_valid():
        try:
            codes = sf.authenticator_confirm(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, _("Your authenticator app is set up."))
            if codes:
                request.session[_NEW_CODES_SESSION_KEY] = codes
                return redirect(f"{reverse('recovery_codes')}?next={_next_url(request)}")
            return redirect(_next_url(request))
    key_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  # our own SVG
            "key": _grouped(key_b32),
        },
    )


@never_cache
@staff_view
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once (POST makes a new set and replaces the old one)."""
    if request.method == "POST":
        codes = sf.recovery_codes_issue(request=request)
    else:
        codes = request.session.pop(_NEW_CODES_SESSION_KEY, None)
        if not codes:
            return redirect("account_security")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@never_cache
@staff_view
def account_security(request: HttpRequest) -> HttpResponse:
    """The person's password, authenticator apps, passkeys and recovery codes."""
    user: Any = request.user
    devices = list(devices_for_user(user, confirmed=True))
    recovery = next((d for d in devices if isinstance(d, StaticDevice)), None)
    return render(
        request,
        "accounts/security.html",
        {
            "authenticators": [d for d in devices if isinstance(d, TOTPDevice)],
            "passkeys": [d for d in devices if isinstance(d, WebAuthnCredential)],
            "recovery_left": recovery.token_set.count() if recovery else 0,
        },
    )


# ----- Invitations -----


def _role_choices() -> list[tuple[str, str]]:
    return [(r.value, str(r.label)) for r in PARTNER_CREATABLE_ROLES]


@staff_view
def invitations(request: HttpRequest) -> HttpResponse:
    """Invite staff, ask for role changes, approve a colleague's request, withdraw."""
    user: Any = request.user
    rows = list(invitation_list_for_user(user=user)[:200])
    offices = Office.objects.filter(delivery_partner_id=user.delivery_partner_id, is_active=True)
    staff = staff_list_for_user(user=user).filter(is_active=True).exclude(pk=user.pk)
    invite_form = InvitationForm(
        request.POST if request.POST.get("form") == "invite" else None,
        roles=_role_choices(),
        offices=offices,
        prefix="invite",
    )
    role_form = RoleChangeForm(
        request.POST if request.POST.get("form") == "role" else None,
        roles=_role_choices(),
        staff=staff,
        prefix="role",
    )
    if request.method == "POST" and request.POST.get("form") == "invite" and invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            invitation = staff_invite(
                acting_user=user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                office=offices.filter(pk=data["office"]).first() if data["office"] else None,
                preferred_language=data["preferred_language"],
            )
        except ApplicationError as exc:
            add_application_error(invite_form, exc)
        else:
            messages.success(request, _invitation_message(invitation))
            return redirect("invitations")
    if request.method == "POST" and request.POST.get("form") == "role" and role_form.is_valid():
        data = role_form.cleaned_data
        target = get_object_or_404(staff, pk=data["user"])
        try:
            invitation = staff_invite(acting_user=user, user=target, role=data["role"])
        except ApplicationError as exc:
            add_application_error(role_form, exc)
        else:
            messages.success(request, _invitation_message(invitation))
            return redirect("invitations")
    return render(
        request,
        "accounts/invitations.html",
        {"rows": rows, "invite_form": invite_form, "role_form": role_form},
    )


def _invitation_message(invitation: StaffInvitation) -> str:
    if invitation.status == StaffInvitation.Status.AWAITING_APPROVAL:
        return _("Recorded. Another administrator must approve it before it takes effect.")
    if invitation.kind == StaffInvitation.Kind.ROLE_CHANGE:
        return _("The role is changed.")
    return _("The invitation is sent to %(email)s.") % {"email": invitation.email}


def _invitation_for(request: HttpRequest, invitation_id: int) -> StaffInvitation:
    return get_object_or_404(invitation_list_for_user(user=request.user), pk=invitation_id)


@require_POST
@staff_view
def invitation_approve(request: StaffRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_for(request, invitation_id)
    try:
        approved = staff_invitation_approve(acting_user=request.user, invitation=invitation)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if approved.kind == StaffInvitation.Kind.ROLE_CHANGE:
            messages.success(request, _("Approved: the role is changed."))
        else:
            messages.success(
                request,
                _("Approved: the invitation is sent to %(email)s.") % {"email": approved.email},
            )
    return redirect("invitations")


@require_POST
@staff_view
def invitation_revoke(request: StaffRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_for(request, invitation_id)
    try:
        staff_invitation_revoke(acting_user=request.user, invitation=invitation)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    return redirect("invitations")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person's link: choose a password, then set up a second factor."""
    if request.user.is_authenticated:
        return redirect("home")
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = plain_password_help(InvitationAcceptForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ApplicationError as exc:
            add_application_error(form, exc, {"password": "new_password1"})
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your password is set. Now set up your second factor to finish."),
            )
            return redirect("second_factor_setup")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
