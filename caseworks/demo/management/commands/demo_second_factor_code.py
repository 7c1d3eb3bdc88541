"""Print the demo accounts' current second-factor code (synthetic demo only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from caseworks.demo.data import demo_second_factor_code


class Command(BaseCommand):
    help = "Print the current 6-digit code of the demo authenticator (demo logins only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".production"):
            raise CommandError("The demo authenticator exists only outside production.")
        self.stdout.write(demo_second_factor_code())
