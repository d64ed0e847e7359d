"""Django's PostgreSQL backend with a health check that costs no round trip.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every
request that reuses a persistent connection, so a connection the server has dropped
(a restart, ``pg_terminate_backend``, an idle timeout) is replaced instead of failing the
request. On a page that makes one query of its own that is half its database round trips.

When the server drops a connection it sends a FATAL message and closes the socket, so
the socket becomes readable while no query is running. This backend looks at the socket
first (``select`` with no wait): nothing to read — the connection is as it was after its
last successful use, and no query is sent; something to read — Django's own check runs
(``SELECT 1``) and the connection is replaced if it fails. A connection lost without a
word from the server (a cut network) is not seen by the socket, and the first query
fails, as it would without health checks; ``CONN_MAX_AGE`` still retires connections.
``ENGINE = "hromada.core.dbengines.postgresql"`` (settings do this for PostgreSQL URLs).

It also offers :meth:`DatabaseWrapper.prepared_cursor`: a cursor whose statements are
prepared on the server (once per connection; PostgreSQL then reuses the plan). Django's
cursors bind parameters on the client, so the server plans every statement anew; for the
small statements every signed-in request runs (the session and its user, the user's
grants) planning costs several times the execution (0.66 ms against 0.08 ms for the
grants). :mod:`hromada.core.prepared` runs those statements through it. The connection's
``prepare_threshold`` is set so that nothing else is ever prepared; ``OPTIONS
["prepared_statements"] = False`` (``HROMADA_DB_PREPARED_STATEMENTS=false``, e.g. behind a
pooler in transaction mode that does not track prepared statements) turns it off and
``prepared_cursor`` returns Django's usual cursor.
"""

from __future__ import annotations

import select
from datetime import UTC
from typing import Any

import psycopg
from django.db.backends.postgresql import base, operations
from psycopg import _queries
from psycopg.pq import Format

# A threshold no statement reaches: only cursors that ask (``prepare=True``) prepare.
_EXPLICIT_ONLY = 2**31 - 1

# psycopg caches its parse of a statement's placeholders only for statements of at most 50
# parameters (an ORM's many-row INSERTs vary without end). The statements prepared here are
# a fixed, small set, and the appeal's row has about 70: parsed on every registration, it
# cost 0.3 ms. A bound of 100 caches it (the cache keeps 128 statements at most).
_CACHED_PARAMS = 100
if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", _CACHED_PARAMS) < _CACHED_PARAMS:
    _queries.MAX_CACHED_STATEMENT_PARAMS = _CACHED_PARAMS


# psycopg's default loader of timestamptz text: its C one where the binary package is in.
_TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
_DEFAULT_TZ_LOADER: Any = psycopg.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)


class UtcTimestamptzLoader(psycopg.adapt.Loader):
    """timestamptz text → an aware datetime in UTC, parsed by psycopg's own loader.

    Django's loader is a Python subclass of psycopg's pure-Python one: each value parsed in
    Python (≈ 10–20 µs), then its tzinfo replaced by UTC. Django sets the session's time
    zone to UTC on connecting, and then psycopg's loader returns the same datetime (tzinfo
    ``timezone.utc``), in C with the binary package; the C class cannot be subclassed, so
    each instance hands its ``load`` over. ``timezone`` is what Django's ``create_cursor``
    compares before it would copy the adapters for a cursor.
    """

    timezone = UTC

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        self.load = _DEFAULT_TZ_LOADER(oid, context).load  # type: ignore[method-assign]

    def load(self, data: Any) -> Any:  # replaced per instance (see __init__)
        raise NotImplementedError


class PreparingCursor(psycopg.Cursor[Any]):
    """A server-binding cursor that prepares each statement it runs (psycopg keeps the name
    per connection; the first run prepares, the next ones only execute).

    One per connection serves every hot statement in turn (:meth:`DatabaseWrapper.
    prepared_cursor`): closing it, as a ``with`` block's end does, leaves it open for the
    next. Making and closing a cursor for each statement cost about 25 µs, a third of the
    client's time for a small prepared statement. Each statement is run and its rows read
    before the next (never one inside another's loop).
    """

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        kwargs["prepare"] = True
        return super().execute(query, params, **kwargs)

    def close(self) -> None:
        """Stay open for the connection's next hot statement (see the class)."""


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> Any:
        # A prepared statement keeps no client-side text: show it with its values inlined
        # (query logging, DEBUG's connection.queries, CaptureQueriesContext).
        if isinstance(cursor, PreparingCursor):
            try:
                return str(self.compose_sql(sql, params))
            except psycopg.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._preparing: PreparingCursor | None = None  # the connection's, made on first use
        options = self.settings_dict["OPTIONS"]
        # Off when asked, or when OPTIONS set psycopg's own prepare_threshold.
        self._prepares = (
            options.get("prepared_statements", True) is not False
            and "prepare_threshold" not in options
        )

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        params.pop("prepared_statements", None)
        if self._prepares:
            params["prepare_threshold"] = _EXPLICIT_ONLY
        context = params.get("context")
        if context is not None and self.timezone is UTC:
            context.register_loader("timestamptz", UtcTimestamptzLoader)
        return params

    def prepared_cursor(self) -> Any:
        """Return a cursor (Django's wrapper: query logging, error translation) whose
        statements the server prepares; Django's usual cursor when that is turned off."""
        if not self._prepares:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        # Django's module and wrapper internals (untyped in django-stubs), as its
        # create_cursor and cursor use them.
        pg: Any = base
        wrapper: Any = self
        cursor = self._preparing
        if cursor is None or cursor.connection is not self.connection:
            # The first hot statement on this connection (Django makes a new connection
            # object whenever it reconnects).
            with self.wrap_database_errors:
                cursor = PreparingCursor(self.connection)
                tzloader = self.connection.adapters.get_loader(pg.TIMESTAMPTZ_OID, pg.Format.TEXT)
                if self.timezone != tzloader.timezone:
                    pg.register_tzloader(self.timezone, cursor)
            self._preparing = cursor
        # A new wrapper each time: query logging follows the connection's current setting.
        return wrapper._prepare_cursor(cursor)

    def close_if_health_check_failed(self) -> None:
        # Django's flags (untyped in django-stubs): set per request, and on connecting.
        state: Any = self
        if self.connection is None or not state.health_check_enabled or state.health_check_done:
            return
        if not self._socket_has_news():
            state.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_has_news(self) -> bool:
        """Return whether the server sent anything (or closed) while we sent no query."""
        try:
            fd = self.connection.fileno()
            readable, _w, _x = select.select([fd], [], [], 0)
        except (OSError, ValueError):
            return True  # no usable socket: let Django's check decide
        return bool(readable)
