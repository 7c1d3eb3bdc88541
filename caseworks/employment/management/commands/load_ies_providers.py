from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from caseworks.employment.services import ies_providers_load


class Command(BaseCommand):
    help = "Load the Integrated Employment Services Service System Managers as providers."

    def handle(self, *args: Any, **options: Any) -> None:
        created = ies_providers_load()
        self.stdout.write(f"{created} IES provider record(s) created")
