"""/healthz: liveness and readiness for load balancers and monitoring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def noop() -> None:
    """Do nothing (a task that waits in the queue for these tests)."""


@pytest.mark.django_db
def test_healthz_reports_database_ok_and_no_lag_on_an_empty_queue(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["task_lag_seconds"] == 0


@pytest.mark.django_db
def test_healthz_reports_how_long_the_oldest_waiting_task_has_waited(client: Client) -> None:
    noop.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))

    body = client.get("/healthz").json()

    assert 300 <= body["task_lag_seconds"] < 360


@pytest.mark.django_db
def test_healthz_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_get_only(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    # A fresh process whose database cannot be opened: the view must say so, not crash.
    script = (
        "import json; from django.test import Client; "
        "r = Client().get('/healthz'); print('HEALTHZ', json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "HROMADA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/db.sqlite3",
        "CACHE_URL": "locmemcache://",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "hromada", "shell", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    line = next((x for x in result.stdout.splitlines() if x.startswith("HEALTHZ ")), None)
    assert line is not None, result.stdout + result.stderr
    status, body = json.loads(line.removeprefix("HEALTHZ "))
    assert status == 503
    assert body["database"] == "error"
    assert body["status"] == "error"
