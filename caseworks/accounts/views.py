"""Sign in and out, password pages, and the decorator every staff page uses (the home page:
caseworks.caseload.views_home)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordChangeDoneView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from caseworks.core.errors import PermissionDeniedError

from .forms import LoginForm
from .models import User

TIMED_OUT_SESSION_KEY = "caseworks_timed_out"

ViewFunc = Callable[..., HttpResponseBase]


class StaffRequest(HttpRequest):
    """For type checking the views behind `staff_view`: the signed-in staff member."""

    user: User


def signed_in_staff(request: HttpRequest) -> User:
    """The signed-in staff member of a request that may only come from one (the admin)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def staff_view(view: ViewFunc) -> ViewFunc:
    """Signed-in staff only; a role that may not do something gets the friendly 403 page;
    nothing is cached by the browser."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc

    # Client information must not stay in the browser's cache (shared office computers: the
    # Back button after signing out must not show a file).
    return login_required(never_cache(wrapper))


class StaffLoginView(LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.session.pop(TIMED_OUT_SESSION_KEY, False)
        return context


class StaffLogoutView(LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


# Password change (signed in) and reset by e-mail (signed out): Django's views and forms, which
# check the new password against AUTH_PASSWORD_VALIDATORS; our templates. Nothing is cached.
def plain_password_help(form: Any) -> Any:
    """Django's help text for a new password is an HTML list, which the field macro would put
    inside a paragraph (invalid HTML): give it as sentences."""
    form.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
    return form


class StaffPasswordChangeView(PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def get_form(self, form_class: Any = None) -> Any:
        return plain_password_help(super().get_form(form_class))


class StaffPasswordChangeDoneView(PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class StaffPasswordResetView(PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class StaffPasswordResetDoneView(PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class StaffPasswordResetConfirmView(PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def get_form(self, form_class: Any = None) -> Any:
        return plain_password_help(super().get_form(form_class))


class StaffPasswordResetCompleteView(PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
