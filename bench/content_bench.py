"""Benchmark of the portal's editorial content: demo load time, page throughput, search.

    .venv/bin/python bench/content_bench.py                             # SQLite (temp dir)
    scripts/with-postgres.sh .venv/bin/python bench/content_bench.py    # PostgreSQL

Migrates, loads the demo city and the demo website (20 sections, 5,400 materials; the
load time is reported) unless there, then in this process, through Django's full request
cycle (middleware included, test client, no network) loads the home, the sections index,
a section, a filtered section page, a material page and a section's RSS feed --repeat
times each as an anonymous visitor and reports their throughput as a ratio to the ceiling
view (budget ≥ 0.5 for pages) and the page cache's hit ratio (X-Portal-Cache); then runs
--queries material searches (words in other grammatical cases) with the portal stamp
renewed before each (no cached page) and reports p50/p95. Results go to
bench/results/content-<db>.json.
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

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = ["будинку", "покрівлі", "петицією", "засіданні виконкому", "закупівлі ліків", "ЦНАП"]
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


def ensure_data() -> dict[str, Any]:
    from django.core.management import call_command

    from hromada.accounts.demo import load_demo
    from hromada.accounts.models import OrgUnit
    from hromada.content.demo import load_demo_content
    from hromada.content.models import MaterialPage

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not OrgUnit.objects.filter(code="VK").exists():
        load_demo()
    started = time.monotonic()
    message = load_demo_content()
    return {
        "materials": MaterialPage.objects.live().count(),
        "load_seconds": round(time.monotonic() - started, 1) if message else None,
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


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--queries", type=int, default=120)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from hromada.content.models import MaterialPage, SectionPage
    from hromada.portal.cache import portal_changed

    data = ensure_data()
    client = Client()
    section = SectionPage.objects.get(slug="podii")
    material = MaterialPage.objects.live().order_by("-date", "-pk").first()
    assert material is not None
    pages: dict[str, float | None] = {
        "/bench/ceiling/": None,
        "/": 0.5,
        "/sections/": 0.5,
        section.url: 0.5,
        f"{section.url}?kind=news&page=3": 0.5,
        material.url: 0.5,
        f"{section.url}rss/": None,
    }
    results: dict[str, float] = {}
    for url in pages:
        for _ in range(5):
            timed(client, url)
        elapsed = sum(timed(client, url) for _ in range(args.repeat))
        results[url] = args.repeat / elapsed
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
    # Uncached: what the first visitor after a publication waits for.
    uncached: dict[str, dict[str, float]] = {}
    for url in ["/", section.url, material.url]:
        times = []
        for _ in range(30):
            portal_changed()
            times.append(timed(client, url))
        uncached[url] = percentiles(times)
    search = []
    timed(client, "/search/?q=будинок")
    for i in range(args.queries):
        portal_changed()
        search.append(timed(client, f"/search/?q={SEARCHES[i % len(SEARCHES)]}&type=materials"))
    served = CACHE_COUNTS["hit"] + CACHE_COUNTS["miss"]
    report = {
        "database": connection.vendor,
        "data": data,
        "pages": rows,
        "uncached": uncached,
        "search_materials": percentiles(search),
        "page_cache": {
            **CACHE_COUNTS,
            "hit_ratio": round(CACHE_COUNTS["hit"] / served, 3) if served else None,
        },
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"content-{connection.vendor}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
