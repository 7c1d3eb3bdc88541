from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client realm (issue 17): clients' own pages under /my/, at the top of the app graph."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "caseworks.portal"
    verbose_name = _("Client portal")

    def ready(self) -> None:
        # A hold for a missing monthly report needs two reminders on two channels (payments
        # takes the check as a callable: it sits below this app).
        from caseworks.payments.services.ledger_entries import (  # noqa: PLC0415
            MISSING_REPORT_HOLD_CHECKS,
        )

        from .reminders import missing_report_hold_check  # noqa: PLC0415

        if missing_report_hold_check not in MISSING_REPORT_HOLD_CHECKS:
            MISSING_REPORT_HOLD_CHECKS.append(missing_report_hold_check)
        # A granted case's notice of decision prints the activation codes of its adults
        # without an account (eligibility sits below this app: it takes a provider).
        from caseworks.eligibility.notice_sections import (  # noqa: PLC0415
            NOTICE_SECTION_PROVIDERS,
        )

        from .services.notice_codes import activation_notice_sections  # noqa: PLC0415

        if activation_notice_sections not in NOTICE_SECTION_PROVIDERS:
            NOTICE_SECTION_PROVIDERS.append(activation_notice_sections)
