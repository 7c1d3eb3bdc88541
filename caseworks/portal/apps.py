from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client realm (issue 17): clients' own pages under /my/, at the top of the app graph."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "caseworks.portal"
    verbose_name = _("Client portal")
