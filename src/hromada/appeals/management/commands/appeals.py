"""`hromada appeals`: the mayor's mailbox intake and the appeals demo data.

hromada appeals mailbox            queue one poll of the mailbox for the task worker
hromada appeals mailbox --now      poll it in this process
hromada appeals mailbox --every    keep a poll queued every HROMADA_APPEALS_IMAP_POLL_MINUTES
"""

from __future__ import annotations

import imaplib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hromada.appeals import mailbox


class Command(BaseCommand):
    help = "Citizens' appeals: take in the mayor's mailbox (IMAP) now, or keep a poll queued."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{mailbox}")
        box = sub.add_parser("mailbox", help="Take new messages in as draft appeals.")
        box.add_argument("--now", action="store_true", help="Poll in this process.")
        box.add_argument(
            "--every",
            action="store_true",
            help="Keep a poll queued every HROMADA_APPEALS_IMAP_POLL_MINUTES; run once.",
        )
        box.add_argument("--limit", type=int, default=None, help="At most this many messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "mailbox":
            self.mailbox(options)

    def mailbox(self, options: dict[str, Any]) -> None:
        if mailbox.MailboxConfig.from_settings() is None:
            raise CommandError("The mailbox is not configured: set HROMADA_APPEALS_IMAP_HOST.")
        if options["every"]:
            queued = mailbox.schedule_mailbox_poll()
            self.stdout.write("Mailbox poll queued." if queued else "A poll is already queued.")
        elif options["now"]:
            try:
                result = mailbox.mailbox_poll(limit=options["limit"])
            except (imaplib.IMAP4.error, OSError) as exc:
                raise CommandError(f"Mailbox: {exc}") from exc
            self.stdout.write(
                f"Fetched {result.fetched} messages: {result.drafted} drafts, "
                f"{result.failed} failed, {result.skipped} skipped."
            )
        else:
            mailbox.poll_mailbox.enqueue()
            self.stdout.write("Mailbox poll queued for the task worker.")
