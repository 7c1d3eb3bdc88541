"""manage.py purge_closed_files [--dry-run] [--as-of DATE] [--retention-years N]

Removes the personal data and documents of closed files past the retention period
(caseworks/records/constants.py; docs/backup.md), skipping files under a legal hold. Each batch
commits on its own and writes one audit event per file: the command may be stopped and run
again at any time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseworks.cases.models import BenefitUnit
from caseworks.core.errors import ApplicationError, PermissionDeniedError
from caseworks.records.selectors import purge_candidates
from caseworks.records.services import closed_files_purge_batch


class Command(BaseCommand):
    help = "Remove personal data and documents of closed files past retention (not on hold)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged.")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="Judge retention as of this date (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--retention-years",
            type=int,
            default=None,
            help="Override RECORDS_CLOSED_FILE_RETENTION_YEARS (from the partner's by-law).",
        )
        parser.add_argument("--partner", type=int, default=None, help="One delivery partner id.")
        parser.add_argument("--batch-size", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["retention_years"] or getattr(
            settings, "RECORDS_CLOSED_FILE_RETENTION_YEARS", None
        )
        if not years:
            raise CommandError(
                "Set RECORDS_CLOSED_FILE_RETENTION_YEARS (or --retention-years) to the period of "
                "your records retention by-law; there is no default (docs/backup.md)."
            )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        as_of: dt.date = options["as_of"] or timezone.localdate()
        if as_of > timezone.localdate():
            raise CommandError("--as-of cannot be in the future")
        candidates = purge_candidates(
            as_of=as_of, retention_years=int(years), delivery_partner_id=options["partner"]
        )
        self.stdout.write(
            f"Retention {years} years as of {as_of}: files closed on or before "
            f"{candidates.cutoff}: {len(candidates.eligible)} to purge, "
            f"{len(candidates.held)} under a legal hold (skipped)."
        )
        if options["dry_run"]:
            numbers = dict(
                BenefitUnit.objects.filter(
                    pk__in=candidates.eligible + candidates.held
                ).values_list("pk", "case_number")
            )
            for pk in candidates.eligible:
                self.stdout.write(f"  would purge case {numbers[pk]}")
            for pk in candidates.held:
                self.stdout.write(f"  held: case {numbers[pk]}")
            self.stdout.write("Dry run: nothing changed.")
            return
        purged = held = skipped = 0
        size = options["batch_size"]
        for start in range(0, len(candidates.eligible), size):
            batch = candidates.eligible[start : start + size]
            try:
                result = closed_files_purge_batch(
                    benefit_unit_ids=batch, as_of=as_of, retention_years=int(years)
                )
            except (ApplicationError, PermissionDeniedError) as exc:
                raise CommandError(exc.message) from exc
            purged += len(result.purged)
            held += len(result.held)
            skipped += len(result.skipped)
            self.stdout.write(f"  batch {start // size + 1}: {len(result.purged)} purged")
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged {purged} files; {len(candidates.held) + held} under a legal hold; "
                f"{skipped} no longer eligible."
            )
        )
