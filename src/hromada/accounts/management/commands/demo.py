"""`hromada demo`: load the demo city once and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, connection

from hromada.accounts.demo import (
    DEFAULT_OFFICIALS,
    DEFAULT_SEED,
    demo_is_loaded,
    format_logins,
    load_demo,
)
from hromada.core.registry import registry


class Command(BaseCommand):
    help = (
        "Load the demo city (a Kryvyi Rih-like organisation, ~760 officials, one login per "
        "role) unless it is already loaded, then print the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins; load nothing."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--officials", type=int, default=DEFAULT_OFFICIALS, help="How many officials."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            if not demo_is_loaded():
                self.stderr.write("The demo city is not loaded; run `hromada demo` first.")
            self._print_logins()
            return
        if options["officials"] < 0:
            raise CommandError("--officials must not be negative.")
        try:
            summary = load_demo(seed=options["seed"], officials=options["officials"])
        except IntegrityError:
            # Another process loaded it at the same moment; anything else is a real conflict.
            if not demo_is_loaded():
                raise
            summary = load_demo(seed=options["seed"], officials=options["officials"])
        if summary.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo city loaded in {summary.seconds:.1f} s: {summary.units} units, "
                    f"{summary.positions} positions, {summary.officials} officials, "
                    f"{summary.demo_accounts} demo logins, {summary.role_assignments} roles, "
                    f"{summary.substitutions} substitutions."
                )
            )
        else:
            self.stdout.write("The demo city is already loaded; nothing changed.")
        # Modules add their demo data on top of the city; each loader is idempotent.
        for loader in registry.demo_loaders_in_order():
            message = loader.load()
            if message:
                self.stdout.write(message)
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics until autovacuum gets to them; plan the first
            # requests on the demo's real sizes, not on PostgreSQL's defaults.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(format_logins())
        if settings.HROMADA_MFA_ENFORCED:
            self.stdout.write(
                "\nStaff logins set up a second factor (TOTP) at their first sign-in."
            )
