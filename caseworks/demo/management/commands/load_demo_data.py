"""Load the SYNTHETIC demonstration caseload and print the demo logins.

Fast on a second run: if the demo data is already there it only prints the logins.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseworks.demo.data import (
    DEMO_PASSWORD,
    DEMO_TOTP_KEY_BASE32,
    SEED,
    demo_logins,
    demo_second_factor_ensure,
    load_demo_data,
)
from caseworks.demo.portal import DEMO_CLIENT_PASSWORD, demo_portal_accounts_ensure
from caseworks.partners.models import DeliveryPartner
from caseworks.partners.reference import MINISTRY_CODE


class Command(BaseCommand):
    help = "Load synthetic demo partners, offices, staff and ~400 cases (skipped if loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=SEED, help="random seed (default fixed)")

    def handle(self, *args: Any, **options: Any) -> None:
        if str(getattr(settings, "SETTINGS_MODULE", "")).endswith(".production"):
            raise CommandError(
                "Refusing to load demo data with production settings: the demo accounts share "
                "a published password."
            )
        if not DeliveryPartner.objects.filter(code=MINISTRY_CODE).exists():
            call_command("load_reference_data", stdout=self.stdout)
        started = time.monotonic()
        try:
            counts = load_demo_data(seed=options["seed"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if counts is None:
            self.stdout.write("Demo data already loaded (nothing to do).")
        else:
            self.stdout.write(
                "Loaded SYNTHETIC demo data in {s:.1f} s: {people} people, {cases} cases, "
                "{notes} notes, {tasks} tasks, {handoffs} Ministry hand-offs.".format(
                    s=time.monotonic() - started, **counts
                )
            )
        demo_second_factor_ensure()
        self.print_logins()
        self.print_client_logins()

    def print_client_logins(self) -> None:
        """The demo clients' portal accounts (issue 17), signed in at /my/login/."""
        clients = demo_portal_accounts_ensure()
        if not clients:
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Client portal logins at /my/login/ (SYNTHETIC clients) — password for all: "
                f"{DEMO_CLIENT_PASSWORD}"
            )
        )
        for client in clients:
            self.stdout.write(f"  {client.username:<10}  {client.case_number}  {client.name}")
        self.stdout.write("")

    def print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            return
        width_user = max(len("Username"), *(len(login.username) for login in logins))
        width_role = max(len("Role"), *(len(login.role) for login in logins))
        line = f"  {{:<{width_user}}}  {{:<{width_role}}}  {{}}"
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (SYNTHETIC data) — password for all: {DEMO_PASSWORD}")
        )
        self.stdout.write(line.format("Username", "Role", "Delivery partner"))
        self.stdout.write(line.format("-" * width_user, "-" * width_role, "-" * 16))
        for login in logins:
            self.stdout.write(line.format(login.username, login.role, login.partner))
        self.stdout.write("")
        key = " ".join(DEMO_TOTP_KEY_BASE32[i : i + 4] for i in range(0, 32, 4))
        self.stdout.write(
            self.style.SUCCESS("Second factor (every staff sign-in asks for one): ")
            + f"put the demo key {key} in an authenticator app, or run `make demo-code` "
            "for the current 6-digit code."
        )
        self.stdout.write("")
