"""The PostgreSQL engine's health check: free while the socket is quiet, real when not."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL engine only"),
    pytest.mark.django_db(transaction=True),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = connection.is_usable

    def counted() -> bool:
        calls.append(1)
        return bool(real())

    monkeypatch.setattr(connection, "is_usable", counted)
    return calls


def test_a_quiet_connection_is_reused_without_a_round_trip(monkeypatch):
    pid = _backend_pid()
    connection.health_check_enabled = True
    checks = _count_checks(monkeypatch)

    connection.close_if_unusable_or_obsolete()  # what Django does as a request starts
    assert _backend_pid() == pid
    assert checks == []


def test_a_connection_the_server_dropped_is_replaced_before_the_next_query(monkeypatch):
    pid = _backend_pid()
    connection.health_check_enabled = True
    checks = _count_checks(monkeypatch)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.3)  # the server's goodbye reaches the socket

    connection.close_if_unusable_or_obsolete()
    assert _backend_pid() != pid  # no error: a new connection served the query
    assert checks == [1]
