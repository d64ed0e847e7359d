"""Session engine: database sessions read together with their user and grants.

Behaviour is Django's database sessions (``django.contrib.sessions.backends.db``): the
session lives in a table (``accounts.UserSession``, Django's session columns plus the
signed-in user's id), logging out deletes its row (a copied cookie is worthless from then
on), the row expires with the idle timeout, and the idle-timeout and second-factor marks
(accounts.middleware) are stored in it.

What differs is the read every signed-in request makes: one statement returns the session,
its user's row and the user's grants for today (own roles and those of colleagues they act
for), where Django would send three queries (session, user, roles). The user is handed to
the authentication backend (``EmailBackend.get_user``) for this request only; Django's own
checks of the user (active, the session's password hash) run on it unchanged, and the
grants are the ones ``permissions.grants_of`` would read. Nothing is kept between requests:
a revoked role, a deactivated user or a deleted session shows on the next request.
On PostgreSQL the statement is prepared on the server (``core.prepared.statement_cursor``):
planned on every request it cost more than the round trip it saves (docs/BENCHMARKS.md).
``SESSION_ENGINE = "hromada.accounts.sessions"``.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections, router
from django.db.models import Subquery
from django.utils import timezone

from hromada.core.prepared import (
    PreparedQuery,
    column_converters,
    load_instance,
    statement_cursor,
)

# The user read with this request's session (None: not read, or no user).
_loaded_user: ContextVar[Any] = ContextVar("hromada_session_user", default=None)


def user_loaded_with_session(user_id: Any) -> Any:
    """Return the user this request's session read brought along, if it has this id."""
    user = _loaded_user.get()
    if user is not None and user.pk == user_id:
        return user
    return None


def forget_loaded_user() -> None:
    """Drop the user read with a session (at the start and end of every request)."""
    _loaded_user.set(None)


def _session_grants(key: str, now: datetime, day: date) -> Any:
    """The grants of a live session's user (permissions' grants query, user by session)."""
    from hromada.accounts.models import UserSession
    from hromada.accounts.permissions import grants_queryset

    holder = UserSession.objects.filter(session_key=key, expire_date__gt=now).values("user_id")
    return grants_queryset(user=Subquery(holder[:1]), day=day)


_GRANTS = PreparedQuery(
    _session_grants,
    key="hromada-placeholder-session-key",
    now=datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC),
    day=date(1901, 3, 4),
)

# Session payloads already verified in this process: the signed text as the store holds it
# -> its content as JSON (see SessionStore.decode).
_verified: OrderedDict[bytes | str, str] = OrderedDict()
_VERIFIED_MAX = 4096


# Per database alias: the statement and, per user column, its field and converters.
_compiled: dict[str, tuple[str, list[str], list[tuple[Any, list[Any]]]]] = {}


def _statement(using: str) -> tuple[str, list[str], list[tuple[Any, list[Any]]]]:
    """Build (once per alias) the statement: the session and user row, then the grants.

    ``SELECT 0, session_data, <user columns>, NULL, NULL, NULL`` for the session (its user
    left-joined), ``UNION ALL`` ``SELECT 1, NULL, <NULLs>, role, unit path, subunits`` for
    each grant, the grants part being the ORM's grants query compiled by PreparedQuery.
    """
    compiled = _compiled.get(using)
    if compiled is not None:
        return compiled
    from hromada.accounts.models import User, UserSession

    connection = connections[using]
    qn = connection.ops.quote_name
    fields = list(User._meta.concrete_fields)
    user_columns = ", ".join(f"u.{qn(f.column)}" for f in fields)
    nulls = ", ".join("NULL" for _ in fields)
    grants_sql, _slots = _GRANTS.sql(using)
    sql = (
        f"SELECT 0, s.{qn('session_data')}, {user_columns}, NULL, NULL, NULL "  # noqa: S608
        f"FROM {qn(UserSession._meta.db_table)} s "
        f"LEFT JOIN {qn(User._meta.db_table)} u ON u.{qn('id')} = s.{qn('user_id')} "
        f"WHERE s.{qn('session_key')} = %s AND s.{qn('expire_date')} > %s "
        f"UNION ALL SELECT 1, NULL, {nulls}, g.* FROM ({grants_sql}) g"
    )
    converters = column_converters([f.get_col(User._meta.db_table) for f in fields], using)
    compiled = (sql, [f.attname for f in fields], converters)
    _compiled[using] = compiled
    return compiled


class SessionStore(DbSessionStore):
    """Database sessions whose per-request read also brings the user and their grants."""

    def __init__(self, session_key: str | None = None) -> None:
        # A new store per request: nothing read for an earlier request may be used.
        forget_loaded_user()
        super().__init__(session_key)

    @classmethod
    def get_model_class(cls) -> Any:
        from hromada.accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        obj: Any = super().create_model_instance(data)
        try:
            obj.user_id = int(data[SESSION_KEY]) if data.get(SESSION_KEY) else None
        except (TypeError, ValueError):
            obj.user_id = None
        return obj

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        """Verify and decode a stored payload; each payload text is verified once per process.

        Django checks the payload's signature (a key derived from SECRET_KEY, HMAC-SHA256),
        decompresses it and parses the JSON on every request. The text of a session changes
        only when the session is written, so a text verified once here is the same payload
        on the next request: its content is kept as JSON and parsed again (a new dict each
        time, as the session mutates it). A text that fails verification is never kept.
        """
        known = _verified.get(session_data)
        if known is not None:
            return json.loads(known)  # type: ignore[no-any-return]
        data: dict[str, Any] = super().decode(session_data)
        if data:
            _verified[session_data] = json.dumps(data)
            while len(_verified) > _VERIFIED_MAX:
                _verified.popitem(last=False)
        return data

    def _get_session_from_db(self) -> Any:
        if self.session_key is None:  # pragma: no cover - load() is only called with a key
            return None
        from hromada.accounts.permissions import Grant, remember_grants

        using = router.db_for_read(self.model)
        sql, names, converters = _statement(using)
        now = timezone.now()
        ops = connections[using].ops
        params = [
            self.session_key,
            ops.adapt_datetimefield_value(now),
            *_GRANTS.params(using, key=self.session_key, now=now, day=timezone.localdate()),
        ]
        with statement_cursor(using) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        session = next((r for r in rows if r[0] == 0), None)
        if session is None:
            self._session_key = None
            return None
        width = len(names)
        user_values = list(session[2 : 2 + width])
        if user_values[names.index("id")] is not None:
            from hromada.accounts.models import User

            user = load_instance(User, using, names, converters, user_values)
            remember_grants(
                user,
                tuple(Grant(r[-3], r[-2], bool(r[-1])) for r in rows if r[0] == 1),
            )
            _loaded_user.set(user)
        return self.model(session_key=self.session_key, session_data=session[1])
