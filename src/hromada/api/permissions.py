"""DRF permissions that ask the rules of hromada.accounts.permissions (user.has_perm)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class HasRulePermission(BasePermission):
    """Allow a view action when the user holds the permission the view names for it.

    A view declares ``perms = {"list": "accounts.view_orgunit", ...}`` (``"*"`` for any
    other action); an action without a permission is refused. Object checks ask the
    same permission of the object, or ``object_perms[action]`` when given.
    """

    def _perm(self, view: APIView, table: str) -> str | None:
        perms: dict[str, str] = getattr(view, table, None) or {}
        action = getattr(view, "action", None) or (view.request.method or "").lower()
        return perms.get(action) or perms.get("*")

    def has_permission(self, request: Request, view: APIView) -> bool:
        perm = self._perm(view, "perms")
        return (
            perm is not None
            and bool(request.user and request.user.is_authenticated)
            and request.user.has_perm(perm)
        )

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        perm = self._perm(view, "object_perms") or self._perm(view, "perms")
        return perm is not None and request.user.has_perm(perm, obj)
