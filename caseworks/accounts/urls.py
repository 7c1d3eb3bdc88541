from django.urls import path

from . import views

# No app_name: settings.LOGIN_URL and LOGIN_REDIRECT_URL use the plain names "login" and "home".
urlpatterns = [
    path("", views.home, name="home"),
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
