"""`hromada serve` and `hromada worker`, run as real processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django_tasks import task

ROOT = Path(__file__).resolve().parent.parent


@task()
def record_run(path: str) -> None:
    """Write a file: proof that a worker ran this task."""
    Path(path).write_text("ran")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HROMADA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "console",
    }


def _hromada(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "hromada", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return int(response.status)
    except OSError:
        return None


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = _env(tmp_path_factory.mktemp("site"))
    _hromada("migrate", "--noinput", "-v0", env=env)
    return env


def test_serve_runs_gunicorn_and_the_worker_and_stops_both_on_sigterm(
    migrated: dict[str, str],
) -> None:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "hromada", "serve", "--port", str(port), "--with-worker"],
        env=migrated,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _get(f"http://127.0.0.1:{port}/healthz") != 200:
            assert server.poll() is None, "hromada serve exited early"
            assert time.monotonic() < deadline, "no answer on /healthz within 60 s"
            time.sleep(0.3)
        children = psutil.Process(server.pid).children(recursive=True)
        commands = [" ".join(c.cmdline()) for c in children]
        assert any("gunicorn" in c for c in commands)
        assert any("hromada worker" in c for c in commands)

        server.send_signal(signal.SIGTERM)
        status = server.wait(timeout=40)
    finally:
        if server.poll() is None:
            server.kill()
    output = server.stdout.read().decode() if server.stdout else ""

    assert status == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"left running: {alive}"


def test_worker_batch_runs_the_waiting_tasks_and_exits(
    migrated: dict[str, str], tmp_path: Path
) -> None:
    marker = tmp_path / "ran.txt"
    _hromada(
        "shell",
        "-c",
        f"from tests.test_ops_serve import record_run; record_run.enqueue(path={str(marker)!r})",
        env=migrated,
    )
    assert not marker.exists()

    _hromada("worker", "--batch", env=migrated)

    assert marker.read_text() == "ran"
