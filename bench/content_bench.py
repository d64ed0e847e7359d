"""Benchmark of the portal's editorial content: demo load time, page throughput, search.

    .venv/bin/python bench/content_bench.py                                        # SQLite
    scripts/with-postgres.sh .venv/bin/python bench/content_bench.py               # PostgreSQL
    scripts/with-postgres.sh .venv/bin/python bench/content_bench.py --scale 10    # 54,000
    scripts/with-postgres.sh .venv/bin/python bench/content_bench.py --explain     # + plans

Migrates, loads the demo city and the demo website (20 sections, 5,400 materials × --scale;
the load time is reported) unless there, runs ANALYZE on PostgreSQL (what autovacuum does
after a bulk load), then in this process, through Django's full request cycle (middleware
included, test client, no network):

- loads the home, the sections index, a section, a filtered section page, a material page
  and a section's RSS feed --repeat times each (in 10 interleaved rounds) as an anonymous
  visitor and reports their throughput as a ratio to the ceiling view (budget ≥ 0.5 for
  pages) and the page cache's hit ratio (X-Portal-Cache);
- the uncached time (portal stamp renewed before each request: the first visitor after a
  publication) and SQL query count of the home, sections index, section, filtered section
  and material pages;
- --queries material searches (words in other grammatical cases, a typo, hostile input)
  with the portal stamp renewed before each (no cached page; ``portal_changed`` also renews
  this process's memo of the stamp): p50/p95 of the whole request
  (`/search/?type=materials`, server time; budget p95 ≤ 50 ms) and of the search provider
  alone (the materials query and its rendering);
- with --search-only, only the searches (a quicker run when the machine is busy);
- with --explain, EXPLAIN ANALYZE (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite) of the
  provider's queries for each search.

Results go to bench/results/content-<db>-x<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "будинку",
    "покрівлі",
    "петицією",
    "засіданні виконкому",
    "закупівлі ліків",
    "ЦНАП",
    "бюджету",
    "ремонтт",  # a typo
    "'\"; drop table materials -- OR 1=1 & | !",
]
CACHE_COUNTS: dict[str, int] = {"hit": 0, "miss": 0}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("HROMADA_BENCH_VIEWS", "1")
    os.environ.setdefault(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    if "DATABASE_URL" not in os.environ and "HROMADA_DATA_DIR" not in os.environ:
        os.environ["HROMADA_DATA_DIR"] = tempfile.mkdtemp(prefix="hromada-content-bench-")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def ensure_data(scale: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from hromada.accounts.demo import load_demo
    from hromada.accounts.models import OrgUnit
    from hromada.content.demo import DEMO_MATERIALS, load_demo_content
    from hromada.content.models import MaterialPage

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not OrgUnit.objects.filter(code="VK").exists():
        load_demo()
    started = time.monotonic()
    message = load_demo_content(materials=DEMO_MATERIALS * scale)
    loaded = round(time.monotonic() - started, 1) if message else None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "materials": MaterialPage.objects.live().count(),
        "load_seconds": loaded,
        "loader": message,
    }


def timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    state = response.headers.get("X-Portal-Cache")
    if state in CACHE_COUNTS:
        CACHE_COUNTS[state] += 1
    return elapsed


def percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 1),
    }


def explain(queries: list[str]) -> dict[str, list[str]]:
    """Return the plans of the search provider's queries for each search."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hromada.content.selectors import materials_search

    plans: dict[str, list[str]] = {}
    for q in queries:
        with CaptureQueriesContext(connection) as ctx:
            materials_search(q, limit=20)
        lines: list[str] = []
        for captured in ctx.captured_queries:
            sql = captured["sql"]
            lines.append(f"-- {sql}")
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                lines.extend(" | ".join(str(c) for c in row) for row in cursor.fetchall())
        plans[q] = lines
    return plans


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--scale", type=int, default=1, help="materials = 5,400 × scale")
    parser.add_argument("--explain", action="store_true", help="print the search plans")
    parser.add_argument("--search-only", action="store_true", help="skip the page figures")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from hromada.content.models import MaterialPage, SectionPage
    from hromada.content.search import search_materials
    from hromada.portal.cache import portal_changed

    data = ensure_data(args.scale)
    client = Client()
    section = SectionPage.objects.get(slug="podii")
    material = MaterialPage.objects.live().order_by("-date", "-pk").first()
    assert material is not None
    filtered = f"{section.url}?kind=news&page=3"
    pages: dict[str, float | None] = {
        "/bench/ceiling/": None,
        "/": 0.5,
        "/sections/": 0.5,
        section.url: 0.5,
        filtered: 0.5,
        material.url: 0.5,
        f"{section.url}rss/": None,
    }
    if args.search_only:
        pages = {}
    results: dict[str, float] = {"/bench/ceiling/": 1.0}
    for url in pages:
        for _ in range(5):
            timed(client, url)
    # Interleaved rounds, so that a busy moment of a shared machine falls on every page
    # (the ceiling included) rather than on one.
    rounds = 10
    spent = dict.fromkeys(pages, 0.0)
    for _ in range(rounds):
        for url in pages:
            spent[url] += sum(timed(client, url) for _ in range(max(1, args.repeat // rounds)))
    for url in pages:
        results[url] = max(1, args.repeat // rounds) * rounds / spent[url]
    ceiling = results["/bench/ceiling/"]
    rows = []
    for url, budget in pages.items():
        ratio = results[url] / ceiling
        rows.append(
            {
                "path": url,
                "requests_per_s": round(results[url], 1),
                "ratio": round(ratio, 3),
                "budget": budget,
                "ok": budget is None or ratio >= budget,
            }
        )
    served = CACHE_COUNTS["hit"] + CACHE_COUNTS["miss"]
    hit_ratio = round(CACHE_COUNTS["hit"] / served, 3) if served else None
    page_cache = {**CACHE_COUNTS, "hit_ratio": hit_ratio}
    # Uncached: what the first visitor after a publication waits for, and its queries.
    uncached: dict[str, dict[str, float]] = {}
    for url in [] if args.search_only else ["/", "/sections/", section.url, filtered, material.url]:
        times = []
        for _ in range(30):
            portal_changed()
            times.append(timed(client, url))
        portal_changed()
        with CaptureQueriesContext(connection) as ctx:
            timed(client, url)
        uncached[url] = {**percentiles(times), "queries": len(ctx.captured_queries)}
    search: list[float] = []
    provider: list[float] = []
    totals: dict[str, int] = {}
    timed(client, "/search/?q=будинок")
    for i in range(args.queries):
        q = SEARCHES[i % len(SEARCHES)]
        portal_changed()
        search.append(timed(client, f"/search/?q={quote(q)}&type=materials"))
        started = time.perf_counter()
        hits = search_materials(RequestFactory().get("/search/"), q, 20)
        provider.append(time.perf_counter() - started)
        totals[q] = hits.total
    long_query = "будинку " * 1300  # ≈ 10 KB
    portal_changed()
    timed(client, f"/search/?q={quote(long_query)}&type=materials")
    report: dict[str, Any] = {
        "database": connection.vendor,
        "scale": args.scale,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": os.getloadavg(),
        "data": data,
        "pages": rows,
        "page_cache": page_cache,
        "uncached": uncached,
        "search_materials_request": percentiles(search),
        "search_materials_provider": percentiles(provider),
        "search_totals": totals,
    }
    if args.explain:
        report["plans"] = explain(SEARCHES)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"content-{connection.vendor}-x{args.scale}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
