"""`hromada classifiers`: load the built-in reference classifiers, list a classifier's codes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.core.classifiers import classifier_items, classifiers_load


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Невірна дата «{value}»; формат РРРР-ММ-ДД.") from exc


class Command(BaseCommand):
    help = "Load the built-in classifiers (idempotent) or list the codes of one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Create or update the built-in classifiers' codes.")
        show = sub.add_parser("show", help="List a classifier's codes valid on a date.")
        show.add_argument("classifier")
        show.add_argument("--section")
        show.add_argument("--on", type=_date, help="Date (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            for classifier, result in classifiers_load().items():
                self.stdout.write(
                    f"{classifier}: нових {result.created}, змінених {result.updated}, "
                    f"без змін {result.unchanged}"
                )
            return
        items = classifier_items(options["classifier"], options["section"], options["on"])
        for item in items:
            mark = "" if item.confirmed else "  (не підтверджено)"
            self.stdout.write(f"{item.code}\t{item.label}{mark}")
