"""`hromada worker`: run background tasks from the database queue (django_tasks_db)."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run a background task worker for every queue (wraps django_tasks_db's db_worker). "
        "Run several on several machines: each task is taken by one worker only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            default="*",
            help="Comma-separated queues to work on; '*' (default) for all of them.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait before looking again when the queue is empty (1).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run every waiting task, then exit."
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Exit after this many tasks (a supervisor starts a fresh process).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A readable, unique id: the result rows say which machine and process ran a task.
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[-64:]
        call_command(
            "db_worker",
            queue_name=options["queues"],
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            reload=False,
            startup_delay=not options["batch"],
            worker_id=worker_id,
            verbosity=options["verbosity"],
        )
