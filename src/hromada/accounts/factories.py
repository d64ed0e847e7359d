"""factory_boy factories for people and the organisation (used by every app's tests)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from hromada.accounts.models import Employment, OrgUnit, Position, RoleAssignment, User


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    # Names of one sex, as a real person's would be.
    surname = factory.Faker("last_name_female", locale="uk_UA")
    given_name = factory.Faker("first_name_female", locale="uk_UA")
    patronymic = factory.Faker("middle_name_female", locale="uk_UA")
    password = factory.django.Password("correct-horse-battery")


class StaffFactory(UserFactory):
    is_staff = True


class OrgUnitFactory(DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Відділ №{n}")
    kind = OrgUnit.Kind.DIVISION


class PositionFactory(DjangoModelFactory[Position]):
    class Meta:
        model = Position

    unit = factory.SubFactory(OrgUnitFactory)
    title = "головний спеціаліст"


class EmploymentFactory(DjangoModelFactory[Employment]):
    class Meta:
        model = Employment

    user = factory.SubFactory(StaffFactory)
    position = factory.SubFactory(PositionFactory)


def staff_with_role(role: str, unit: OrgUnit | None = None, **kwargs: Any) -> User:
    """Create a staff member holding `role` over `unit` (None: the whole city)."""
    user = StaffFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    if unit is not None:
        EmploymentFactory(user=user, position=PositionFactory(unit=unit))
    return user
