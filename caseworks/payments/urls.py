app_name = "payments"
urlpatterns: list = []  # type: ignore[type-arg]
