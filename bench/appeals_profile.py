"""One API registration in-process: queries, Python CPU and where the time goes (cProfile).

    scripts/with-postgres.sh .venv/bin/python bench/appeals_profile.py --n 200 [--profile]

Migrates, loads the demo city (unless it is there), issues the demo operator an API token,
then POSTs N appeals to /api/v1/appeals/ through Django's test client (the whole stack but
the network and WSGI server: middleware, token authentication, DRF, the service, the
response), each a different caller with a fresh Idempotency-Key, as bench/appeals_intake.py
does. Prints per registration: queries (and the SQL of one, with --sql), process CPU ms and
wall ms (medians after a warm-up), and with --profile the top functions by cumulative and
own time (wall time; --cpu-profile: process CPU time, so waits for the server drop out).
PostgreSQL or SQLite (whatever DATABASE_URL says).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
os.environ.setdefault("HROMADA_MFA_ENFORCED", "false")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("HROMADA_DATA_DIR", tempfile.mkdtemp(prefix="hromada-profile-"))

API_USER = "operator@demo.hromada.local"


def payload(i: int, run: int) -> dict[str, Any]:
    return {
        "surname": f"Профіль{run}-{i}",
        "given_name": "Олена",
        "patronymic": "Петрівна",
        "address": f"вул. Свободи, {i % 500}",
        "phone": f"+38067{run % 1000:03d}{i:04d}",
        "channel": "api",
        "text": f"Прошу відновити освітлення у дворі будинку {i % 500}",
        "topics": ["109"],
        "needs_study": False,
        "consent": True,
        "source_ref": f"call-{run}-{i}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="Registrations measured (200).")
    parser.add_argument("--warmup", type=int, default=20, help="Registrations first (20).")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured ones.")
    parser.add_argument(
        "--cpu-profile",
        action="store_true",
        help="Profile by process CPU time instead of wall time (waits for the server drop out).",
    )
    parser.add_argument("--sql", action="store_true", help="Print the SQL of one registration.")
    parser.add_argument("--top", type=int, default=45, help="Profile lines to print (45).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from hromada.accounts.models import OrgUnit, User

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(code="VK").exists():
        from hromada.accounts.demo import load_demo

        load_demo()
    user = User.objects.get(email=API_USER)
    token, _ = Token.objects.get_or_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    run = int(time.time())
    counter = [0]

    def post() -> None:
        counter[0] += 1
        response = client.post(
            "/api/v1/appeals/",
            payload(counter[0], run),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"profile-{run}-{counter[0]}",
        )
        if response.status_code != 201:
            raise SystemExit(f"{response.status_code}: {response.content[:500]!r}")

    for _ in range(args.warmup):
        post()
    with CaptureQueriesContext(connection) as queries:
        post()
    query_count = len(queries.captured_queries)
    if args.sql:
        for q in queries.captured_queries:
            print(f"{q['time']}  {q['sql'][:300]}")
        print()

    cpu: list[float] = []
    wall: list[float] = []
    profiler: cProfile.Profile | None = None
    if args.cpu_profile:
        profiler = cProfile.Profile(time.process_time)
    elif args.profile:
        profiler = cProfile.Profile()
    from run import server_cpu_seconds

    server_before = server_cpu_seconds(connection)
    for _ in range(args.n):
        c0, w0 = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        post()
        if profiler is not None:
            profiler.disable()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    server = (server_cpu_seconds(connection) - server_before) / args.n * 1000
    print(
        f"{connection.vendor}: {query_count} queries per registration; "
        f"CPU ms median {statistics.median(cpu):.2f} (mean {statistics.fmean(cpu):.2f}), "
        f"database backend CPU ms mean {server:.2f}, "
        f"wall ms median {statistics.median(wall):.2f} over {args.n}; "
        f"load average {os.getloadavg()[0]:.1f}" + (" (under cProfile)" if profiler else "")
    )
    if profiler is not None:
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
