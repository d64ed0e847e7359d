"""Session engine: Django's database sessions, read with a precompiled query.

Behaviour is exactly ``django.contrib.sessions.backends.db``: the session lives in the
``django_session`` table, logging out deletes its row (a copied cookie is worthless from
then on), the row expires with the idle timeout, and the idle-timeout and second-factor
marks (accounts.middleware) are stored in it. Only the read that every signed-in request
makes is sent as SQL compiled once per process (hromada.core.prepared) instead of being
compiled by the ORM each time. ``SESSION_ENGINE = "hromada.accounts.sessions"``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from hromada.core.prepared import PreparedQuery


def _live_session(key: str, now: datetime) -> QuerySet[Any]:
    # The same condition as Django's db backend: the key, not yet expired.
    return Session.objects.filter(session_key=key, expire_date__gt=now).values_list("session_data")


_LIVE_SESSION = PreparedQuery(
    _live_session,
    key="hromada-placeholder-session-key",
    now=datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC),
)


class SessionStore(DbSessionStore):
    """Database sessions whose per-request read skips the ORM's query compilation."""

    def _get_session_from_db(self) -> Any:
        if self.session_key is None:  # pragma: no cover - load() is only called with a key
            return None
        rows = _LIVE_SESSION.rows(
            router.db_for_read(self.model), key=self.session_key, now=timezone.now()
        )
        if not rows:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=rows[0][0])
