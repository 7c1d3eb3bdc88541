from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "caseworks.messaging"
    label = "messaging"
    verbose_name = _("Clients online: messages, reported changes and documents")
