from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from caseworks.employment.services import follow_up_tasks_raise, referral_overdue_tasks_raise


class Command(BaseCommand):
    help = (
        "Raise tasks for unanswered referrals and due job follow-ups now (safe to run again; "
        "the same jobs run daily through procrastinate)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        referrals = referral_overdue_tasks_raise(as_of=options["as_of"])
        follow_ups = follow_up_tasks_raise(as_of=options["as_of"])
        self.stdout.write(
            f"referrals: {referrals.created} task(s) raised, {referrals.skipped} skipped; "
            f"follow-ups: {follow_ups.created} task(s) raised, {follow_ups.skipped} skipped"
        )
