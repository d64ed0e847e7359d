"""`hromada import_org FILE [--staff]`: import units (or staff) from a CSV or XLSX table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.accounts.importing import import_staff, import_units


class Command(BaseCommand):
    help = (
        "Import the organisation structure (or, with --staff, staff members) from a CSV "
        "(UTF-8) or XLSX file. Columns are described in docs and in hromada.accounts.importing. "
        "Any bad row rejects the whole file; the errors are listed with their line numbers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to a .csv or .xlsx file.")
        parser.add_argument(
            "--staff", action="store_true", help="The file lists staff members, not units."
        )
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="With --staff: do not e-mail new staff a link to set their password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > settings.HROMADA_UPLOAD_MAX_BYTES:
            raise CommandError(
                f"The file is larger than {settings.HROMADA_UPLOAD_MAX_BYTES} bytes."
            )
        data = path.read_bytes()
        if options["staff"]:
            result = import_staff(
                actor=None,
                data=data,
                filename=path.name,
                send_invitations=not options["no_invite"],
            )
        else:
            result = import_units(actor=None, data=data, filename=path.name)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.more_errors:
                self.stderr.write(f"… and {result.more_errors} more errors.")
            raise CommandError("Nothing was imported: fix the rows above and run again.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
