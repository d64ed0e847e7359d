"""Authentication backend: e-mail login through allauth, permissions only from the rules."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend


class EmailBackend(AuthenticationBackend):  # type: ignore[misc]
    """Log in by e-mail; grant no permissions from Django's permission tables.

    hromada's permissions are the rules in hromada.accounts.permissions (roles scoped by
    unit). Django's per-model permissions and groups are not used, so asking for them
    would only cost two queries per request; system superusers still pass every check
    through PermissionsMixin.
    """

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
