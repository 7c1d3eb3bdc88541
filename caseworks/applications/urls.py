from django.urls import path  # noqa: F401

app_name = "applications"
urlpatterns: list = []  # type: ignore[type-arg]
