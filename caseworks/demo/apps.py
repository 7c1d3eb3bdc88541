from django.apps import AppConfig


class DemoConfig(AppConfig):
    """SYNTHETIC demo data for `make run`: `load_demo_data`, `demo_second_factor_code`.

    The top of the app graph (docs/directory-structure.md): it writes through every app's
    services and nothing imports it. No models."""

    name = "caseworks.demo"
    label = "demo"
    verbose_name = "Demo data"
