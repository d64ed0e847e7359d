"""Throughput of hromada's main pages, as a ratio to a trivial "ceiling" view.

Run by `make bench` inside a throwaway PostgreSQL cluster (scripts/with-postgres.sh sets
DATABASE_URL). Steps: migrate, load the demo city, collect static files, start gunicorn
(`hromada serve`, 2 sync workers, persistent database connections, HROMADA_BENCH_VIEWS=1),
log a staff member in through the real login form and second factor (Django's test client
against the same database), then load each page with wrk on loopback: 2 s warm-up, then a
bounded measurement. Prints one table and writes bench/results/<time>.json.

The ceiling (/bench/ceiling/) goes through the same middleware and returns a constant body:
what the server, WSGI and Django's request cycle cost before any page work. It is measured
before the first page and again after every page, and each page's ratio is to the mean of
the two ceiling measurements around it: on a shared machine the ceiling moves with the
load from minute to minute, and a page measured minutes after a single ceiling measurement
was compared with a machine that no longer existed (docs/BENCHMARKS.md). ``--ceiling-once``
measures it only first, as before.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "demo-hromada-2026"
BENCH_USER = "operator@demo.hromada.local"  # an operator: personal-data role, so TOTP is on

# (path, needs the staff session, text the page must contain, minimum ratio to the ceiling)
PAGES: list[tuple[str, bool, str, float | None]] = [
    ("/bench/ceiling/", False, "ok", None),
    # The ceiling for a signed-in staff member: what loading the session and the user costs
    # (every staff page pays it) before any page work.
    ("/bench/ceiling/?as=staff", True, "ok", None),
    ("/healthz", False, '"database": "ok"', 0.9),
    ("/", False, "<main", 0.5),
    # Portal pages for anonymous visitors (whole-page cache, docs/portal.md): the resource
    # centre's catalogue and the first demo object.
    ("/resources/", False, "<main", 0.5),
    ("/objects/1/", False, "<main", 0.5),
    # As a browser with JavaScript asks for it: the page, then each panel by itself.
    ("/staff/", True, "<main", 0.5),
    ("/staff/panels/my-work/", True, "", None),
    ("/staff/panels/notifications/", True, "", None),
    # Everything in one response, as a browser without JavaScript gets it.
    ("/staff/?panels=inline", True, "<main", None),
]


@dataclass
class Result:
    path: str
    requests_per_s: float
    ratio: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    target: float | None
    # The ceiling's requests/s this page is compared with (mean of the measurements around it).
    ceiling_rps: float = 0.0

    @property
    def ok(self) -> bool:
        return self.errors == 0 and (self.target is None or self.ratio >= self.target)


def server_cpu_seconds(connection: Any) -> float:
    """CPU seconds used so far by a Django connection's PostgreSQL backend (read from /proc:
    the server must run on this machine); 0 for other databases."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def hromada(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "hromada", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"hromada {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def staff_cookies(env: dict[str, str]) -> dict[str, str]:
    """Log the bench user in (password, then TOTP); return the cookies their browser holds.

    A browser that has signed in holds the session cookie, the CSRF cookie (the login form
    set it) and, with JavaScript, ``hromada_js``; every page request sends all three.
    Without the CSRF cookie each page that shows a form would mint a new CSRF secret and set
    it again, which no signed-in browser makes the server do.
    """
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.config.settings")
    import django

    django.setup()
    import pyotp
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from hromada.accounts.models import User

    user = User.objects.get(email=BENCH_USER)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    client = Client()
    response = client.post("/accounts/login/", {"login": BENCH_USER, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"login failed with status {response.status_code}")
    if "2fa/authenticate" in response["Location"]:
        if 30 - time.time() % 30 < 3:
            time.sleep(3.1)
        response = client.post(response["Location"], {"code": pyotp.TOTP(secret).now()})
    if client.get("/staff/").status_code != 200:
        raise SystemExit("the staff session does not open /staff/")
    return {
        "sessionid": str(client.cookies["sessionid"].value),
        "csrftoken": str(client.cookies["csrftoken"].value),
        "hromada_js": "1",
    }


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def fetch(url: str, cookie: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url)  # noqa: S310 - loopback only
    if cookie:
        request.add_header("Cookie", cookie)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, *, seconds: int, connections: Any, threads: Any, cookie: Any) -> dict[str, float]:
    argv = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return {
        "rps": rps,
        "requests": total,
        "p50": _ms(p50.group(1)) if p50 else float("nan"),
        "p99": _ms(p99.group(1)) if p99 else float("nan"),
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="Measurement per page (10).")
    parser.add_argument("--warmup", type=int, default=2, help="Warm-up per page (2).")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (4).")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2).")
    parser.add_argument(
        "--pages",
        default="",
        help="Only these paths, comma-separated (the ceiling is always measured first).",
    )
    parser.add_argument(
        "--ceiling-once",
        action="store_true",
        help="Measure the ceiling only before the first page (not again after each page).",
    )
    args = parser.parse_args()
    chosen = {p for p in args.pages.split(",") if p}
    pages = [page for page in PAGES if not chosen or page[0] in chosen or page is PAGES[0]]

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("run me through `make bench` (a throwaway PostgreSQL cluster)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")

    data_dir = Path(tempfile.mkdtemp(prefix="hromada-bench-"))
    port = int(os.environ.get("BENCH_PORT", "0")) or _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hromada.config.settings",
        "HROMADA_DATA_DIR": str(data_dir),
        "HROMADA_BENCH_VIEWS": "1",
        "DEBUG": "False",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "console",
        "WEB_CONCURRENCY": str(args.workers),
        # No worker recycling mid-measurement: a restart would stall one page's run.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    server: subprocess.Popen[bytes] | None = None
    try:
        log("migrating")
        hromada("migrate", "--noinput", "-v0", env=env)
        log("loading the demo city")
        hromada("demo", env=env)
        hromada("collectstatic", "--noinput", "-v0", env=env)
        log(f"logging in {BENCH_USER} (password + TOTP)")
        cookie = cookie_header(staff_cookies(env))

        log(f"starting gunicorn: {args.workers} sync workers on 127.0.0.1:{port}")
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "hromada",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--threads",
                "1",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")

        results: list[Result] = []
        load_before = os.getloadavg()

        def measure(path: str, session: str | None, marker: str) -> dict[str, float]:
            status, body = fetch(base + path, session)
            if status != 200 or marker not in body:
                raise SystemExit(f"{path} answered {status} without {marker!r}: not measuring it")
            c, t = args.connections, args.threads
            wrk(base + path, seconds=args.warmup, connections=c, threads=t, cookie=session)
            log(f"measuring {path} for {args.seconds} s")
            return wrk(base + path, seconds=args.seconds, connections=c, threads=t, cookie=session)

        ceiling_path, _login, ceiling_marker, _target = PAGES[0]
        ceilings = [measure(ceiling_path, None, ceiling_marker)]
        measured: list[tuple[tuple[str, bool, str, float | None], dict[str, float], float]] = []
        for page in pages:
            path, needs_login, marker, target = page
            if path == ceiling_path:
                continue
            m = measure(path, cookie if needs_login else None, marker)
            before = ceilings[-1]["rps"]
            if args.ceiling_once:
                reference = ceilings[0]["rps"]
            else:
                ceilings.append(measure(ceiling_path, None, ceiling_marker))
                reference = (before + ceilings[-1]["rps"]) / 2
            measured.append((page, m, reference))

        mean_ceiling = sum(c["rps"] for c in ceilings) / len(ceilings)
        first = ceilings[0]
        results.append(
            Result(
                path=ceiling_path,
                requests_per_s=round(mean_ceiling, 1),
                ratio=1.0,
                p50_ms=round(first["p50"], 2),
                p99_ms=round(max(c["p99"] for c in ceilings), 2),
                requests=int(sum(c["requests"] for c in ceilings)),
                errors=int(sum(c["errors"] for c in ceilings)),
                target=None,
                ceiling_rps=round(mean_ceiling, 1),
            )
        )
        for (path, _login, _marker, target), m, reference in measured:
            results.append(
                Result(
                    path=path,
                    requests_per_s=round(m["rps"], 1),
                    ratio=round(m["rps"] / reference, 3) if reference else 0.0,
                    p50_ms=round(m["p50"], 2),
                    p99_ms=round(m["p99"], 2),
                    requests=int(m["requests"]),
                    errors=int(m["errors"]),
                    target=target,
                    ceiling_rps=round(reference, 1),
                )
            )
        ceiling_runs = [round(c["rps"], 1) for c in ceilings]
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)

    load = {"before": load_before, "after": os.getloadavg()}
    print_table(results, args, load, ceiling_runs)
    save(results, args, load, ceiling_runs)
    return 0 if all(r.ok for r in results) else 1


def print_table(
    results: list[Result],
    args: argparse.Namespace,
    load: dict[str, tuple[float, ...]],
    ceiling_runs: list[float],
) -> None:
    print()
    print(
        f"gunicorn {args.workers} sync workers, PostgreSQL, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s (after {args.warmup} s warm-up), "
        f"{os.cpu_count()} cores, load average {load['before'][0]:.1f} before the "
        f"measurements, {load['after'][0]:.1f} after"
    )
    print()
    where = "first only" if args.ceiling_once else "first and after each page"
    print(f"ceiling requests/s, measured {where}: {', '.join(f'{c:.0f}' for c in ceiling_runs)}")
    print()
    print(
        f"| {'page':<28} | {'requests/s':>10} | {'ceiling':>8} | {'ratio':>6} | {'target':>6} | "
        f"{'p50 ms':>7} | {'p99 ms':>7} | {'errors':>6} |"
    )
    print(f"|{'-' * 30}|{'-' * 12}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 9}|{'-' * 9}|{'-' * 8}|")
    for r in results:
        target = f"≥{r.target}" if r.target is not None else "—"
        mark = "" if r.ok else " ✗"
        print(
            f"| {r.path:<28} | {r.requests_per_s:>10.1f} | {r.ceiling_rps:>8.1f} | "
            f"{r.ratio:>6.2f} | {target:>6} | {r.p50_ms:>7.2f} | {r.p99_ms:>7.2f} | "
            f"{r.errors:>6} |{mark}"
        )
    print()


def save(
    results: list[Result],
    args: argparse.Namespace,
    load: dict[str, tuple[float, ...]],
    ceiling_runs: list[float],
) -> None:
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "settings": vars(args),
                "cores": os.cpu_count(),
                "load_average": load,
                "ceiling_runs": ceiling_runs,
                "results": [asdict(r) for r in results],
            },
            indent=2,
        )
    )
    log(f"results written to {path.relative_to(ROOT)}")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    sys.exit(main())
