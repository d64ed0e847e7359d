"""Appeals intake through the full stack: the API's sustained appeals/s against a write ceiling.

    scripts/with-postgres.sh .venv/bin/python bench/appeals_intake.py

Steps (as bench/run.py does for pages): migrate, load the demo city, issue an API token to
the demo operator (`hromada token create`), start gunicorn (`hromada serve`, 2 sync workers,
persistent connections, HROMADA_BENCH_VIEWS=1), then with wrk and a Lua script:

1. the write ceiling: POST /bench/insert/ — JSON parsed, one row inserted in one transaction
   (core/bench_views.py): what the server, WSGI, middleware and one durable write cost;
2. the API: POST /api/v1/appeals/ with the token and an Idempotency-Key, each request a
   different caller (name, phone) so that none is a duplicate of another: the whole
   registration (card checks, classifier codes, repeated/duplicate lookup, gapless number,
   topics, events, audit, the notice queued after commit).

Each is measured after a warm-up; the ratio API / ceiling comes from the same run. Every
response must be 201 (wrk counts others as errors). Prints a table with the load average
(other work on the machine skews the figures) and writes bench/results/intake-<time>.json.
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
import textwrap
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
API_USER = "operator@demo.hromada.local"  # an operator over VK (the default body)

LUA = textwrap.dedent(
    """
    -- Each request: a new caller (name and phone), a new Idempotency-Key.
    local counter = 0
    local thread_id = 0
    local threads = {}

    function setup(thread)
      thread:set("tid", #threads + 1)
      table.insert(threads, thread)
    end

    function init(args)
      thread_id = tonumber(tid) or 1
      math.randomseed(os.time() + thread_id * 7919)
    end

    request = function()
      counter = counter + 1
      -- Unique across threads and across wrk runs (a run starts at another second), so
      -- that no request is a duplicate of an earlier, still open appeal.
      local run = os.time() %% 1000
      local stamp = string.format("%d-%d-%d", os.time(), thread_id, counter)
      local body = string.format(
        '{"surname": "Бенчмарк%s", "given_name": "Олена", "patronymic": "Петрівна",' ..
        ' "address": "вул. Свободи, %d", "phone": "+380%d%03d%05d", "channel": "api",' ..
        ' "text": "Прошу відновити освітлення у дворі будинку %d", "topics": ["109"],' ..
        ' "needs_study": false, "consent": true, "source_ref": "call-%s"}',
        stamp, counter %% 500, thread_id %% 10, run, counter %% 100000, counter %% 500, stamp)
      wrk.headers["Idempotency-Key"] = "bench-" .. stamp .. "-" .. math.random(1, 1000000000)
      return wrk.format("POST", nil, nil, body)
    end
    """
).replace("%%", "%")


def log(message: str) -> None:
    load = os.getloadavg()[0]
    print(f"intake: {message} (load average {load:.1f})", file=sys.stderr, flush=True)


def hromada(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "hromada", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"hromada {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def post_once(url: str, token: str | None, payload: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def wrk(
    url: str, *, script: Path, token: str | None, seconds: int, connections: int, threads: int
) -> dict[str, float]:
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    argv += ["--timeout", "10s", "-s", str(script), "-H", "Content-Type: application/json"]
    if token:
        argv += ["-H", f"Authorization: Token {token}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if sockets:
        errors += sum(int(g) for g in sockets.groups())
    return {
        "rps": rps,
        "requests": total,
        "p50_ms": _ms(p50.group(1)) if p50 else float("nan"),
        "p99_ms": _ms(p99.group(1)) if p99 else float("nan"),
        "errors": errors,
    }


def count_appeals(env: dict[str, str]) -> int:
    out = hromada(
        "shell",
        "-c",
        "from hromada.appeals.models import Appeal; print(Appeal.objects.filter(channel='api',"
        " source_ref__startswith='call-').count())",
        env=env,
    )
    return int(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="Measurement per target (20).")
    parser.add_argument("--warmup", type=int, default=3, help="Warm-up per target (3).")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2).")
    parser.add_argument("--rounds", type=int, default=1, help="Ceiling/API pairs to run (1).")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("run me inside scripts/with-postgres.sh (a throwaway PostgreSQL)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")

    data_dir = Path(tempfile.mkdtemp(prefix="hromada-intake-"))
    script = data_dir / "appeal.lua"
    script.write_text(LUA)
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
        "GUNICORN_MAX_REQUESTS": "0",
        # The citizen's notice is queued after commit (a task row), as in production;
        # no worker runs during the benchmark, so it measures intake, not e-mail.
    }
    server: subprocess.Popen[bytes] | None = None
    rounds: list[dict[str, Any]] = []
    try:
        log("migrating")
        hromada("migrate", "--noinput", "-v0", env=env)
        log("loading the demo city")
        hromada("demo", env=env)
        hromada("collectstatic", "--noinput", "-v0", env=env)
        token = hromada("token", "create", "--user", API_USER, env=env).strip().splitlines()[-1]

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
        sample = {
            # A caller of its own per run: a rerun on the same database is no duplicate.
            "surname": f"Перевірка{int(time.time())}",
            "given_name": "Олена",
            "address": "вул. Свободи, 1",
            "phone": f"+38067{int(time.time()) % 10_000_000:07d}",
            "channel": "api",
            "text": "Перевірочне звернення",
            "topics": ["109"],
        }
        status, body = post_once(base + "/api/v1/appeals/", token, sample)
        if status != 201:
            raise SystemExit(f"/api/v1/appeals/ answered {status}: {body[:500]}")
        status, body = post_once(base + "/bench/insert/", None, {"text": "x"})
        if status != 201:
            raise SystemExit(f"/bench/insert/ answered {status}: {body[:200]}")

        before = count_appeals(env)
        targets = [("/bench/insert/", None), ("/api/v1/appeals/", token)]
        for n in range(args.rounds):
            measured: dict[str, Any] = {}
            for path, auth in targets:
                common: dict[str, Any] = {
                    "script": script,
                    "token": auth,
                    "connections": args.connections,
                    "threads": args.threads,
                }
                wrk(base + path, seconds=args.warmup, **common)
                load = os.getloadavg()[0]
                log(f"round {n + 1}: measuring {path} for {args.seconds} s")
                m: dict[str, Any] = wrk(base + path, seconds=args.seconds, **common)
                m["load_average"] = [round(load, 1), round(os.getloadavg()[0], 1)]
                measured[path] = m
            ceiling = measured["/bench/insert/"]["rps"]
            api = measured["/api/v1/appeals/"]["rps"]
            measured["ratio"] = round(api / ceiling, 3) if ceiling else 0.0
            rounds.append(measured)
        registered = count_appeals(env) - before
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)

    result = {
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "settings": vars(args),
        "rounds": rounds,
        "appeals_registered_by_wrk": registered,
    }
    print_table(result)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"intake-{stamp}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    errors = sum(r[p]["errors"] for r in rounds for p in ("/bench/insert/", "/api/v1/appeals/"))
    return 0 if errors == 0 else 1


def print_table(result: dict[str, Any]) -> None:
    s = result["settings"]
    print()
    print(
        f"gunicorn {s['workers']} sync workers, PostgreSQL, wrk -t{s['threads']} "
        f"-c{s['connections']} -d{s['seconds']}s, {result['cores']} cores"
    )
    print()
    print("| round | target | requests/s | p50 ms | p99 ms | errors | load avg | ratio |")
    print("|---|---|---:|---:|---:|---:|---|---:|")
    for i, r in enumerate(result["rounds"], 1):
        for path in ("/bench/insert/", "/api/v1/appeals/"):
            m = r[path]
            ratio = f"{r['ratio']:.2f}" if path.startswith("/api") else "1.00"
            load = "→".join(str(x) for x in m["load_average"])
            print(
                f"| {i} | {path} | {m['rps']:.1f} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | "
                f"{m['errors']} | {load} | {ratio} |"
            )
    print()
    print(f"appeals registered during the measurements: {result['appeals_registered_by_wrk']}")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    sys.exit(main())
