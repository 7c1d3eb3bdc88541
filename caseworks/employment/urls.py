from django.urls import path  # noqa: F401

app_name = "employment"
urlpatterns: list = []  # type: ignore[type-arg]
