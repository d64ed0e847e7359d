"""`hromada control remind`: send the execution-control reminders due today."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.dateparse import parse_date

from hromada.control.services import reminders_sweep
from hromada.control.tasks import sweep_reminders


class Command(BaseCommand):
    help = (
        "Execution control. `remind` queues the reminder sweep for the task worker; "
        "`remind --daily` keeps one queued every day; `remind --now` runs it here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="Send the reminders due today.")
        remind.add_argument("--now", action="store_true", help="Run in this process.")
        remind.add_argument("--date", default="", help="As if today were YYYY-MM-DD (--now).")
        remind.add_argument(
            "--daily",
            action="store_true",
            help="Keep a daily sweep queued (at HROMADA_CONTROL_SWEEP_HOUR); run once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            if options["daily"]:
                from hromada.control.tasks import schedule_daily_sweep

                queued = schedule_daily_sweep()
                self.stdout.write(
                    "Daily reminder sweep queued." if queued else "A sweep is already queued."
                )
            elif options["now"]:
                today = parse_date(options["date"]) if options["date"] else None
                result = reminders_sweep(today=today)
                self.stdout.write(
                    f"Looked at {result.looked_at} assignments, sent {result.total_sent} "
                    f"reminders {dict(sorted(result.sent.items()))}."
                )
            else:
                sweep_reminders.enqueue()
                self.stdout.write("Reminder sweep queued for the task worker.")
