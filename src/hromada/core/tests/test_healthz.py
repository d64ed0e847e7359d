"""/healthz answers from a per-process memo of at most HROMADA_HEALTHZ_CACHE_SECONDS."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


@task()
def waiting() -> None:
    """A task that waits in the queue for these tests."""


def _age_the_queue() -> None:
    waiting.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))


def test_within_the_memo_window_the_answer_comes_from_the_last_probe(client: Client, settings):
    settings.HROMADA_HEALTHZ_CACHE_SECONDS = 60
    first = client.get("/healthz").json()
    _age_the_queue()

    second = client.get("/healthz").json()

    assert second == first
    assert second["task_lag_seconds"] == 0
    assert {"status", "database", "task_lag_seconds", "checked_at"} <= second.keys()


def test_after_the_memo_window_the_database_is_probed_again(client: Client, settings):
    settings.HROMADA_HEALTHZ_CACHE_SECONDS = 0.2
    assert client.get("/healthz").json()["task_lag_seconds"] == 0
    _age_the_queue()
    time.sleep(0.3)

    assert client.get("/healthz").json()["task_lag_seconds"] >= 300


def test_without_a_memo_every_request_probes(client: Client, settings):
    settings.HROMADA_HEALTHZ_CACHE_SECONDS = 0
    client.get("/healthz")
    _age_the_queue()

    assert client.get("/healthz").json()["task_lag_seconds"] >= 300
