"""`hromada calendar`: show days off, set holidays-working periods (martial law) and overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.core import calendar
from hromada.core.exceptions import ApplicationError
from hromada.core.models import HolidaysWorkingPeriod


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Невірна дата «{value}»; формат РРРР-ММ-ДД.") from exc


class Command(BaseCommand):
    help = "Show the working-day calendar and change its periods and overrides."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        show = sub.add_parser("show", help="List days off of a year (or of --from/--to).")
        show.add_argument("year", type=int, nargs="?")
        show.add_argument("--from", dest="start", type=_date)
        show.add_argument("--to", dest="end", type=_date)

        start = sub.add_parser(
            "holidays-working",
            help="Record a period when public holidays are working days (e.g. martial law).",
        )
        start.add_argument("start", type=_date)
        start.add_argument("--end", type=_date, default=None, help="Last day (open if omitted).")
        start.add_argument("--note", default="", help="Legal basis, e.g. 'Закон № 2136-IX'.")

        end = sub.add_parser(
            "holidays-working-end", help="Set the last day of the open holidays-working period."
        )
        end.add_argument("end", type=_date)

        override = sub.add_parser("override", help="Make a day a working day or a day off.")
        override.add_argument("day", type=_date)
        kind = override.add_mutually_exclusive_group(required=True)
        kind.add_argument("--working", action="store_true")
        kind.add_argument("--day-off", action="store_true")
        kind.add_argument("--remove", action="store_true", help="Back to the law's calendar.")
        override.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc

    def _show(self, options: dict[str, Any]) -> None:
        year = options["year"] or date.today().year
        start = options["start"] or date(year, 1, 1)
        end = options["end"] or date(year, 12, 31)
        for period in HolidaysWorkingPeriod.objects.filter(start__lte=end):
            if period.end is None or period.end >= start:
                self.stdout.write(
                    f"Святкові дні робочі: {period.start} – {period.end or '…'} {period.note}"
                )
        for day, reason in calendar.days_off(start, end):
            if day.weekday() < 5 or reason != "вихідний день":
                self.stdout.write(f"{day:%Y-%m-%d} {day:%a}  {reason}")

    def _holidays_working(self, options: dict[str, Any]) -> None:
        period = calendar.holidays_working_period_create(
            start=options["start"], end=options["end"], note=options["note"]
        )
        self.stdout.write(f"Святкові дні робочі: {period.start} – {period.end or '…'}")

    def _holidays_working_end(self, options: dict[str, Any]) -> None:
        period = HolidaysWorkingPeriod.objects.filter(end__isnull=True).first()
        if period is None:
            raise CommandError("Відкритого періоду, коли святкові дні робочі, немає.")
        calendar.holidays_working_period_end(period_id=period.pk, end=options["end"])
        self.stdout.write(f"Святкові дні робочі: {period.start} – {options['end']}")

    def _override(self, options: dict[str, Any]) -> None:
        day = options["day"]
        if options["remove"]:
            calendar.calendar_override_remove(day=day)
            self.stdout.write(f"{day}: за календарем")
            return
        calendar.calendar_override_set(day=day, is_working=options["working"], note=options["note"])
        self.stdout.write(f"{day}: {'робочий' if options['working'] else 'вихідний'}")
