"""`hromada programs`: import a programme from a file, generate a report, list programmes.

hromada programs import data/programme.yaml
hromada programs report msv-2015 --period 2015 --format docx -o zvit-2015.docx
hromada programs list
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.core.exceptions import ApplicationError
from hromada.programs.importing import ImportFailed, load_file, programme_import
from hromada.programs.models import Programme
from hromada.programs.periods import Period
from hromada.programs.rendering import FORMATS, document_for_period, render


def find_programme(value: str) -> Programme:
    """Return the programme with this code (or numeric id)."""
    programme = Programme.objects.filter(code=value).first()
    if programme is None and value.isdigit():
        programme = Programme.objects.filter(pk=int(value)).first()
    if programme is None:
        raise CommandError(f"No programme with code or id {value!r} (see `hromada programs list`).")
    return programme


class Command(BaseCommand):
    help = "Import a programme from JSON/YAML, generate its report for a period, list programmes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{import,report,list}"
        )
        imp = sub.add_parser("import", help="Import a programme with its data (docs/programs.md).")
        imp.add_argument("file", help="A .json, .yaml or .yml file.")
        imp.add_argument(
            "--check", action="store_true", help="Only validate the file; import nothing."
        )
        rep = sub.add_parser("report", help="Write a programme's report for a period.")
        rep.add_argument("programme", help="The programme's code (or id).")
        rep.add_argument("--period", required=True, help="2015, or 2015-Q3 (cumulative).")
        rep.add_argument("--format", choices=FORMATS, default="docx")
        rep.add_argument("-o", "--output", required=True, help="File to write, '-' for stdout.")
        sub.add_parser("list", help="List programmes and their reports.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            self.import_file(Path(options["file"]), check=options["check"])
        elif options["subcommand"] == "report":
            self.report(options)
        else:
            self.list()

    def import_file(self, path: Path, *, check: bool) -> None:
        from django.db import transaction

        try:
            data = load_file(path)
            if check:
                from hromada.programs.importing import validate

                validate(data)
                self.stdout.write(self.style.SUCCESS(f"{path}: no problems found."))
                return
            with transaction.atomic():
                result = programme_import(actor=None, data=data)
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        counts = ", ".join(f"{k}: {v}" for k, v in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported «{result.programme.code}» ({result.programme}): {counts}."
            )
        )

    def report(self, options: dict[str, Any]) -> None:
        programme = find_programme(options["programme"])
        try:
            period = Period.parse(options["period"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if not programme.covers(period):
            raise CommandError(
                f"Period {period.key} is outside the programme's years "
                f"({programme.year_from}–{programme.year_to})."
            )
        content = render(document_for_period(programme, period), options["format"])
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
            return
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Wrote {options['output']} ({len(content):,} bytes).")

    def list(self) -> None:
        for programme in Programme.objects.select_related("coordinator_unit").order_by("code"):
            reports = ", ".join(
                f"{r.period.key} v{r.version} {r.status}"
                for r in programme.reports.order_by("year", "quarter", "version")
            )
            self.stdout.write(
                f"{programme.code}\t{programme.year_from}–{programme.year_to}\t{programme.title}"
                f"\t[{reports or 'no reports'}]"
            )
