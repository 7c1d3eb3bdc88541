from django.urls import path

from . import views

# No app_name: settings.LOGIN_URL and LOGIN_REDIRECT_URL use the plain names "login" and "home".
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
]
