from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from caseworks.payments.interim import interim_assistance_source_register


class ReviewsConfig(AppConfig):
    name = "caseworks.reviews"
    label = "reviews"
    verbose_name = _("Internal reviews and appeals")

    def ready(self) -> None:
        # The payment run pays interim assistance on pending appeals; payments sits below
        # reviews, so reviews tells it where those cases come from.
        from .selectors import interim_assistance_unit_ids  # noqa: PLC0415  # models: after the registry

        interim_assistance_source_register(interim_assistance_unit_ids)
