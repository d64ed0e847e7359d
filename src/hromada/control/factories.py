"""Test helpers for execution control: a small organisation with heads, and a test item type.

The control engine is generic; its own tests put `accounts.Position` under control (it has
a unit and a title), registered as a controlled type for the duration of a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from hromada.accounts.factories import (
    EmploymentFactory,
    OrgUnitFactory,
    PositionFactory,
    StaffFactory,
)
from hromada.accounts.models import OrgUnit, Position, RoleAssignment, User
from hromada.accounts.roles import Role
from hromada.control import types


def person(
    unit: OrgUnit, *roles: str, head: bool = False, role_unit: OrgUnit | None = None, **kwargs: Any
) -> User:
    """Create a member of staff in a post of `unit` holding `roles` over `role_unit` (or unit)."""
    user = StaffFactory(**kwargs)
    EmploymentFactory(
        user=user,
        position=PositionFactory(
            unit=unit, is_head=head, title="начальник" if head else "головний спеціаліст"
        ),
        start=date(2020, 1, 1),
    )
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, unit=role_unit or unit)
    return user


@dataclass
class Org:
    """Department D with division D1, and an unrelated department X."""

    d: OrgUnit
    d1: OrgUnit
    x: OrgUnit
    head_d: User
    head_d1: User
    spec_d: User
    spec_d1: User
    spec_d1b: User
    outsider: User
    head_x: User
    controller: User
    operator: User


def make_org() -> Org:
    d = OrgUnitFactory(code="D", name="Департамент D", kind=OrgUnit.Kind.DEPARTMENT)
    d1 = OrgUnitFactory(code="D1", name="Відділ D1", parent=d)
    x = OrgUnitFactory(code="X", name="Департамент X", kind=OrgUnit.Kind.DEPARTMENT)
    return Org(
        d=d,
        d1=d1,
        x=x,
        head_d=person(d, Role.HEAD, head=True, email="head-d@example.org"),
        head_d1=person(d1, Role.HEAD, head=True, email="head-d1@example.org"),
        spec_d=person(d, Role.EXECUTOR, email="spec-d@example.org"),
        spec_d1=person(d1, Role.EXECUTOR, email="spec-d1@example.org"),
        spec_d1b=person(d1, Role.EXECUTOR, email="spec-d1b@example.org"),
        outsider=person(x, Role.EXECUTOR, email="outsider@example.org"),
        head_x=person(x, Role.HEAD, head=True, email="head-x@example.org"),
        controller=person(d, Role.CONTROLLER, email="controller@example.org"),
        operator=person(d, Role.OPERATOR, email="operator@example.org"),
    )


def item_in(unit: OrgUnit, title: str = "Лист щодо ремонту покрівлі") -> Position:
    """Return a controlled test item (a Position) of a unit."""
    return PositionFactory(unit=unit, title=title)


@dataclass
class Hooks:
    resolved: list[Any]
    completed: list[Any]


@contextmanager
def positions_controlled(start: date, *, max_due: date | None = None) -> Iterator[Hooks]:
    """Register `accounts.Position` as a controlled type whose items were registered on `start`."""
    hooks = Hooks(resolved=[], completed=[])
    controlled = types.ControlledType(
        model=Position,
        label="тестовий об'єкт",
        start_date=lambda item: start,
        can_view=lambda user, item: True,
        max_due_date=(lambda item: max_due) if max_due else None,
        on_resolution=lambda *, item, resolution, actor: hooks.resolved.append(resolution),
        on_completed=lambda *, item, resolution, actor: hooks.completed.append(resolution),
    )
    previous = types.controlled_type(controlled.key)
    types.register_controlled_type(controlled)
    try:
        yield hooks
    finally:
        types._TYPES.pop(controlled.key, None)
        if previous is not None:
            types.register_controlled_type(previous)
