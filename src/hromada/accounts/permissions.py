"""Every permission of hromada, in one place (django-rules predicates).

Views, API endpoints and services all ask ``user.has_perm("<app>.<action>", obj)``
(or :func:`require`), so one rule decides everywhere. A role is held for a unit
and, by default, its subunits; a role without a unit covers the whole city. A
person acting for an absent colleague (substitution) holds the colleague's
roles for the substitution's dates.

Objects say which unit they belong to through :func:`units_of`: an ``OrgUnit``
is its own unit; a model with a ``unit`` attribute belongs to it; a model may
define ``permission_units()``; a ``User`` belongs to the units of their current
positions. Later modules add rules here with ``rules.add_perm``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import rules.permissions
import rules.predicates
from django.utils import timezone

from hromada.accounts.roles import PERSONAL_DATA_ROLES, STAFF_ROLES, Role
from hromada.core.exceptions import ApplicationError


# django-rules is untyped: give its two entry points types once, here.
_Predicate = Any
rule_predicate = cast(Callable[..., Any], rules.predicates.predicate)
add_perm = cast(Callable[[str, _Predicate], None], rules.permissions.add_perm)


@dataclass(frozen=True)
class Grant:
    """A role held by a user over a scope: a unit path, or None for the whole city."""

    role: str
    unit_path: str | None
    include_subunits: bool

    def covers(self, path: str) -> bool:
        if self.unit_path is None:
            return True
        if self.include_subunits:
            return path.startswith(self.unit_path)
        return path == self.unit_path


_CACHE_ATTR = "_hromada_grants"


def grants_of(user: Any) -> tuple[Grant, ...]:
    """Return the user's effective grants today (own roles and those of colleagues they act for).

    Cached on the user object, which lives for one request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from hromada.accounts.models import RoleAssignment, Substitution

    today = timezone.localdate()
    absent_ids = list(
        Substitution.objects.current(today).filter(substitute=user).values_list("absent_id", flat=True)
    )
    rows = RoleAssignment.objects.filter(user_id__in=[user.pk, *absent_ids]).values_list(
        "role", "unit__path", "include_subunits"
    )
    grants = tuple(Grant(role, path, sub) for role, path, sub in rows)
    setattr(user, _CACHE_ATTR, grants)
    return grants


def forget_grants(user: Any) -> None:
    """Drop the cached grants after roles change within a request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def units_of(obj: Any) -> list[str]:
    """Return the unit paths an object belongs to."""
    from hromada.accounts.models import Employment, OrgUnit, User

    if obj is None:
        return []
    if isinstance(obj, OrgUnit):
        return [obj.path]
    if hasattr(obj, "permission_units"):
        return [u.path for u in obj.permission_units()]
    if isinstance(obj, User):
        return list(
            Employment.objects.current()
            .filter(user=obj)
            .values_list("position__unit__path", flat=True)
        )
    unit = getattr(obj, "unit", None)
    if isinstance(unit, OrgUnit):
        return [unit.path]
    return []


def has_role(user: Any, *roles: str) -> bool:
    """Return whether the user holds any of the roles, in any scope."""
    return any(g.role in roles for g in grants_of(user))


def role_covers(user: Any, roles: Iterable[str], obj: Any) -> bool:
    """Return whether one of the user's grants of these roles covers the object's unit."""
    wanted = set(roles)
    grants = [g for g in grants_of(user) if g.role in wanted]
    if not grants:
        return False
    if any(g.unit_path is None for g in grants):
        return True
    paths = units_of(obj)
    return any(g.covers(p) for g in grants for p in paths)


def scoped(*roles: str) -> Any:
    """Predicate: with no object, the user holds a role; with one, a grant covers its unit."""

    def predicate(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return has_role(user, *roles)
        return role_covers(user, roles, obj)

    return rule_predicate(predicate, name=f"scoped({','.join(roles)})")


def anywhere(*roles: str) -> Any:
    """Predicate: the user holds one of the roles in any scope (object ignored)."""

    def predicate(user: Any) -> bool:
        return has_role(user, *roles)

    return rule_predicate(predicate, name=f"anywhere({','.join(roles)})")


def citywide(*roles: str) -> Any:
    """Predicate: the user holds one of the roles for the whole city (no unit)."""

    def predicate(user: Any) -> bool:
        return any(g.role in roles and g.unit_path is None for g in grants_of(user))

    return rule_predicate(predicate, name=f"citywide({','.join(roles)})")


@rule_predicate
def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False)) and any(
        g.role in STAFF_ROLES for g in grants_of(user)
    )


@rule_predicate
def is_self(user: Any, obj: Any = None) -> bool:
    return obj is not None and getattr(obj, "pk", None) == getattr(user, "pk", object())


@rule_predicate
def is_system_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def needs_second_factor(user: Any) -> bool:
    """Return whether the user must log in with TOTP (staff with personal-data access)."""
    return bool(getattr(user, "is_staff", False)) and has_role(user, *PERSONAL_DATA_ROLES)


# --- The rules --------------------------------------------------------------
staff = is_staff_member
admin = scoped(Role.ADMIN)

add_perm("core.access_staff", staff)
add_perm("core.view_audit", staff & anywhere(Role.SECURITY_OFFICER))
add_perm("core.export_audit", staff & anywhere(Role.SECURITY_OFFICER))
add_perm("core.manage_calendar", staff & citywide(Role.ADMIN))
add_perm("core.manage_classifiers", staff & citywide(Role.ADMIN))

# Organisation: anyone in staff reads the tree; administrators change it in their scope.
add_perm("accounts.view_orgunit", staff)
add_perm("accounts.change_orgunit", staff & admin)
add_perm("accounts.import_orgunits", staff & citywide(Role.ADMIN))

# People: a person's card holds personal data (phone, e-mail, roles).
add_perm(
    "accounts.view_person",
    is_self | (staff & scoped(Role.ADMIN, Role.SECURITY_OFFICER, Role.HEAD)),
)
add_perm("accounts.change_person", staff & admin)
add_perm("accounts.create_staff", staff & anywhere(Role.ADMIN))
add_perm("accounts.manage_roles", staff & admin)
add_perm("accounts.manage_substitutions", staff & scoped(Role.ADMIN, Role.HEAD))
add_perm("accounts.create_token", is_system_superuser | (staff & anywhere(Role.ADMIN)))


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Raise ApplicationError unless the user has the permission (for services)."""
    if not user.has_perm(perm, obj):
        raise ApplicationError("Недостатньо прав для цієї дії.", code="permission_denied")
