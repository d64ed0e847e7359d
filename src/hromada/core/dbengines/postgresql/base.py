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
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
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
