"""API token authentication: the token, its user and the user's grants in one statement.

Behaviour is DRF's ``TokenAuthentication`` (``Authorization: Token <key>``; an unknown key
or an inactive user is refused with DRF's messages). What differs is the read every API
request makes: one statement returns the token, its user's row and the user's grants for
today (own roles and those of colleagues they act for), where DRF and the permission rules
would send two queries (token with user, roles), each compiled by the ORM anew. The grants
are the rows ``permissions.grants_queryset`` gives (compiled once by
``core.prepared.PreparedQuery``) and live on the user object of this request only; a
revoked role, a deactivated user or a deleted token shows on the next request. On
PostgreSQL the statement is prepared on the server (``core.prepared.statement_cursor``), as
the session's read is (``accounts.sessions``). ``REST_FRAMEWORK
["DEFAULT_AUTHENTICATION_CLASSES"]`` names it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connections, router
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from hromada.core.prepared import (
    PreparedQuery,
    column_converters,
    load_instance,
    statement_cursor,
)


def _token_grants(key: str, day: date) -> Any:
    """The grants of a token's user (permissions' grants query, user by token)."""
    from rest_framework.authtoken.models import Token

    from hromada.accounts.permissions import grants_queryset

    holder = Token.objects.filter(key=key).values("user_id")
    return grants_queryset(user=Subquery(holder[:1]), day=day)


_GRANTS = PreparedQuery(_token_grants, key="hromada-placeholder-token-key", day=date(1901, 3, 4))

_Compiled = tuple[str, list[str], list[str], list[Any], list[Any]]
# Per database alias: the statement, the token's and the user's field names and converters.
_compiled: dict[str, _Compiled] = {}


def _statement(using: str) -> _Compiled:
    """Build (once per alias) the statement: the token and its user, then the grants.

    ``SELECT 0, <token columns>, <user columns>, NULL, NULL, NULL`` for the token (its user
    joined), ``UNION ALL`` ``SELECT 1, <NULLs>, role, unit path, subunits`` per grant.
    """
    compiled = _compiled.get(using)
    if compiled is not None:
        return compiled
    from rest_framework.authtoken.models import Token

    from hromada.accounts.models import User

    qn = connections[using].ops.quote_name
    token_fields = list(Token._meta.concrete_fields)
    user_fields = list(User._meta.concrete_fields)
    columns = ", ".join(
        [f"t.{qn(f.column)}" for f in token_fields] + [f"u.{qn(f.column)}" for f in user_fields]
    )
    nulls = ", ".join("NULL" for _ in token_fields + user_fields)
    user_fk = Token._meta.get_field("user").column
    grants_sql, _slots = _GRANTS.sql(using)
    sql = (
        f"SELECT 0, {columns}, NULL, NULL, NULL "  # noqa: S608
        f"FROM {qn(Token._meta.db_table)} t "
        f"JOIN {qn(User._meta.db_table)} u ON u.{qn('id')} = t.{qn(user_fk)} "
        f"WHERE t.{qn('key')} = %s "
        f"UNION ALL SELECT 1, {nulls}, g.* FROM ({grants_sql}) g"
    )
    compiled = (
        sql,
        [f.attname for f in token_fields],
        [f.attname for f in user_fields],
        column_converters([f.get_col(Token._meta.db_table) for f in token_fields], using),
        column_converters([f.get_col(User._meta.db_table) for f in user_fields], using),
    )
    _compiled[using] = compiled
    return compiled


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; the token's read also brings its user and their grants."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from rest_framework.authtoken.models import Token

        from hromada.accounts.models import User
        from hromada.accounts.permissions import Grant, remember_grants

        if self.get_model() is not Token:  # pragma: no cover - a custom token model
            return super().authenticate_credentials(key)
        using = router.db_for_read(Token)
        sql, token_names, user_names, token_conv, user_conv = _statement(using)
        params = [key, *_GRANTS.params(using, key=key, day=timezone.localdate())]
        with statement_cursor(using) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = next((r for r in rows if r[0] == 0), None)
        # DRF's own messages (msgids of its catalogue, translated to Ukrainian there).
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        width = len(token_names)
        token = load_instance(Token, using, token_names, token_conv, found[1 : 1 + width])
        user = load_instance(
            User, using, user_names, user_conv, found[1 + width : 1 + width + len(user_names)]
        )
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        Token.user.field.set_cached_value(token, user)
        remember_grants(user, tuple(Grant(r[-3], r[-2], bool(r[-1])) for r in rows if r[0] == 1))
        return user, token
