from django.urls import path

from . import views, views_security

# No app_name: settings.LOGIN_URL and LOGIN_REDIRECT_URL use the plain names "login" and "home"
# (the home page is caseworks.caseload.views_home, routed in config/urls.py).
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    # Django's names, which its password views redirect to.
    path("password/", views.StaffPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/",
        views.StaffPasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns += [
    path("second-factor/", views_security.second_factor, name="second_factor"),
    path("second-factor/setup/", views_security.second_factor_setup, name="second_factor_setup"),
    path("second-factor/recovery-codes/", views_security.recovery_codes, name="recovery_codes"),
    path("account/security/", views_security.account_security, name="account_security"),
    path("staff/invitations/", views_security.invitations, name="invitations"),
    path(
        "staff/invitations/<int:invitation_id>/approve/",
        views_security.invitation_approve,
        name="invitation_approve",
    ),
    path(
        "staff/invitations/<int:invitation_id>/withdraw/",
        views_security.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", views_security.invitation_accept, name="invitation_accept"),
]
