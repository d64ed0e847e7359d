"""Browser benchmark of the portal: the map with every object, and the kiosk's start screen.

    .venv/bin/python bench/portal_browser_bench.py                           # SQLite (temp dir)
    scripts/with-postgres.sh .venv/bin/python bench/portal_browser_bench.py  # PostgreSQL
    .venv/bin/python bench/portal_browser_bench.py --scale 10 --runs 5

Loads the demo resource centre (17,000 objects ×--scale) unless there, serves the site from a
threaded server in this process (Django's live-server thread, a random free port) and opens
it in Debian's headless Chromium through Playwright (HROMADA_CHROMIUM, default
/usr/bin/chromium). For each of --runs fresh browser contexts (no HTTP cache, the server's
cache warm as on a visited site):

- map first render: from navigation start of /map/ until the map element says every point is
  placed (``[data-portal-map][data-ready]``, set by the page's script after the last chunk of
  markers is clustered); budget 1.5 s;
- kiosk start ready: ``loadEventEnd`` of /kiosk/ at 1080×1920 with touch (the browser's own
  navigation timing, from the request to the end of the load event); budget 1 s.

Prints min / median / max and writes bench/results/portal-browser-<db>-x<scale>.json.
Not a test: figures go to docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import portal_bench  # noqa: E402

CHROMIUM = os.environ.get("HROMADA_CHROMIUM", "/usr/bin/chromium")


def summary(values: list[float]) -> dict[str, float]:
    return {
        "min_s": round(min(values), 3),
        "median_s": round(statistics.median(values), 3),
        "max_s": round(max(values), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    portal_bench.setup_django()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connection
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    data = portal_bench.ensure_data(args.scale)
    connection.close()  # the server thread opens its own connection
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={}, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    map_times: list[float] = []
    points: list[int] = []
    kiosk_times: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        warm = browser.new_page(base_url=base)
        for url in ("/map/", "/map/points.json", "/kiosk/"):  # a visited site's server
            warm.goto(url)
        warm.close()
        for _ in range(args.runs):
            context = browser.new_context(
                base_url=base, locale="uk-UA", viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto("/map/", wait_until="commit")
            page.wait_for_selector("[data-portal-map][data-ready]")
            # Navigation start to now, measured by the browser's clock.
            map_times.append(page.evaluate("performance.now()") / 1000)
            points.append(int(page.get_attribute("[data-portal-map]", "data-ready") or 0))
            context.close()
            kiosk = browser.new_context(
                base_url=base,
                locale="uk-UA",
                viewport={"width": 1080, "height": 1920},
                has_touch=True,
            )
            tab = kiosk.new_page()
            tab.goto("/kiosk/", wait_until="load")
            kiosk_times.append(
                tab.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
            )
            kiosk.close()
        browser.close()
    server.terminate()
    report: dict[str, Any] = {
        "database": connection.vendor,
        "scale": args.scale,
        "data": data,
        "runs": args.runs,
        "map_first_render": {**summary(map_times), "points": points[-1], "budget_s": 1.5},
        "kiosk_start_ready": {**summary(kiosk_times), "budget_s": 1.0},
        "load_average": os.getloadavg(),
        "at": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"portal-browser-{connection.vendor}-x{args.scale}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
