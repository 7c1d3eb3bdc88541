from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "caseworks.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from .client_links import register  # noqa: PLC0415  # models load after apps

        register()
