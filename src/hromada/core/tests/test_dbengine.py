"""The PostgreSQL engine's health check: free while the socket is quiet, real when not."""

from __future__ import annotations

import time
from datetime import UTC

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


# --- Statements prepared on the server (prepared_cursor, core.prepared) -------------------

_BY_EMAIL = "SELECT id FROM accounts_user WHERE email = %s"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_hot_statement_is_prepared_once_and_answers_for_each_new_value():
    from hromada.accounts.factories import StaffFactory
    from hromada.core.prepared import statement_cursor

    first, second = StaffFactory(), StaffFactory()
    for user in (first, second, first):
        with statement_cursor() as cursor:
            cursor.execute(_BY_EMAIL, [user.email])
            assert cursor.fetchall() == [(user.pk,)]
    assert sum("accounts_user WHERE email = $1" in s for s in _prepared_statements()) == 1


def test_a_prepared_statement_of_many_parameters_is_parsed_once():
    # psycopg's own bound (50 parameters) would parse the appeal row's INSERT every time.
    from psycopg import _queries

    from hromada.core.prepared import statement_cursor

    values = list(range(70))
    sql = "SELECT " + ", ".join(["%s::int"] * len(values))
    misses = []
    for _ in range(3):
        before = _queries._query2pg.cache_info().misses
        with statement_cursor() as cursor:
            cursor.execute(sql, values)
            assert list(cursor.fetchone()) == values
        misses.append(_queries._query2pg.cache_info().misses - before)
    assert misses == [1, 0, 0]


def test_hot_statements_share_one_cursor_per_connection_and_a_new_one_after_reconnecting():
    from hromada.core.prepared import statement_cursor

    def run(value: int) -> object:
        with statement_cursor() as cursor:
            cursor.execute("SELECT %s::int", [value])
            assert cursor.fetchall() == [(value,)]
            return cursor.cursor

    first = run(1)
    assert run(2) is first  # the block's end left it open for the next statement
    connection.close()
    again = run(3)
    assert again is not first
    assert again.connection is connection.connection
    assert run(4) is again


def test_django_cursors_still_bind_on_the_client_and_prepare_nothing():
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(_BY_EMAIL + " AND 7 = 7", ["nobody@example.invalid"])
    assert not [s for s in _prepared_statements() if "7 = 7" in s]


def test_a_prepared_statement_is_logged_with_its_values():
    from django.test.utils import CaptureQueriesContext

    from hromada.core.prepared import statement_cursor

    with CaptureQueriesContext(connection) as queries, statement_cursor() as cursor:
        cursor.execute(_BY_EMAIL, ["someone@example.com"])
    assert queries.captured_queries[-1]["sql"] == (
        "SELECT id FROM accounts_user WHERE email = 'someone@example.com'"
    )


def test_a_statement_prepared_in_a_rolled_back_transaction_is_prepared_again():
    from django.db import transaction

    from hromada.core.prepared import statement_cursor

    with transaction.atomic():
        with statement_cursor() as cursor:
            cursor.execute(_BY_EMAIL, ["a@example.com"])
        transaction.set_rollback(True)
    with statement_cursor() as cursor:  # the server forgot it with the transaction
        cursor.execute(_BY_EMAIL, ["a@example.com"])
        assert cursor.fetchall() == []


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    from hromada.core.dbengines.postgresql.base import DatabaseWrapper, PreparingCursor

    settings = {**connection.settings_dict}
    settings["OPTIONS"] = {**settings["OPTIONS"], "prepared_statements": False}
    other = DatabaseWrapper(settings, alias="no-prepare")
    try:
        assert "prepared_statements" not in other.get_connection_params()
        with other.prepared_cursor() as cursor:
            assert not isinstance(cursor.cursor, PreparingCursor)
            cursor.execute(_BY_EMAIL, ["nobody@example.invalid"])
        assert other.connection.prepare_threshold is None
    finally:
        other.close()


def test_timestamps_load_as_djangos_loader_loads_them_through_psycopgs_own_parser():
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    values = [
        "2026-11-27 03:41:39.123456+00",
        "2026-03-29 00:59:59.999999+00",  # Kyiv's change to summer time
        "1901-12-13 20:45:52+00",
        "0001-01-01 00:00:00+00",
        "9999-12-31 23:59:59.999999+00",
    ]
    with connection.cursor() as cursor:
        loader_class = cursor.cursor.adapters.get_loader(
            psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT
        )
        cursor.execute(
            "SELECT t.v::timestamptz "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY t.n",
            [values],
        )
        loaded = [row[0] for row in cursor.fetchall()]

    # Not Django's Python loader, and no per-cursor copy of the adapters.
    assert not issubclass(loader_class, BaseTzLoader)
    assert loader_class.timezone is UTC

    class Djangos(BaseTzLoader):
        timezone = UTC

    django_loader = Djangos(psycopg.adapters.types["timestamptz"].oid, connection.connection)
    expected = [django_loader.load(v.encode()) for v in values]
    assert loaded == expected
    assert [v.tzinfo for v in loaded] == [UTC] * len(values)
