"""`hromada audit`: verify the audit chain, export events to CSV.

hromada audit verify
hromada audit export --since 2025-01-01 --until 2025-01-31 -o audit.csv
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet

from hromada.core.audit import (
    CSV_BOM,
    AuditFilter,
    audit_events,
    audit_record,
    chain_head,
    csv_header,
    csv_row,
    day_range,
    iter_events,
    verify_streams,
)
from hromada.core.models import AuditEvent


class _Echo:
    """A file-like object whose write() returns the line: csv.writer rows as strings."""

    def write(self, value: str) -> str:
        return value


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or export its events to CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,export}")
        sub.add_parser(
            "verify",
            help="Check every event's hash and link; report each stream's first broken link.",
        )
        export = sub.add_parser("export", help="Write events to a CSV file (UTF-8 with BOM).")
        export.add_argument("--since", type=str, help="First day, YYYY-MM-DD (inclusive).")
        export.add_argument("--until", type=str, help="Last day, YYYY-MM-DD (inclusive).")
        export.add_argument("--action", default="", help="One action, or a prefix ending in '.'")
        export.add_argument(
            "-o", "--output", required=True, help="CSV file to write, '-' for stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify()
        else:
            self.export(options)

    def verify(self) -> None:
        reports = verify_streams()
        checked = sum(r.checked for r in reports)
        broken = [r for r in reports if r.broken is not None]
        if broken:
            first = broken[0].broken
            assert first is not None
            self.stderr.write(f"BROKEN at event #{first.seq}: {first.reason}")
            # Every stream is its own chain: name the first break of each broken one.
            for report in broken:
                b = report.broken
                assert b is not None
                found = f" (event No. {b.event_seq})" if b.event_seq is not None else ""
                self.stderr.write(f"stream {report.stream}: BROKEN at #{b.seq}{found}: {b.reason}")
            self.stderr.write(f"{checked} events verified before the breaks.")
            sys.exit(1)
        seq, digest = chain_head()
        self.stdout.write(f"OK: {checked} events verified")
        self.stdout.write(f"Chain head: #{seq} {digest}")
        for report in reports:
            if report.head_seq:
                self.stdout.write(f"stream {report.stream}: #{report.head_seq} {report.head_hash}")

    def export(self, options: dict[str, Any]) -> None:
        since_day = _date(options["since"]) if options.get("since") else None
        until_day = _date(options["until"]) if options.get("until") else None
        if since_day and until_day and until_day < since_day:
            raise CommandError("--until is before --since.")
        since, until = day_range(since_day, until_day)
        criteria = AuditFilter(action=options.get("action") or "", since=since, until=until)
        output = options["output"]
        with transaction.atomic():
            event = audit_record(
                actor=None,
                action="audit.exported",
                data={**criteria.as_data(), "via": "command", "file": str(output)[:300]},
            )
        # The export event itself is not part of what it exports.
        qs = audit_events(criteria).filter(seq__lt=event.seq)
        if output == "-":
            self._write(lambda line: self.stdout.write(line, ending=""), qs)
            return
        with Path(output).open("w", encoding="utf-8", newline="") as fh:
            count = self._write(fh.write, qs)
        self.stdout.write(f"{count} events written to {output}")

    def _write(self, write: Callable[[str], object], qs: QuerySet[AuditEvent]) -> int:
        writer = csv.writer(_Echo())
        write(CSV_BOM + writer.writerow(csv_header()))
        count = 0
        for ev in iter_events(qs):
            write(writer.writerow(csv_row(ev)))
            count += 1
        return count
