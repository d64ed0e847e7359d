"""The permission matrix: role × action × scope, as a table of expectations.

Each role is held either for the whole city or on unit A (with its subunits). Every
permission is asked with five objects, in this order:

    N  no object                      A  an object in unit A
    S  an object in A1, a subunit of A    B  an object in unrelated unit B
    C  CITY (the whole city as an object: only city-wide grants cover it)

A cell reads "NASBC NASBC": the role held city-wide, then held on unit A; 1 = allowed.
Roles not listed under a permission are refused everything ("00000 00000").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import rules.permissions
from django.utils import timezone

from hromada.accounts.factories import (
    EmploymentFactory,
    OrgUnitFactory,
    PositionFactory,
    StaffFactory,
    UserFactory,
)
from hromada.accounts.models import OrgUnit, Position, RoleAssignment, Substitution, User
from hromada.accounts.permissions import CITY
from hromada.accounts.roles import Role

pytestmark = pytest.mark.django_db

ANY_STAFF_ROLE = "any staff role"  # every role but citizen
NOBODY = "00000 00000"

# What each permission is checked against (the kind of object of the five columns).
OBJECT_KIND = {
    "core.access_staff": "unit",
    "core.view_audit": "unit",
    "core.export_audit": "unit",
    "core.manage_calendar": "unit",
    "core.manage_classifiers": "unit",
    "accounts.view_orgunit": "unit",
    "accounts.change_orgunit": "unit",
    "accounts.import_orgunits": "unit",
    "accounts.view_people": "person",
    "accounts.view_person": "person",
    "accounts.change_person": "person",
    "accounts.create_staff": "position",
    "accounts.manage_employment": "position",
    "accounts.manage_roles": "unit",
    "accounts.manage_substitutions": "person",
    "accounts.create_token": "person",
}

MATRIX: dict[str, dict[str, str]] = {
    "core.access_staff": {ANY_STAFF_ROLE: "11111 11111"},
    "core.view_audit": {Role.SECURITY_OFFICER: "11111 11111"},
    "core.export_audit": {Role.SECURITY_OFFICER: "11111 11111"},
    "core.manage_calendar": {Role.ADMIN: "11111 00000"},
    "core.manage_classifiers": {Role.ADMIN: "11111 00000"},
    "accounts.view_orgunit": {ANY_STAFF_ROLE: "11111 11111"},
    "accounts.change_orgunit": {Role.ADMIN: "11111 11100"},
    "accounts.import_orgunits": {Role.ADMIN: "11111 00000"},
    "accounts.view_people": {ANY_STAFF_ROLE: "11111 11111"},
    "accounts.view_person": {
        Role.ADMIN: "11111 11100",
        Role.SECURITY_OFFICER: "11111 11100",
        Role.HEAD: "11111 11100",
    },
    "accounts.change_person": {Role.ADMIN: "11111 11100"},
    "accounts.create_staff": {Role.ADMIN: "11111 11100"},
    "accounts.manage_employment": {Role.ADMIN: "11111 11100"},
    "accounts.manage_roles": {Role.ADMIN: "11111 11100"},
    "accounts.manage_substitutions": {Role.ADMIN: "11111 11100", Role.HEAD: "11111 11100"},
    "accounts.create_token": {Role.ADMIN: "11111 11111"},
}


def expected(perm: str, role: str, scope: str) -> str:
    row = MATRIX[perm]
    cell = row.get(role) or (row.get(ANY_STAFF_ROLE) if role != Role.CITIZEN else None) or NOBODY
    return cell.split()[0 if scope == "citywide" else 1]


class World:
    def __init__(self) -> None:
        self.a = OrgUnitFactory(code="A")
        self.a1 = OrgUnitFactory(code="A1", parent=self.a)
        self.b = OrgUnitFactory(code="B")
        self.objects: dict[str, list[Any]] = {"unit": [], "person": [], "position": []}
        for unit in (self.a, self.a1, self.b):
            position = PositionFactory(unit=unit)
            person = StaffFactory()
            EmploymentFactory(user=person, position=position)
            self.objects["unit"].append(unit)
            self.objects["person"].append(person)
            self.objects["position"].append(position)

    def holder(self, role: str, scope: str) -> User:
        """A fresh user holding `role` city-wide or on unit A (not employed anywhere)."""
        user = UserFactory(is_staff=role != Role.CITIZEN)
        RoleAssignment.objects.create(
            user=user, role=role, unit=self.a if scope == "unit" and role != Role.CITIZEN else None
        )
        return User.objects.get(pk=user.pk)

    def row(self, user: User, perm: str) -> str:
        a, a1, b = self.objects[OBJECT_KIND[perm]]
        return "".join("1" if user.has_perm(perm, obj) else "0" for obj in (None, a, a1, b, CITY))


@pytest.fixture
def world() -> World:
    return World()


@pytest.mark.parametrize("scope", ["citywide", "unit"])
@pytest.mark.parametrize("role", Role.values)
def test_role_permissions_match_the_matrix(world: World, role: str, scope: str) -> None:
    user = world.holder(role, scope)
    actual = {perm: world.row(user, perm) for perm in MATRIX}
    assert actual == {perm: expected(perm, role, scope) for perm in MATRIX}


def test_matrix_covers_every_core_and_accounts_permission() -> None:
    registered = {
        name for name in rules.permissions.permissions if name.startswith(("core.", "accounts."))
    }
    assert registered == set(MATRIX)
    assert set(OBJECT_KIND) == set(MATRIX)


def test_a_role_on_a_unit_without_subunits_stops_at_the_unit(world: World) -> None:
    user = StaffFactory()
    RoleAssignment.objects.create(user=user, role=Role.HEAD, unit=world.a, include_subunits=False)
    user = User.objects.get(pk=user.pk)
    assert world.row(user, "accounts.view_person") == "11000"


def test_a_person_may_see_their_own_card_without_any_role(world: World) -> None:
    citizen = UserFactory()
    assert citizen.has_perm("accounts.view_person", citizen)
    assert not citizen.has_perm("accounts.view_person", world.objects["person"][0])


def test_a_system_superuser_may_create_tokens_without_roles(world: World) -> None:
    root = UserFactory(is_superuser=True)
    assert root.has_perm("accounts.create_token", world.objects["person"][2])


def test_an_inactive_user_holds_nothing(world: World) -> None:
    user = world.holder(Role.ADMIN, "citywide")
    user.is_active = False
    assert world.row(user, "accounts.view_orgunit") == "00000"


def test_a_unit_role_follows_a_subunit_moved_elsewhere(world: World) -> None:
    from hromada.accounts.services import orgunit_move

    orgunit_move(actor=None, unit=world.a1, new_parent=world.b)
    user = world.holder(Role.HEAD, "unit")
    assert world.row(user, "accounts.view_person") == "11000"


# --- substitution ---------------------------------------------------------------------------------
def _acting(world: World, *, start_offset: int, end_offset: int) -> User:
    """An executor of A1 acting for the head of A over a period relative to today."""
    head = world.holder(Role.HEAD, "unit")
    executor = StaffFactory()
    RoleAssignment.objects.create(user=executor, role=Role.EXECUTOR, unit=world.a1)
    today = timezone.localdate()
    Substitution.objects.create(
        absent=head,
        substitute=executor,
        start=today + timedelta(days=start_offset),
        end=today + timedelta(days=end_offset),
    )
    return User.objects.get(pk=executor.pk)


@pytest.mark.parametrize(
    ("start_offset", "end_offset"),
    [(0, 0), (-3, 0), (0, 5), (-10, 10)],
    ids=["only-today", "ends-today", "starts-today", "spans-today"],
)
def test_acting_for_an_absent_head_gives_the_heads_roles_within_the_dates(
    world: World, start_offset: int, end_offset: int
) -> None:
    acting = _acting(world, start_offset=start_offset, end_offset=end_offset)
    assert world.row(acting, "accounts.view_person") == "11100"
    assert world.row(acting, "accounts.manage_substitutions") == "11100"


@pytest.mark.parametrize(
    ("start_offset", "end_offset"),
    [(-10, -1), (1, 10)],
    ids=["ended-yesterday", "starts-tomorrow"],
)
def test_acting_for_an_absent_head_gives_nothing_outside_the_dates(
    world: World, start_offset: int, end_offset: int
) -> None:
    acting = _acting(world, start_offset=start_offset, end_offset=end_offset)
    assert world.row(acting, "accounts.view_person") == "00000"
    assert world.row(acting, "accounts.manage_substitutions") == "00000"


def test_acting_for_an_absent_head_keeps_the_substitutes_own_roles(world: World) -> None:
    acting = _acting(world, start_offset=-10, end_offset=-1)
    assert world.row(acting, "core.access_staff") == "11111"


def test_acting_for_a_citywide_administrator_gives_citywide_rights(world: World) -> None:
    admin = world.holder(Role.ADMIN, "citywide")
    deputy = StaffFactory()
    RoleAssignment.objects.create(user=deputy, role=Role.EXECUTOR, unit=world.b)
    today = timezone.localdate()
    Substitution.objects.create(absent=admin, substitute=deputy, start=today, end=today)
    deputy = User.objects.get(pk=deputy.pk)
    assert world.row(deputy, "accounts.manage_roles") == "11111"


def test_the_unit_of_an_object_decides_not_the_holders_own_employment(world: World) -> None:
    # A head of A who also works in B does not become a head of B.
    head = world.holder(Role.HEAD, "unit")
    EmploymentFactory(user=head, position=PositionFactory(unit=world.b))
    head = User.objects.get(pk=head.pk)
    assert world.row(head, "accounts.view_person") == "11100"


def test_objects_with_a_unit_attribute_belong_to_it(world: World) -> None:
    user = world.holder(Role.ADMIN, "unit")
    inside: Position = world.objects["position"][1]
    outside: Position = world.objects["position"][2]
    assert user.has_perm("accounts.manage_employment", inside)
    assert not user.has_perm("accounts.manage_employment", outside)
    assert isinstance(inside.unit, OrgUnit)


@pytest.mark.django_db
def test_a_citywide_scope_filter_still_matches_everything_when_combined_with_or():
    from django.db.models import Q

    from hromada.accounts.factories import OrgUnitFactory, staff_with_role
    from hromada.accounts.models import OrgUnit
    from hromada.accounts.permissions import scope_q

    a, b = OrgUnitFactory(), OrgUnitFactory()
    controller = staff_with_role(Role.CONTROLLER)  # city-wide
    q = scope_q(controller, [Role.CONTROLLER], path_field="path")
    assert set(OrgUnit.objects.filter(q)) == {a, b}
    assert set(OrgUnit.objects.filter(q | Q(pk=a.pk))) == {a, b}
