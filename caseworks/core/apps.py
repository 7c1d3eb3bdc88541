from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caseworks.core"
    label = "core"
    verbose_name = "Core"
