"""Authentication backend: e-mail login through allauth, permissions only from the rules."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.core.exceptions import ValidationError
from django.db import router

from hromada.accounts.sessions import user_loaded_with_session
from hromada.core.prepared import PreparedQuery


def _user_by_pk(pk: int) -> Any:
    from hromada.accounts.models import User

    return User._default_manager.filter(pk=pk)


# Every signed-in request loads its user: the query is compiled once per process.
_USER_BY_PK = PreparedQuery(_user_by_pk, pk=-730_001)


class EmailBackend(AuthenticationBackend):  # type: ignore[misc]
    """Log in by e-mail; grant no permissions from Django's permission tables.

    hromada's permissions are the rules in hromada.accounts.permissions (roles scoped by
    unit). Django's per-model permissions and groups are not used, so asking for them
    would only cost two queries per request; system superusers still pass every check
    through PermissionsMixin.
    """

    def get_user(self, user_id: Any) -> Any:
        """Return the active user with this id, or None (ModelBackend.get_user, prepared)."""
        from hromada.accounts.models import User

        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        # The session engine reads the user with the session, in the same statement.
        loaded = user_loaded_with_session(pk)
        if loaded is not None:
            return loaded if self.user_can_authenticate(loaded) else None
        found = _USER_BY_PK.instances(router.db_for_read(User), pk=pk)
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
