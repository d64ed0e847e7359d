"""One staff queue page (`/staff/appeals/`) in-process: queries, plans, and where the time goes.

    DATABASE_URL=… .venv/bin/python bench/appeals_queue_profile.py --as head \
        --filter state=in_work [--explain] [--profile] [--n 20]

For the data of `bench/appeals_bench.py` (1M appeals; run that first and keep its cluster).
Logs in as the demo operator (`--as operator`) or as the busiest executor (`--as head`: the
user with the most control assignments, a head of several departments), GETs the queue with
the given filter N times through Django's test client after a warm-up and prints per page:
the queries with their SQL time, process CPU ms and wall ms (medians); with --explain the
EXPLAIN (ANALYZE, BUFFERS) of every query of one page; with --profile the top functions of
the measured pages by cumulative and own time (cProfile).
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
os.environ.setdefault("HROMADA_MFA_ENFORCED", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("HROMADA_DATA_DIR", tempfile.mkdtemp(prefix="hromada-queue-"))


def _user(who: str) -> Any:
    from django.db.models import Count

    from hromada.accounts.models import User
    from hromada.control.models import Assignment

    if who == "operator":
        return User.objects.get(email="operator@demo.hromada.local")
    if "@" in who:
        return User.objects.get(email=who)
    top = (
        Assignment.objects.values_list("executor_id").annotate(n=Count("id")).order_by("-n").first()
    )
    if top is None:
        sys.exit("appeals_queue_profile: no assignments (generate the data first)")
    return User.objects.get(pk=top[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--as",
        dest="who",
        default="operator",
        help="operator (the demo operator), head (the busiest executor) or a user's e-mail.",
    )
    parser.add_argument(
        "--filter", action="append", default=[], help="key=value of the queue's GET (repeat)."
    )
    parser.add_argument("--n", type=int, default=20, help="Pages measured (20).")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each query.")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured pages.")
    parser.add_argument("--sql", action="store_true", help="Print the SQL of one page.")
    parser.add_argument("--save", default="", help="With --profile: also write the stats here.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    params = dict(f.split("=", 1) for f in args.filter)
    user = _user(args.who)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for _ in range(3):
        first = client.get("/staff/appeals/", params)
        assert first.status_code == 200, first.status_code
    rows = len(first.context["rows"]) if first.context else -1
    walls, cpus, sqls = [], [], []
    profiler = cProfile.Profile() if args.profile else None
    queries: list[dict[str, Any]] = []
    for _ in range(args.n):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get("/staff/appeals/", params)
            if profiler:
                profiler.disable()
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu_started) * 1000)
        queries = captured.captured_queries
        sqls.append(sum(float(q["time"]) for q in queries) * 1000)
    load = os.getloadavg()
    print(
        f"{args.who} {params or '(no filter)'}: {rows} rows, {len(queries)} queries; "
        f"wall p50 {statistics.median(walls):.1f} ms, CPU p50 {statistics.median(cpus):.1f} ms, "
        f"SQL p50 {statistics.median(sqls):.1f} ms (load {load[0]:.2f} {load[1]:.2f})"
    )
    for q in queries:
        line = " ".join(q["sql"].split())
        print(f"  {float(q['time']) * 1000:7.2f} ms  {line if args.sql else line[:160]}")
    if args.explain:
        with connection.cursor() as cur:
            for q in queries:
                sql = q["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n" + " ".join(sql.split())[:300])
                for (plan_line,) in cur.fetchall():
                    print("    " + plan_line)
    if profiler and args.save:
        profiler.dump_stats(args.save)
    if profiler:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(35)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
