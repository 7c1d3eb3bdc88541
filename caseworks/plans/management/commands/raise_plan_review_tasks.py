from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caseworks.plans.services import plan_review_tasks_raise


class Command(BaseCommand):
    help = "Raise a task for every overdue participation agreement review (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        result = plan_review_tasks_raise(as_of=options["as_of"])
        self.stdout.write(f"{result.created} task(s) raised, {result.skipped} skipped")
