"""Load the real delivery network: the Ministry and the 47 service managers.

Idempotent: each row is matched by its code and brought up to date; a second run changes
nothing and writes no audit event. Offices are not loaded (the source has no addresses).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from caseworks.partners.reference import (
    MINISTRY,
    SERVICE_MANAGERS_SOURCE,
    service_manager_rows,
)
from caseworks.partners.services import delivery_partner_sync


class Command(BaseCommand):
    help = "Load the Ministry and the 47 Ontario Works service managers (37 CMSMs, 10 DSSABs)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = service_manager_rows()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        outcomes: dict[str, int] = {"created": 0, "updated": 0, "unchanged": 0}
        with transaction.atomic():
            _partner, outcome = delivery_partner_sync(
                acting_user=None,
                code=MINISTRY["code"],
                name=MINISTRY["name"],
                name_fr=MINISTRY["name_fr"],
                kind=MINISTRY["kind"],
                region=MINISTRY["region"],
                notes=MINISTRY["notes"],
                source=MINISTRY["source"],
            )
            outcomes[outcome] += 1
            for row in rows:
                _partner, outcome = delivery_partner_sync(
                    acting_user=None,
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    region=row.region,
                    notes=row.notes,
                    source=SERVICE_MANAGERS_SOURCE,
                )
                outcomes[outcome] += 1
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            "Reference data: Ministry + {n} service managers ({created} created, "
            "{updated} updated, {unchanged} unchanged).".format(n=len(rows), **outcomes)
        )
