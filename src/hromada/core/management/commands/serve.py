"""`hromada serve`: run the web server (gunicorn) and, optionally, a task worker beside it."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# SQLite takes one writer at a time: one process with a few threads serves a small
# city well, and several processes would only queue on the write lock.
SQLITE_WORKERS = 1
SQLITE_THREADS = 4


def default_workers() -> int:
    """Return the number of gunicorn processes: WEB_CONCURRENCY, else by database and cores."""
    env = os.environ.get("WEB_CONCURRENCY", "").strip()
    if env:
        return int(env)
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return SQLITE_WORKERS
    return 2 * (os.cpu_count() or 1) + 1


def default_threads() -> int:
    """Return threads per gunicorn process (1 means plain sync workers)."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return SQLITE_THREADS
    return 1


def gunicorn_argv(
    *, host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool
) -> list[str]:
    """Return the command line that starts gunicorn with hromada's WSGI application."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "hromada.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "20",
        # Recycle processes now and then so that a slow leak never becomes an outage.
    ]
    max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
    if max_requests > 0:
        argv += ["--max-requests", str(max_requests), "--max-requests-jitter", "500"]
    if access_log:
        argv += ["--access-logfile", "-"]
    if _gunicorn_has_setting("control_socket_disable"):
        # gunicorn >= 24 opens a control socket in ~/.gunicorn by default; hromada needs none,
        # and two servers on one machine would fight over it.
        argv.append("--no-control-socket")
    return argv


def _gunicorn_has_setting(name: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == name for setting in KNOWN_SETTINGS)


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this child when `hromada serve` dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def spawn(argv: list[str]) -> subprocess.Popen[bytes]:
    """Start a child in its own process group: a terminal's Ctrl-C reaches only this
    supervisor, which then stops every child once, gracefully and in order."""
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(argv, start_new_session=True, preexec_fn=preexec)  # noqa: S603


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    """Return True once something accepts connections on host:port, False after timeout."""
    probe = "127.0.0.1" if host in ("0.0.0.0", "") else host.strip("[]")  # noqa: S104
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((probe, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Command(BaseCommand):
    help = "Run the web server (gunicorn); with --with-worker also a background task worker."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT", "8000")),
            help="Port to listen on (PORT, else 8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Web server processes (WEB_CONCURRENCY; else 1 on SQLite, 2×cores+1 otherwise).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Threads per process (4 on SQLite, 1 = sync workers otherwise).",
        )
        parser.add_argument("--timeout", type=int, default=30, help="Request timeout, seconds.")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `hromada worker` as a child process, stopped together with the server.",
        )
        parser.add_argument(
            "--access-log", action="store_true", help="Log every request to standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or default_workers()
        threads = options["threads"] or default_threads()
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        host: str = options["host"]
        port: int = options["port"]

        children: list[tuple[str, subprocess.Popen[bytes]]] = []
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True
            for _name, proc in children:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        argv = gunicorn_argv(
            host=host,
            port=port,
            workers=workers,
            threads=threads,
            timeout=options["timeout"],
            access_log=options["access_log"],
        )
        children.append(("web server", spawn(argv)))
        if options["with_worker"]:
            children.append(("task worker", spawn([sys.executable, "-m", "hromada", "worker"])))

        if wait_for_port(host, port, timeout=60) and not stopping:
            shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
            extra = " and the task worker" if options["with_worker"] else ""
            self.stdout.write(
                "\n"
                f"  hromada is running at  http://{shown}:{port}/\n"
                f"  ({workers} process(es) × {threads} thread(s){extra}; Ctrl-C stops everything)\n"
            )
            self.stdout.flush()

        status = self._supervise(children, lambda: stopping)
        if status and not stopping:
            raise CommandError(f"stopped: a child process exited with status {status}")

    def _supervise(
        self, children: list[tuple[str, subprocess.Popen[bytes]]], stopping: Callable[[], bool]
    ) -> int:
        """Wait until a child exits or a stop is asked for; stop the rest; return a status."""
        status = 0
        while not stopping():
            exited = [(name, proc) for name, proc in children if proc.poll() is not None]
            if exited:
                name, proc = exited[0]
                status = proc.returncode or 0
                self.stderr.write(f"hromada: the {name} exited (status {status}); stopping.")
                break
            time.sleep(0.5)
        for _name, proc in children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _name, proc in children:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return status
