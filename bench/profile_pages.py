"""Profile pages in-process: queries per request and where the Python time goes.

    scripts/with-postgres.sh .venv/bin/python bench/profile_pages.py / /staff/ /healthz

Migrates the throwaway database, loads the demo city, logs the bench user in (as
bench/run.py does) and requests each page N times through Django's test client under
cProfile ("anon:/path": without the session); prints the mean time, the CPU time per
request of this process and of its PostgreSQL backend (read from /proc: the database must
run on this machine), the queries of one request and the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    env = {
        "DJANGO_SETTINGS_MODULE": "hromada.config.settings",
        "HROMADA_DATA_DIR": tempfile.mkdtemp(prefix="hromada-profile-"),
        "HROMADA_BENCH_VIEWS": "1",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    os.environ.update(env)
    from run import hromada, server_cpu_seconds, staff_cookies  # the bench's own login

    hromada("migrate", "--noinput", "-v0", env=dict(os.environ))
    hromada("demo", env=dict(os.environ))
    cookies = staff_cookies(dict(os.environ))

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for spec in args.paths:
        # "anon:/path" requests the page without the staff session.
        anonymous = spec.startswith("anon:")
        path = spec.removeprefix("anon:")
        client = Client()
        if not anonymous:
            for name, value in cookies.items():  # as a signed-in browser with JavaScript
                client.cookies[name] = value
        for _ in range(5):
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        who = "anonymous" if anonymous else "staff session"
        print(f"\n=== {path} ({who}): status {status}, {len(queries)} queries")
        for q in queries.captured_queries:
            print(f"  {q['time']}s  {q['sql'][:160]}")
        server_before = server_cpu_seconds(connection)
        cpu_start = time.process_time()
        start = time.perf_counter()
        for _ in range(args.n):
            client.get(path)
        plain = (time.perf_counter() - start) / args.n * 1000
        cpu = (time.process_time() - cpu_start) / args.n * 1000
        server = (server_cpu_seconds(connection) - server_before) / args.n * 1000
        print(
            f"  mean {plain:.2f} ms per request (in-process, not profiled); CPU: "
            f"{cpu:.3f} ms this process + {server:.3f} ms its PostgreSQL backend = "
            f"{cpu + server:.3f} ms"
        )
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for _ in range(args.n):
            client.get(path)
        profiler.disable()
        elapsed = time.perf_counter() - start
        print(f"  mean {elapsed / args.n * 1000:.2f} ms per request (in-process, profiled)")
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
        pstats.Stats(profiler).sort_stats(order).print_stats(args.top)


if __name__ == "__main__":
    main()
