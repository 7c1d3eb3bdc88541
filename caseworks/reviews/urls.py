app_name = "reviews"
urlpatterns: list = []  # type: ignore[type-arg]
