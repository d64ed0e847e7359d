"""Session engine: database sessions read together with their user.

Behaviour is Django's database sessions (``django.contrib.sessions.backends.db``): the
session lives in a table (``accounts.UserSession``, Django's session columns plus the
signed-in user's id), logging out deletes its row (a copied cookie is worthless from then
on), the row expires with the idle timeout, and the idle-timeout and second-factor marks
(accounts.middleware) are stored in it.

What differs is the read every signed-in request makes: one statement returns the session
and its user's row, where Django sends two queries (the session, then the user). The user is
handed to the authentication backend (``EmailBackend.get_user``) for this request only;
Django's own checks of the user (active, the session's password hash) run on it unchanged.
Nothing is kept between requests: a deactivated user or a deleted session shows on the next
request. (The user's grants are read by ``permissions.grants_of`` when a page first asks;
joining them into this statement was measured slower: docs/BENCHMARKS.md.)
``SESSION_ENGINE = "hromada.accounts.sessions"``.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections, router
from django.utils import timezone

from hromada.core.prepared import column_converters, load_instance, statement_cursor

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


# Per database alias: the statement and, per user column, its field and converters.
_compiled: dict[str, tuple[str, list[str], list[tuple[Any, list[Any]]]]] = {}


def _statement(using: str) -> tuple[str, list[str], list[tuple[Any, list[Any]]]]:
    """Build (once per alias) the statement: the live session's data and its user's row."""
    compiled = _compiled.get(using)
    if compiled is not None:
        return compiled
    from hromada.accounts.models import User, UserSession

    connection = connections[using]
    qn = connection.ops.quote_name
    fields = list(User._meta.concrete_fields)
    user_columns = ", ".join(f"u.{qn(f.column)}" for f in fields)
    sql = (
        f"SELECT s.{qn('session_data')}, {user_columns} "  # noqa: S608
        f"FROM {qn(UserSession._meta.db_table)} s "
        f"LEFT JOIN {qn(User._meta.db_table)} u ON u.{qn('id')} = s.{qn('user_id')} "
        f"WHERE s.{qn('session_key')} = %s AND s.{qn('expire_date')} > %s"
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

    def _get_session_from_db(self) -> Any:
        if self.session_key is None:  # pragma: no cover - load() is only called with a key
            return None
        using = router.db_for_read(self.model)
        sql, names, converters = _statement(using)
        ops = connections[using].ops
        params = [self.session_key, ops.adapt_datetimefield_value(timezone.now())]
        with statement_cursor(using) as cursor:
            cursor.execute(sql, params)
            session = cursor.fetchone()
        if session is None:
            self._session_key = None
            return None
        user_values = list(session[1:])
        if user_values[names.index("id")] is not None:
            from hromada.accounts.models import User

            _loaded_user.set(load_instance(User, using, names, converters, user_values))
        return self.model(session_key=self.session_key, session_data=session[0])
