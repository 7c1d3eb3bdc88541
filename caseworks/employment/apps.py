from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from caseworks.cases.signals import case_transferred


class EmploymentConfig(AppConfig):
    name = "caseworks.employment"
    label = "employment"
    verbose_name = _("Employment")

    def ready(self) -> None:
        # The receiver imports models, which load only after the app registry.
        from .receivers import on_case_transferred  # noqa: PLC0415

        case_transferred.connect(on_case_transferred, dispatch_uid="employment.case_transferred")
